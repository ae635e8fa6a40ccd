-- Claims are per type: this index hands out a type's due jobs already in claim order, so a claim
-- reads only the rows it takes instead of walking other types' jobs.
CREATE INDEX ai_generation_jobs_claim ON ai_generation_jobs (type, priority DESC, run_at)
  WHERE status = 'queued';
DROP INDEX ai_generation_jobs_due;
