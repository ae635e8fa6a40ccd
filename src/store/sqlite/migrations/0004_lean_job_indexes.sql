-- Claims and completions rewrite a job row; every index that holds all rows costs an index write
-- each time. (type, status) did, to serve filters that are rare next to claims: drop it. Failed
-- jobs, the ones people look for, keep an index of their own, written only when a job fails.
DROP INDEX ai_generation_jobs_type_status;
CREATE INDEX ai_generation_jobs_failed ON ai_generation_jobs (created_at) WHERE status = 'failed';
