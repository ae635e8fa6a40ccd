import type { DurationSample } from '../monitor-store.js';
import type { MonitorEngine } from '../sql/sql-monitor.js';
import type { SqlRunner } from '../sql/sql-runner.js';

/**
 * The candidates out of the running jobs: each job against its type's rule (see RunningJobRule),
 * or the default stuck threshold. The partial index of running leases holds exactly the running
 * jobs, so this is O(running jobs) in the database.
 */
const LIST_RUNNING = `
SELECT j.id, j.type, j.stage, j.progress, j.attempts, j.lease_token, j.lease_owner, j.lease_expires_at,
       j.attempt_started_at, j.stage_started_at, j.progress_at, j.heartbeat_at
FROM ai_generation_jobs j
LEFT JOIN jsonb_to_recordset($3::jsonb) AS r(type text, "stuckAfterMs" bigint, "slowAfterMs" bigint, "stageSlowAfterMs" bigint,
  "predictFromMs" bigint, "predictAfterMs" bigint) ON r.type = j.type
WHERE j.status = 'running' AND j.lease_expires_at IS NOT NULL AND j.charged_token IS NOT DISTINCT FROM j.lease_token
  AND ($1::boolean OR j.progress_at IS NULL
       OR j.progress_at <= $2::bigint - COALESCE(r."stuckAfterMs", $4::bigint)
       OR j.attempt_started_at <= $2::bigint - r."slowAfterMs"
       OR j.stage_started_at <= $2::bigint - r."stageSlowAfterMs"
       OR (j.progress >= $5::float8 AND j.progress < 100 AND j.attempt_started_at <= $2::bigint - r."predictFromMs"
           AND ($2::bigint - j.attempt_started_at) * 100 > r."predictAfterMs" * j.progress))`;

/**
 * Inserts samples and drops all but the newest `keep` per key, in one statement (a flush may
 * carry thousands). The DELETE does not see this statement's own inserts, so a key holds at most
 * `keep` plus one batch.
 * $1 samples jsonb [{type, stage, duration_ms, at}], $2 keep
 */
const ADD_SAMPLES = `
WITH ins AS (
  INSERT INTO job_duration_samples (type, stage, duration_ms, at)
  SELECT type, stage, duration_ms, at FROM jsonb_to_recordset($1::jsonb) AS v(type text, stage text, duration_ms bigint, at bigint)
  RETURNING type, stage
), keys AS (SELECT DISTINCT type, stage FROM ins)
DELETE FROM job_duration_samples s USING keys k
WHERE s.type = k.type AND s.stage = k.stage AND s.id <= (
  SELECT id FROM job_duration_samples o WHERE o.type = k.type AND o.stage = k.stage ORDER BY id DESC OFFSET $2 LIMIT 1)`;

/** The monitor's PostgreSQL-only parts: its running-jobs read and bulk sample writes. @internal */
export function postgresMonitorEngine(sql: SqlRunner): MonitorEngine {
  return {
    listRunningSql: LIST_RUNNING,
    async addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void> {
      const rows = samples.map((s) => ({
        type: s.type,
        stage: s.stage,
        duration_ms: Math.round(s.durationMs),
        at: s.at,
      }));
      await sql.run(ADD_SAMPLES, [JSON.stringify(rows), keep]);
    },
  };
}
