/**
 * Every runtime statement of the PostgreSQL store, one named constant each, with its parameters.
 * Tables are unqualified: each connection's search_path points at the store's schema. Batches
 * travel as one jsonb array and are unpacked with jsonb_to_recordset, so a batch is one round trip.
 */

const JOBS = 'ai_generation_jobs';

/**
 * The database's clock in ms: leases are timed by it alone, so no worker's clock (skewed, stepped,
 * or injected) can cut a lease short or stretch it.
 */
const DB_NOW = `(extract(epoch from now()) * 1000)::bigint`;

/** 1 while the attempt of row `t` has not been charged yet (its handler's start not recorded), else 0. */
/** 1 while the current lease's attempt of row alias `t` has not been charged yet. */
export const uncharged = (t: string) =>
  `(CASE WHEN ${t}.charged_token IS NOT DISTINCT FROM ${t}.lease_token THEN 0 ELSE 1 END)`;

/** NOTIFY payloads must stay under 8,000 bytes; a longer list of types becomes '' ("look at every type"). */
const MAX_WAKE_BYTES = 7000;

/** Wakes listeners with the distinct types of `rows` matching `where`, bounded to {@link MAX_WAKE_BYTES}. */
const wake = (channel: string, rows: string, where = 'true') => `
  SELECT pg_notify(${channel}, CASE WHEN octet_length(t) > ${MAX_WAKE_BYTES} THEN '' ELSE t END)
  FROM (SELECT string_agg(DISTINCT type, ',') AS t FROM ${rows} WHERE ${where} HAVING count(*) > 0) agg`;

/**
 * Inserts jobs and wakes listeners in the same statement; answers the ids it inserted (the others
 * met an idempotency key in use).
 * $1 jobs jsonb [{id, type, payload, priority, run_at, max_attempts, idempotency_key, knobs}], $2 now, $3 channel
 */
export const INSERT_JOBS = `
WITH v AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(
    id uuid, type text, payload jsonb, priority int, run_at bigint, max_attempts int, idempotency_key text,
    idempotency_expires_at bigint, knobs jsonb, ord int)
), ins AS (
  INSERT INTO ${JOBS} (id, type, payload, status, priority, run_at, max_attempts, idempotency_key, idempotency_expires_at, knobs, created_at, updated_at)
  SELECT id, type, COALESCE(payload, 'null'::jsonb), 'queued', priority, run_at, max_attempts, idempotency_key, idempotency_expires_at, knobs, $2, $2
  FROM v ORDER BY ord
  ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING id, type
), wake AS (${wake('$3', 'ins')}
)
SELECT ins.id FROM ins LEFT JOIN wake ON true`;

/** $1 types text[], $2 keys text[] (pairwise) */
export const GET_JOBS_BY_IDEMPOTENCY_KEYS = `
SELECT j.* FROM ${JOBS} j JOIN unnest($1::text[], $2::text[]) AS k(type, key) ON j.type = k.type AND j.idempotency_key = k.key`;

/** Frees expired idempotency keys so that new jobs may take them. $1 types text[], $2 keys text[] (pairwise), $3 now */
export const EXPIRE_IDEMPOTENCY_KEYS = `
UPDATE ${JOBS} j SET idempotency_key = NULL
FROM unnest($1::text[], $2::text[]) AS k(type, key)
WHERE j.type = k.type AND j.idempotency_key = k.key AND j.idempotency_expires_at <= $3`;

/** $1 id */
export const GET_JOB = `SELECT * FROM ${JOBS} WHERE id = $1`;

/**
 * Claims jobs of many types in one statement: for each type in order, up to its own limit, walking
 * ai_generation_jobs_claim; $4 bounds the total.
 * $1 types jsonb [{type, lim, ord}], $2 owner, $3 lease ms, $4 limit, $5 now
 */
export const CLAIM_JOBS = `
WITH req AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(type text, lim int, ord int) ORDER BY ord
), picked AS (
  SELECT p.id FROM req CROSS JOIN LATERAL (
    SELECT id FROM ${JOBS}
    WHERE status = 'queued' AND type = req.type AND run_at <= $5
    ORDER BY priority DESC, run_at, seq
    LIMIT req.lim
    FOR UPDATE SKIP LOCKED
  ) p
  LIMIT $4
)
UPDATE ${JOBS} j
SET status = 'running', lease_owner = $2, lease_expires_at = ${DB_NOW} + $3,
    lease_token = j.lease_token + 1, heartbeat_at = $5, started_at = COALESCE(j.started_at, $5), updated_at = $5,
    progress_at = $5, stage_started_at = $5, attempt_started_at = $5
FROM picked WHERE j.id = picked.id
RETURNING j.*`;

/**
 * Renews leases; `started` charges the attempt (once) because its handler runs, which also starts
 * its clocks; `made_progress` moves progress_at (the monitor's stuck clock), a plain renewal does not.
 * $1 writes jsonb [{id, token, lease_ms, stage, progress, started, made_progress}], $2 now
 */
export const HEARTBEAT = `
UPDATE ${JOBS} j
SET lease_expires_at = ${DB_NOW} + v.lease_ms, heartbeat_at = $2, updated_at = $2,
    attempts = j.attempts + CASE WHEN v.started THEN ${uncharged('j')} ELSE 0 END,
    charged_token = CASE WHEN v.started THEN j.lease_token ELSE j.charged_token END,
    attempt_started_at = CASE WHEN v.started AND ${uncharged('j')} = 1 THEN $2 ELSE j.attempt_started_at END,
    stage_started_at = CASE WHEN (v.started AND ${uncharged('j')} = 1) OR (v.stage IS NOT NULL AND v.stage IS DISTINCT FROM j.stage)
      THEN $2 ELSE j.stage_started_at END,
    progress_at = CASE WHEN v.made_progress OR (v.started AND ${uncharged('j')} = 1) THEN $2 ELSE j.progress_at END,
    stage = COALESCE(v.stage, j.stage), progress = COALESCE(v.progress, j.progress)
FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, lease_ms bigint, stage text, progress float8, started boolean,
  made_progress boolean)
WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running'
RETURNING j.id`;

/** $1 id, $2 token, $3 data jsonb, $4 now */
export const SAVE_CHECKPOINT = `
UPDATE ${JOBS} SET checkpoint = $3::jsonb, updated_at = $4, progress_at = $4
WHERE id = $1 AND lease_token = $2 AND status = 'running'`;

/** $1 writes jsonb [{id, token, result, knobs (null keeps them)}], $2 now */
export const COMPLETE_JOBS = `
UPDATE ${JOBS} j
SET status = 'completed', result = v.result, progress = 100, finished_at = $2, updated_at = $2,
    attempts = j.attempts + ${uncharged('j')},
    lease_owner = NULL, lease_expires_at = NULL, self_healed = j.self_healed OR j.healing_pattern_id IS NOT NULL,
    knobs = COALESCE(v.knobs, j.knobs)
FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, result jsonb, knobs jsonb)
WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running'
RETURNING j.id`;

/**
 * Records failed attempts and schedules a retry (retry_at) or fails for good (retry_at null).
 * The self-join on "old" reads the row as it was before the update, for the attempt history.
 * $1 writes jsonb [{id, token, error, retry_at, refund (1 gives the attempt back), knobs (null keeps
 * them), healing_pattern_id (null keeps it)}], $2 now, $3 channel
 */
export const FAIL_JOBS = `
WITH updated AS (
  UPDATE ${JOBS} j
  SET status = CASE WHEN v.retry_at IS NULL THEN 'failed' ELSE 'queued' END,
      run_at = COALESCE(v.retry_at, j.run_at),
      finished_at = CASE WHEN v.retry_at IS NULL THEN $2::bigint ELSE NULL END,
      attempts = j.attempts + ${uncharged('old')} - v.refund, knobs = COALESCE(v.knobs, j.knobs),
      healing_pattern_id = COALESCE(v.healing_pattern_id, j.healing_pattern_id),
      healing_timestamp = CASE WHEN v.healing_pattern_id IS NULL THEN j.healing_timestamp ELSE $2::bigint END,
      last_error = v.error, updated_at = $2, lease_owner = NULL, lease_expires_at = NULL
  FROM jsonb_to_recordset($1::jsonb)
       AS v(id uuid, token bigint, error jsonb, retry_at bigint, refund integer, knobs jsonb, healing_pattern_id text),
       ${JOBS} old
  WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running' AND old.id = j.id
  RETURNING j.id, old.attempts + ${uncharged('old')} AS attempts, j.lease_token, old.lease_owner, v.error, v.retry_at, j.type
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, lease_token, lease_owner, 'failed', error, $2 FROM updated
), wake AS (${wake('$3', 'updated', 'retry_at <= $2')}
)
SELECT updated.id FROM updated LEFT JOIN wake ON true`;

/** $1 writes jsonb [{id, token, run_at}], $2 now, $3 channel */
export const RELEASE_JOBS = `
WITH updated AS (
  UPDATE ${JOBS} j
  SET status = 'queued', attempts = j.attempts - 1 + ${uncharged('old')}, run_at = v.run_at, updated_at = $2,
      lease_owner = NULL, lease_expires_at = NULL
  FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, token bigint, run_at bigint), ${JOBS} old
  WHERE j.id = v.id AND j.lease_token = v.token AND j.status = 'running' AND old.id = j.id
  RETURNING j.id, old.attempts + ${uncharged('old')} AS attempts, j.lease_token, old.lease_owner, j.type, v.run_at
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, lease_token, lease_owner, 'released', NULL, $2 FROM updated
), wake AS (${wake('$3', 'updated', 'run_at <= $2')}
)
SELECT updated.id FROM updated LEFT JOIN wake ON true`;

/**
 * Ends expired leases: queued again with attempts left, failed otherwise. SKIP LOCKED lets every
 * node sweep at once without two of them expiring the same lease. A job claimed but never started
 * (`started` false: prefetched by a worker that died) goes back as it was, with no attempt recorded.
 * $1 now, $2 channel
 */
export const EXPIRE_LEASES = `
WITH expired AS (
  SELECT id FROM ${JOBS} WHERE status = 'running' AND lease_expires_at < ${DB_NOW} FOR UPDATE SKIP LOCKED
), updated AS (
  UPDATE ${JOBS} j
  SET status = CASE WHEN j.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
      run_at = $1,
      finished_at = CASE WHEN j.attempts < j.max_attempts THEN NULL ELSE $1::bigint END,
      last_error = CASE WHEN ${uncharged('old')} = 1 THEN old.last_error ELSE jsonb_build_object(
        'message', 'lease of ' || COALESCE(old.lease_owner, 'unknown worker') || ' expired without a heartbeat',
        'name', 'LeaseExpiredError', 'code', 'ERR_LEASE_EXPIRED', 'stage', old.stage,
        'attempt', old.attempts, 'at', $1, 'kind', 'lease_expired') END,
      updated_at = $1, lease_owner = NULL, lease_expires_at = NULL
  FROM expired e, ${JOBS} old
  WHERE j.id = e.id AND old.id = j.id
  RETURNING j.*, old.lease_owner AS old_owner, ${uncharged('old')} = 0 AS started
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, lease_token, old_owner, 'lease_expired', last_error, $1 FROM updated WHERE started
), wake AS (${wake('$2', 'updated', "status = 'queued'")}
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

/** Milliseconds until the earliest running lease expires (NULL when nothing runs); reads the lease index. */
export const NEXT_LEASE_EXPIRY = `SELECT min(lease_expires_at) - ${DB_NOW} AS in_ms FROM ${JOBS} WHERE status = 'running'`;
