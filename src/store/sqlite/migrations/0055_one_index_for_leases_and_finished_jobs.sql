-- A completion wrote two job indexes besides the table: the row left ai_generation_jobs_lease and
-- entered ai_generation_jobs_finished, two more b-tree pages for every commit to write (about a
-- tenth of a SQLite drain). One index now holds both: running jobs by lease expiry, finished jobs
-- (which hold no lease: lease_expires_at NULL, sorting first) by updated_at. A completion moves
-- its row from the oldest leases to the newest finished jobs, which sit side by side in this
-- index, so it changes one page where it changed two. Queued jobs stay out of it, as before.
-- Queries name the index and repeat its WHERE (status <> 'queued'), so the planner may use it.
UPDATE ai_generation_jobs SET lease_expires_at = NULL
  WHERE status NOT IN ('queued', 'running') AND lease_expires_at IS NOT NULL;
DROP INDEX ai_generation_jobs_lease;
DROP INDEX ai_generation_jobs_finished;
CREATE INDEX ai_generation_jobs_leased ON ai_generation_jobs (lease_expires_at, updated_at)
  WHERE status <> 'queued';
