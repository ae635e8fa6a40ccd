-- Finished jobs by the time they finished, for other processes following job:completed/job:failed.
CREATE INDEX ai_generation_jobs_finished ON ai_generation_jobs (updated_at)
  WHERE status IN ('completed', 'failed', 'cancelled');
