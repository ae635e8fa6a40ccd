/**
 * The SQLite statements of the monitor concern (see `../monitor-store.ts`), one named constant
 * each, with their parameters. Times are integer milliseconds; JSON columns are text.
 */

import { UNCHARGED } from './queries.js';
const JOBS = 'ai_generation_jobs';

/** @name @owner @ttlMs @now — takes an expired (or our own) leadership; a new holder gets the next epoch. */
export const ACQUIRE_LEADERSHIP = `
INSERT INTO monitor_leaders (name, owner, epoch, acquired_at, expires_at)
VALUES (@name, @owner, 1, @now, @now + @ttlMs)
ON CONFLICT (name) DO UPDATE SET
  epoch = CASE WHEN monitor_leaders.owner = excluded.owner AND monitor_leaders.expires_at >= @now
    THEN monitor_leaders.epoch ELSE monitor_leaders.epoch + 1 END,
  acquired_at = CASE WHEN monitor_leaders.owner = excluded.owner AND monitor_leaders.expires_at >= @now
    THEN monitor_leaders.acquired_at ELSE @now END,
  owner = excluded.owner,
  expires_at = excluded.expires_at
WHERE monitor_leaders.owner = excluded.owner OR monitor_leaders.expires_at < @now
RETURNING *`;

/** @name @owner @epoch */
export const RESIGN_LEADERSHIP = `
UPDATE monitor_leaders SET expires_at = 0 WHERE name = @name AND owner = @owner AND epoch = @epoch`;

/** @name */
export const GET_LEADERSHIP = `SELECT * FROM monitor_leaders WHERE name = @name`;

/**
 * Running jobs, read through the partial index of running leases: O(running jobs) in the database,
 * only the started attempts (a prefetched job waiting in its worker runs no handler yet) and the
 * candidates out of it: each job against its type's rule (a JSON array, see
 * RunningJobRule, parsed once into a materialized table), or the default stuck threshold.
 * @all (1: every running job) @now @rules @defaultStuck @predictFromPercent
 */
export const LIST_RUNNING = `
WITH r AS MATERIALIZED (
  SELECT value ->> '$.type' AS type, value ->> '$.stuckAfterMs' AS stuck, value ->> '$.slowAfterMs' AS slow,
         value ->> '$.stageSlowAfterMs' AS stage_slow, value ->> '$.predictFromMs' AS predict_from,
         value ->> '$.predictAfterMs' AS predict_after
  FROM json_each(@rules))
SELECT j.id, j.type, j.stage, j.progress, j.attempts, j.lease_token, j.lease_owner, j.lease_expires_at,
       j.attempt_started_at, j.stage_started_at, j.progress_at, j.heartbeat_at
FROM ${JOBS} j INDEXED BY ai_generation_jobs_leased
LEFT JOIN r ON r.type = j.type
WHERE j.status <> 'queued' AND j.status = 'running' AND j.lease_expires_at IS NOT NULL AND j.charged_token IS j.lease_token
  AND (@all = 1 OR j.progress_at IS NULL
       OR j.progress_at <= @now - COALESCE(r.stuck, @defaultStuck)
       OR j.attempt_started_at <= @now - r.slow
       OR j.stage_started_at <= @now - r.stage_slow
       OR (j.progress >= @predictFromPercent AND j.progress < 100 AND j.attempt_started_at <= @now - r.predict_from
           AND (@now - j.attempt_started_at) * 100 > r.predict_after * j.progress))`;

/** @afterId @limit */
export const LIST_ATTEMPTS_AFTER = `
SELECT a.*, j.type FROM job_attempts a JOIN ${JOBS} j ON j.id = a.job_id
WHERE a.id > @afterId ORDER BY a.id LIMIT @limit`;

export const LAST_ATTEMPT_ID = `SELECT COALESCE(max(id), 0) AS id FROM job_attempts`;

/** @key @kind @jobId @jobType @patternId @summary @evidence @detectedAt @detectedBy */
export const INSERT_FINDING = `
INSERT INTO monitor_findings (key, kind, job_id, job_type, pattern_id, summary, evidence, detected_at, detected_by)
VALUES (@key, @kind, @jobId, @jobType, @patternId, @summary, @evidence, @detectedAt, @detectedBy)
ON CONFLICT (key) DO NOTHING
RETURNING *`;

/** @id @owner @now @leader (NULL: no leadership needed) @epoch */
export const CLAIM_FINDING = `
UPDATE monitor_findings SET status = 'dispatched', dispatched_at = @now, dispatched_by = @owner
WHERE id = @id AND status = 'open'
  AND (@leader IS NULL OR EXISTS (
    SELECT 1 FROM monitor_leaders
    WHERE name = @leader AND owner = @owner AND epoch = @epoch AND expires_at >= @now))`;

/** @id @status @outcome @now */
export const SETTLE_FINDING = `
UPDATE monitor_findings SET status = @status, outcome = @outcome, handled_at = @now
WHERE id = @id AND status = 'dispatched'`;

/** @before @limit */
export const LIST_OPEN_FINDINGS = `
SELECT * FROM monitor_findings INDEXED BY monitor_findings_pending
WHERE status IN ('open', 'dispatched') AND status = 'open' AND detected_at <= @before
ORDER BY detected_at LIMIT @limit`;

export const COUNT_FINDINGS = `SELECT kind, status, count(*) AS n FROM monitor_findings GROUP BY kind, status`;

/** @type @stage @durationMs @at */
export const INSERT_SAMPLE = `
INSERT INTO job_duration_samples (type, stage, duration_ms, at) VALUES (@type, @stage, @durationMs, @at)`;

/** @type @stage @keep — drops all but the newest `keep` samples of one key. */
export const PRUNE_SAMPLES = `
DELETE FROM job_duration_samples WHERE type = @type AND stage = @stage AND id <= (
  SELECT id FROM job_duration_samples WHERE type = @type AND stage = @stage ORDER BY id DESC LIMIT 1 OFFSET @keep)`;

/** @perKey — the newest durations of every key, oldest first within a key. */
export const LIST_DURATIONS = `
SELECT type, stage, duration_ms FROM (
  SELECT type, stage, duration_ms, id, row_number() OVER (PARTITION BY type, stage ORDER BY id DESC) AS rn
  FROM job_duration_samples)
WHERE rn <= @perKey ORDER BY type, stage, id`;

/** @baselineSince @recentSince — reads error_occurrences_at, so only the windows' rows. */
export const COUNT_OCCURRENCES = `
SELECT pattern_id, sum(at >= @recentSince) AS recent, sum(at < @recentSince) AS baseline
FROM error_occurrences WHERE at >= @baselineSince GROUP BY pattern_id`;

const CHARGED = `(attempts + ${UNCHARGED})`;

/** @id @token @error @now — ends the attempt (charged, token + 1), queues the job again or fails it. */
export const REVOKE_LEASE = `
UPDATE ${JOBS}
SET status = CASE WHEN ${CHARGED} < max_attempts THEN 'queued' ELSE 'failed' END,
    run_at = @now, last_error = @error, updated_at = @now, attempts = ${CHARGED},
    finished_at = CASE WHEN ${CHARGED} < max_attempts THEN NULL ELSE @now END,
    lease_token = lease_token + 1, lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'
RETURNING *`;

/** @before @now — reads the pending index: O(open and dispatched findings). */
export const ABANDON_FINDINGS = `
UPDATE monitor_findings
SET status = 'failed', handled_at = @now, key = key || '#abandoned:' || id,
    outcome = 'abandoned: ' || dispatched_by || ' stopped before it finished handling it'
WHERE id IN (SELECT id FROM monitor_findings INDEXED BY monitor_findings_pending
             WHERE status IN ('open', 'dispatched') AND status = 'dispatched' AND dispatched_at <= @before)
RETURNING *`;
