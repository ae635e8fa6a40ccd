-- The finished-jobs index of 0023 had a three-value IN list in its WHERE. SQLite evaluates such
-- a list through a temporary b-tree, built again for every row a statement writes, so every claim
-- and every completion paid for two of them (about 40 % more work per job in a drain). A two-value
-- NOT IN is evaluated inline; it selects the same rows, since a job's status is one of five.
DROP INDEX ai_generation_jobs_finished;
CREATE INDEX ai_generation_jobs_finished ON ai_generation_jobs (updated_at)
  WHERE status NOT IN ('queued', 'running');
