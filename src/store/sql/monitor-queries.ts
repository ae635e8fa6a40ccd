/**
 * The monitor's statements both engines run as written (see `../monitor-store.ts`), one named
 * constant each, with their parameters. Times are integer milliseconds.
 */

import type { SqlDialect } from './sql-runner.js';

/**
 * Takes an expired (or our own) leadership; a new holder gets the next epoch. The conflict locks
 * the row, so of two contenders the second sees the first's fresh lease and gets no row.
 * $1 name, $2 owner, $3 ttl ms, $4 now
 */
export const ACQUIRE_LEADERSHIP = `
INSERT INTO monitor_leaders (name, owner, epoch, acquired_at, expires_at)
VALUES ($1, $2, 1, $4, CAST($4 AS BIGINT) + CAST($3 AS BIGINT))
ON CONFLICT (name) DO UPDATE SET
  epoch = CASE WHEN monitor_leaders.owner = excluded.owner AND monitor_leaders.expires_at >= $4
    THEN monitor_leaders.epoch ELSE monitor_leaders.epoch + 1 END,
  acquired_at = CASE WHEN monitor_leaders.owner = excluded.owner AND monitor_leaders.expires_at >= $4
    THEN monitor_leaders.acquired_at ELSE $4 END,
  owner = excluded.owner,
  expires_at = excluded.expires_at
WHERE monitor_leaders.owner = excluded.owner OR monitor_leaders.expires_at < $4
RETURNING *`;

/** $1 name, $2 owner, $3 epoch */
export const RESIGN_LEADERSHIP = `UPDATE monitor_leaders SET expires_at = 0 WHERE name = $1 AND owner = $2 AND epoch = $3`;

/** $1 name */
export const GET_LEADERSHIP = `SELECT * FROM monitor_leaders WHERE name = $1`;

/** $1 after id, $2 limit */
export const LIST_ATTEMPTS_AFTER = `
SELECT a.*, j.type FROM job_attempts a JOIN ai_generation_jobs j ON j.id = a.job_id
WHERE a.id > $1 ORDER BY a.id LIMIT $2`;

export const LAST_ATTEMPT_ID = `SELECT COALESCE(max(id), 0) AS id FROM job_attempts`;

/** $1 key $2 kind $3 job id $4 job type $5 pattern id $6 summary $7 evidence $8 detected at $9 detected by */
export const INSERT_FINDING = `
INSERT INTO monitor_findings (key, kind, job_id, job_type, pattern_id, summary, evidence, detected_at, detected_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (key) DO NOTHING
RETURNING *`;

/** $1 id, $2 owner, $3 now, $4 leadership name (NULL: none needed), $5 epoch */
export const CLAIM_FINDING = `
UPDATE monitor_findings SET status = 'dispatched', dispatched_at = $3, dispatched_by = $2
WHERE id = $1 AND status = 'open'
  AND (CAST($4 AS TEXT) IS NULL OR EXISTS (
    SELECT 1 FROM monitor_leaders WHERE name = $4 AND owner = $2 AND epoch = $5 AND expires_at >= $3))`;

/** $1 id, $2 status, $3 outcome, $4 now */
export const SETTLE_FINDING = `
UPDATE monitor_findings SET status = $2, outcome = $3, handled_at = $4 WHERE id = $1 AND status = 'dispatched'`;

/** $1 before, $2 limit — reads the pending index: O(open and dispatched findings). */
export const listOpenFindings = (d: SqlDialect) => `
SELECT * FROM monitor_findings ${d.indexedBy('monitor_findings_pending')}
WHERE status IN ('open', 'dispatched') AND status = 'open' AND detected_at <= $1
ORDER BY detected_at LIMIT $2`;

/** $1 before, $2 now — reads the pending index: O(open and dispatched findings). */
export const abandonFindings = (d: SqlDialect) => `
UPDATE monitor_findings
SET status = 'failed', handled_at = $2, key = key || '#abandoned:' || id,
    outcome = 'abandoned: ' || dispatched_by || ' stopped before it finished handling it'
WHERE id IN (SELECT id FROM monitor_findings ${d.indexedBy('monitor_findings_pending')}
             WHERE status IN ('open', 'dispatched') AND status = 'dispatched' AND dispatched_at <= $1)
RETURNING *`;

export const COUNT_FINDINGS = `SELECT kind, status, count(*) AS n FROM monitor_findings GROUP BY kind, status`;

/** $1 per key — the newest durations of every key, oldest first within a key. */
export const LIST_DURATIONS = `
SELECT type, stage, duration_ms FROM (
  SELECT type, stage, duration_ms, id, row_number() OVER (PARTITION BY type, stage ORDER BY id DESC) AS rn
  FROM job_duration_samples) AS s
WHERE rn <= $1 ORDER BY type, stage, id`;

/** $1 baseline since, $2 recent since — reads error_occurrences_at, so only the windows' rows. */
export const COUNT_OCCURRENCES = `
SELECT pattern_id, count(*) FILTER (WHERE at >= $2) AS recent, count(*) FILTER (WHERE at < $2) AS baseline
FROM error_occurrences WHERE at >= $1 GROUP BY pattern_id`;
