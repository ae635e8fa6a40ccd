/**
 * Every runtime statement of the PostgreSQL store, one named constant each, with its parameters.
 * Tables are unqualified: each connection's search_path points at the store's schema. Batches
 * travel as one jsonb array and are unpacked with jsonb_to_recordset, so a batch is one round trip.
 */

const JOBS = 'ai_generation_jobs';

/**
 * Inserts jobs and wakes listeners in the same statement.
 * $1 jobs jsonb [{id, type, payload, priority, run_at, max_attempts, idempotency_key, knobs}], $2 now, $3 channel
 */
export const INSERT_JOBS = `
WITH v AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(
    id uuid, type text, payload jsonb, priority int, run_at bigint, max_attempts int, idempotency_key text, knobs jsonb, ord int)
), ins AS (
  INSERT INTO ${JOBS} (id, type, payload, status, priority, run_at, max_attempts, idempotency_key, knobs, created_at, updated_at)
  SELECT id, type, COALESCE(payload, 'null'::jsonb), 'queued', priority, run_at, max_attempts, idempotency_key, knobs, $2, $2 FROM v ORDER BY ord
  ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING *
), wake AS (
  SELECT pg_notify($3, string_agg(DISTINCT type, ',')) FROM ins HAVING count(*) > 0
)
SELECT ins.* FROM ins LEFT JOIN wake ON true`;

/** $1 keys text[] */
export const GET_JOBS_BY_IDEMPOTENCY_KEYS = `SELECT * FROM ${JOBS} WHERE idempotency_key = ANY($1::text[])`;

/** $1 id */
export const GET_JOB = `SELECT * FROM ${JOBS} WHERE id = $1`;

/** $1 types text[], $2 owner, $3 lease ms, $4 limit, $5 now */
export const CLAIM_JOBS = `
WITH picked AS (
  SELECT id FROM ${JOBS}
  WHERE status = 'queued' AND run_at <= $5 AND type = ANY($1::text[])
  ORDER BY priority DESC, run_at, seq
  LIMIT $4
  FOR UPDATE SKIP LOCKED
)
UPDATE ${JOBS} j
SET status = 'running', attempts = j.attempts + 1, lease_owner = $2, lease_expires_at = $5 + $3,
    lease_token = j.lease_token + 1, heartbeat_at = $5, started_at = COALESCE(j.started_at, $5), updated_at = $5
FROM picked WHERE j.id = picked.id
RETURNING j.*`;

/** $1 writes jsonb [{id, token, lease_ms, stage, progress}], $2 now */
export const HEARTBEAT = `
UPDATE ${JOBS} j
SET lease_expires_at = $2 + v.lease_ms, heartbeat_at = $2, updated_at = $2,
    stage = COALESCE(v.stage, j.stage), progress = COALESCE(v.progress, j.progress)
FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, lease_ms bigint, stage text, progress float8)
WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running'
RETURNING j.id`;

/** $1 id, $2 token, $3 data jsonb, $4 now */
export const SAVE_CHECKPOINT = `
UPDATE ${JOBS} SET checkpoint = $3::jsonb, updated_at = $4
WHERE id = $1 AND lease_token = $2 AND status = 'running'`;

/** $1 writes jsonb [{id, token, result}], $2 now */
export const COMPLETE_JOBS = `
UPDATE ${JOBS} j
SET status = 'completed', result = v.result, progress = 100, finished_at = $2, updated_at = $2,
    lease_owner = NULL, lease_expires_at = NULL
FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, result jsonb)
WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running'
RETURNING j.id`;

/**
 * Records failed attempts and schedules a retry (retry_at) or fails for good (retry_at null).
 * The self-join on "old" reads the row as it was before the update, for the attempt history.
 * $1 writes jsonb [{id, token, error, retry_at}], $2 now, $3 channel
 */
export const FAIL_JOBS = `
WITH updated AS (
  UPDATE ${JOBS} j
  SET status = CASE WHEN v.retry_at IS NULL THEN 'failed' ELSE 'queued' END,
      run_at = COALESCE(v.retry_at, j.run_at),
      finished_at = CASE WHEN v.retry_at IS NULL THEN $2::bigint ELSE NULL END,
      last_error = v.error, updated_at = $2, lease_owner = NULL, lease_expires_at = NULL
  FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, error jsonb, retry_at bigint), ${JOBS} old
  WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running' AND old.id = j.id
  RETURNING j.id, j.attempts, j.lease_token, old.lease_owner, v.error, v.retry_at, j.type
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, lease_token, lease_owner, 'failed', error, $2 FROM updated
), wake AS (
  SELECT pg_notify($3, string_agg(DISTINCT type, ',')) FROM updated WHERE retry_at <= $2 HAVING count(*) > 0
)
SELECT updated.id FROM updated LEFT JOIN wake ON true`;

/** $1 writes jsonb [{id, token, run_at}], $2 now, $3 channel */
export const RELEASE_JOBS = `
WITH updated AS (
  UPDATE ${JOBS} j
  SET status = 'queued', attempts = j.attempts - 1, run_at = v.run_at, updated_at = $2,
      lease_owner = NULL, lease_expires_at = NULL
  FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, run_at bigint), ${JOBS} old
  WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running' AND old.id = j.id
  RETURNING j.id, old.attempts, j.lease_token, old.lease_owner, j.type, v.run_at
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, lease_token, lease_owner, 'released', NULL, $2 FROM updated
), wake AS (
  SELECT pg_notify($3, string_agg(DISTINCT type, ',')) FROM updated WHERE run_at <= $2 HAVING count(*) > 0
)
SELECT updated.id FROM updated LEFT JOIN wake ON true`;

/**
 * Ends expired leases: queued again with attempts left, failed otherwise. SKIP LOCKED lets every
 * node sweep at once without two of them expiring the same lease.
 * $1 now, $2 channel
 */
export const EXPIRE_LEASES = `
WITH expired AS (
  SELECT id FROM ${JOBS} WHERE status = 'running' AND lease_expires_at < $1 FOR UPDATE SKIP LOCKED
), updated AS (
  UPDATE ${JOBS} j
  SET status = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
      run_at = $1,
      finished_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE $1::bigint END,
      last_error = jsonb_build_object(
        'message', 'lease of ' || COALESCE(old.lease_owner, 'unknown worker') || ' expired without a heartbeat',
        'name', 'LeaseExpiredError', 'code', 'ERR_LEASE_EXPIRED', 'stage', old.stage,
        'attempt', old.attempts, 'at', $1, 'kind', 'lease_expired'),
      updated_at = $1, lease_owner = NULL, lease_expires_at = NULL
  FROM expired e, ${JOBS} old
  WHERE j.id = e.id AND old.id = j.id
  RETURNING j.*, old.lease_owner AS old_owner
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, lease_token, old_owner, 'lease_expired', last_error, $1 FROM updated
), wake AS (
  SELECT pg_notify($2, string_agg(DISTINCT type, ',')) FROM updated WHERE status = 'queued' HAVING count(*) > 0
)
SELECT updated.* FROM updated LEFT JOIN wake ON true`;

/** $1 id, $2 now — bumps the token so the running attempt's writes are refused. */
export const CANCEL_JOB = `
UPDATE ${JOBS}
SET status = 'cancelled', finished_at = $2, updated_at = $2, lease_token = lease_token + 1,
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = $1 AND status IN ('queued', 'running')`;

/** $1 job id */
export const LIST_ATTEMPTS = `SELECT * FROM job_attempts WHERE job_id = $1 ORDER BY id`;
