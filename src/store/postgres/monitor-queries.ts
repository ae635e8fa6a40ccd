/**
 * The PostgreSQL statements of the monitor concern (see `../monitor-store.ts`), one named constant
 * each, with their parameters. Tables are unqualified (search_path is the store's schema).
 */

import { uncharged } from './queries.js';
const JOBS = 'ai_generation_jobs';

/**
 * Takes an expired (or our own) leadership; a new holder gets the next epoch. ON CONFLICT locks
 * the row, so of two contenders the second sees the first's fresh lease and gets no row.
 * $1 name, $2 owner, $3 ttl ms, $4 now
 */
export const ACQUIRE_LEADERSHIP = `
INSERT INTO monitor_leaders AS l (name, owner, epoch, acquired_at, expires_at)
VALUES ($1, $2, 1, $4, $4::bigint + $3::bigint)
ON CONFLICT (name) DO UPDATE SET
  epoch = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at >= $4 THEN l.epoch ELSE l.epoch + 1 END,
  acquired_at = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at >= $4 THEN l.acquired_at ELSE $4 END,
  owner = EXCLUDED.owner,
  expires_at = EXCLUDED.expires_at
WHERE l.owner = EXCLUDED.owner OR l.expires_at < $4
RETURNING *`;

/** $1 name, $2 owner, $3 epoch */
export const RESIGN_LEADERSHIP = `UPDATE monitor_leaders SET expires_at = 0 WHERE name = $1 AND owner = $2 AND epoch = $3`;

/** $1 name */
export const GET_LEADERSHIP = `SELECT * FROM monitor_leaders WHERE name = $1`;

/**
 * Running jobs; the partial index of running leases holds exactly them: O(running jobs) in the
 * database, only the started attempts (a prefetched job waiting in its worker runs no handler yet)
 * and the candidates out of it: each job against its type's rule (see RunningJobRule),
 * or the default stuck threshold.
 * $1 all (true: every running job), $2 now, $3 rules jsonb, $4 default stuck ms, $5 predict-from percent
 */
export const LIST_RUNNING = `
SELECT j.id, j.type, j.stage, j.progress, j.attempts, j.lease_token, j.lease_owner, j.lease_expires_at,
       j.attempt_started_at, j.stage_started_at, j.progress_at, j.heartbeat_at
FROM ${JOBS} j
LEFT JOIN jsonb_to_recordset($3::jsonb) AS r(type text, "stuckAfterMs" bigint, "slowAfterMs" bigint, "stageSlowAfterMs" bigint,
  "predictFromMs" bigint, "predictAfterMs" bigint) ON r.type = j.type
WHERE j.status = 'running' AND j.lease_expires_at IS NOT NULL AND j.charged_token IS NOT DISTINCT FROM j.lease_token
  AND ($1::boolean OR j.progress_at IS NULL
       OR j.progress_at <= $2::bigint - COALESCE(r."stuckAfterMs", $4::bigint)
       OR j.attempt_started_at <= $2::bigint - r."slowAfterMs"
       OR j.stage_started_at <= $2::bigint - r."stageSlowAfterMs"
       OR (j.progress >= $5::float8 AND j.progress < 100 AND j.attempt_started_at <= $2::bigint - r."predictFromMs"
           AND ($2::bigint - j.attempt_started_at) * 100 > r."predictAfterMs" * j.progress))`;

/** $1 after id, $2 limit */
export const LIST_ATTEMPTS_AFTER = `
SELECT a.*, j.type FROM job_attempts a JOIN ${JOBS} j ON j.id = a.job_id
WHERE a.id > $1 ORDER BY a.id LIMIT $2`;

export const LAST_ATTEMPT_ID = `SELECT COALESCE(max(id), 0) AS id FROM job_attempts`;

/** $1 findings jsonb [{key, kind, job_id, job_type, pattern_id, summary, evidence, detected_at, detected_by}] */
export const INSERT_FINDINGS = `
INSERT INTO monitor_findings (key, kind, job_id, job_type, pattern_id, summary, evidence, detected_at, detected_by)
SELECT key, kind, job_id, job_type, pattern_id, summary, evidence, detected_at, detected_by
FROM jsonb_to_recordset($1::jsonb) AS v(key text, kind text, job_id text, job_type text, pattern_id text, summary text,
  evidence jsonb, detected_at bigint, detected_by text)
ON CONFLICT (key) DO NOTHING
RETURNING *`;

/** $1 id, $2 owner, $3 now, $4 leadership name (NULL: none needed), $5 epoch */
export const CLAIM_FINDING = `
UPDATE monitor_findings SET status = 'dispatched', dispatched_at = $3, dispatched_by = $2
WHERE id = $1 AND status = 'open'
  AND ($4::text IS NULL OR EXISTS (
    SELECT 1 FROM monitor_leaders WHERE name = $4 AND owner = $2 AND epoch = $5 AND expires_at >= $3))`;

/** $1 id, $2 status, $3 outcome, $4 now */
export const SETTLE_FINDING = `
UPDATE monitor_findings SET status = $2, outcome = $3, handled_at = $4 WHERE id = $1 AND status = 'dispatched'`;

/** $1 before, $2 limit */
export const LIST_OPEN_FINDINGS = `
SELECT * FROM monitor_findings WHERE status IN ('open', 'dispatched') AND status = 'open' AND detected_at <= $1
ORDER BY detected_at LIMIT $2`;

export const COUNT_FINDINGS = `SELECT kind, status, count(*)::int AS n FROM monitor_findings GROUP BY kind, status`;

/**
 * Inserts samples and drops all but the newest `keep` per key. The DELETE does not see this
 * statement's own inserts, so a key holds at most `keep` plus one batch.
 * $1 samples jsonb [{type, stage, duration_ms, at}], $2 keep
 */
export const ADD_SAMPLES = `
WITH ins AS (
  INSERT INTO job_duration_samples (type, stage, duration_ms, at)
  SELECT type, stage, duration_ms, at FROM jsonb_to_recordset($1::jsonb) AS v(type text, stage text, duration_ms bigint, at bigint)
  RETURNING type, stage
), keys AS (SELECT DISTINCT type, stage FROM ins)
DELETE FROM job_duration_samples s USING keys k
WHERE s.type = k.type AND s.stage = k.stage AND s.id <= (
  SELECT id FROM job_duration_samples o WHERE o.type = k.type AND o.stage = k.stage ORDER BY id DESC OFFSET $2 LIMIT 1)`;

/** $1 per key — the newest durations of every key, oldest first within a key. */
export const LIST_DURATIONS = `
SELECT type, stage, duration_ms FROM (
  SELECT type, stage, duration_ms, id, row_number() OVER (PARTITION BY type, stage ORDER BY id DESC) AS rn
  FROM job_duration_samples) s
WHERE rn <= $1 ORDER BY type, stage, id`;

/** $1 baseline since, $2 recent since — reads error_occurrences_at, so only the windows' rows. */
export const COUNT_OCCURRENCES = `
SELECT pattern_id, count(*) FILTER (WHERE at >= $2)::int AS recent, count(*) FILTER (WHERE at < $2)::int AS baseline
FROM error_occurrences WHERE at >= $1 GROUP BY pattern_id`;

const CHARGED = `(j.attempts + ${uncharged('j')})`;

/**
 * Ends the attempt (charged, token + 1), records it as revoked, queues the job again or fails it.
 * $1 id, $2 token, $3 error jsonb, $4 now, $5 channel
 */
export const REVOKE_LEASE = `
WITH updated AS (
  UPDATE ${JOBS} j
  SET status = CASE WHEN ${CHARGED} < j.max_attempts THEN 'queued' ELSE 'failed' END,
      run_at = $4, last_error = $3::jsonb, updated_at = $4, attempts = ${CHARGED},
      finished_at = CASE WHEN ${CHARGED} < j.max_attempts THEN NULL ELSE $4::bigint END,
      lease_token = j.lease_token + 1, lease_owner = NULL, lease_expires_at = NULL
  FROM ${JOBS} old
  WHERE j.id = $1 AND j.lease_token = $2 AND j.status = 'running' AND old.id = j.id
  RETURNING j.*, old.lease_owner AS old_owner
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, attempts, $2, old_owner, 'revoked', last_error, $4 FROM updated
), wake AS (
  SELECT pg_notify($5, string_agg(DISTINCT type, ',')) FROM updated WHERE status = 'queued' HAVING count(*) > 0
)
SELECT updated.* FROM updated LEFT JOIN wake ON true`;

/** $1 before, $2 now — reads the pending index: O(open and dispatched findings). */
export const ABANDON_FINDINGS = `
UPDATE monitor_findings
SET status = 'failed', handled_at = $2, key = key || '#abandoned:' || id,
    outcome = 'abandoned: ' || dispatched_by || ' stopped before it finished handling it'
WHERE status IN ('open', 'dispatched') AND status = 'dispatched' AND dispatched_at <= $1
RETURNING *`;
