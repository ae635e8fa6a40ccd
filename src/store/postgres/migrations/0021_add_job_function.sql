-- megamind_add_job: enqueue from SQL — another language, a trigger, or the application's own
-- transaction (the outbox pattern): the job exists if and only if the transaction commits.
-- The type must have been described by a worker; max_attempts defaults to the type's.
-- Times are ms since the epoch; run_at and at default to now. Returns the job (the existing one
-- when the type already has a live job with this idempotency key).
CREATE FUNCTION megamind_add_job(
  job_type text,
  payload jsonb DEFAULT 'null',
  run_at bigint DEFAULT NULL,
  priority integer DEFAULT 0,
  max_attempts integer DEFAULT NULL,
  idempotency_key text DEFAULT NULL,
  knobs jsonb DEFAULT '{}',
  idempotency_ttl_ms bigint DEFAULT NULL,
  at bigint DEFAULT NULL
) RETURNS ai_generation_jobs
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
#variable_conflict use_column
DECLARE
  now_ms bigint := COALESCE(at, (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
  described jsonb;
  job ai_generation_jobs;
BEGIN
  SELECT description INTO described FROM megamind_job_types WHERE type = job_type;
  IF described IS NULL THEN
    RAISE EXCEPTION 'unknown job type "%": no worker has described it', job_type USING ERRCODE = '22023';
  END IF;
  IF idempotency_key IS NOT NULL THEN
    UPDATE ai_generation_jobs j SET idempotency_key = NULL
    WHERE j.type = job_type AND j.idempotency_key = megamind_add_job.idempotency_key AND j.idempotency_expires_at <= now_ms;
  END IF;
  INSERT INTO ai_generation_jobs (id, type, payload, status, priority, run_at, max_attempts, idempotency_key,
    idempotency_expires_at, knobs, created_at, updated_at)
  VALUES (gen_random_uuid(), job_type, COALESCE(megamind_add_job.payload, 'null'::jsonb), 'queued',
    COALESCE(megamind_add_job.priority, 0), COALESCE(megamind_add_job.run_at, now_ms),
    COALESCE(megamind_add_job.max_attempts, (described->>'maxAttempts')::integer, 3), megamind_add_job.idempotency_key,
    now_ms + idempotency_ttl_ms, COALESCE(megamind_add_job.knobs, '{}'::jsonb), now_ms, now_ms)
  ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING * INTO job;
  IF job.id IS NULL THEN
    SELECT * INTO job FROM ai_generation_jobs j WHERE j.type = job_type AND j.idempotency_key = megamind_add_job.idempotency_key;
  ELSE
    PERFORM pg_notify(left(lower('megamind_' || current_schema()), 63), job_type);
  END IF;
  RETURN job;
END
$$;
