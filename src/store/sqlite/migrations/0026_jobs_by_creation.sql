-- Listing jobs newest first (the API, the dashboard, `megamind jobs`) sorted the whole table on every
-- page. SQLite writes an index only when its columns change, and created_at never does, so this
-- costs one index insert per job and nothing on claims and completions. (PostgreSQL gets no such
-- index: there every non-HOT update would write it, and claims are not HOT.)
CREATE INDEX ai_generation_jobs_created ON ai_generation_jobs (created_at DESC);
