-- Idempotency keys are scoped per job type, and may expire (idempotency_expires_at, ms; NULL: never).
DROP INDEX ai_generation_jobs_idempotency;
CREATE UNIQUE INDEX ai_generation_jobs_idempotency ON ai_generation_jobs (type, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
ALTER TABLE ai_generation_jobs ADD COLUMN idempotency_expires_at bigint;
