import type { DurationSample } from '../monitor-store.js';
import type { MonitorEngine } from '../sql/sql-monitor.js';
import { changes, type SqlRunner } from '../sql/sql-runner.js';

/**
 * The candidates out of the running jobs: each job against its type's rule (a JSON array, parsed
 * once into a materialized table), or the default stuck threshold. The planner is told to read
 * the partial index of running leases.
 */
const LIST_RUNNING = `
WITH r AS MATERIALIZED (
  SELECT value ->> '$.type' AS type, value ->> '$.stuckAfterMs' AS stuck, value ->> '$.slowAfterMs' AS slow,
         value ->> '$.stageSlowAfterMs' AS stage_slow, value ->> '$.predictFromMs' AS predict_from,
         value ->> '$.predictAfterMs' AS predict_after
  FROM json_each($3))
SELECT j.id, j.type, j.stage, j.progress, j.attempts, j.lease_token, j.lease_owner, j.lease_expires_at,
       j.attempt_started_at, j.stage_started_at, j.progress_at, j.heartbeat_at
FROM ai_generation_jobs j INDEXED BY ai_generation_jobs_leased
LEFT JOIN r ON r.type = j.type
WHERE j.status <> 'queued' AND j.status = 'running' AND j.lease_expires_at IS NOT NULL AND j.charged_token IS j.lease_token
  AND ($1 = 1 OR j.progress_at IS NULL
       OR j.progress_at <= $2 - COALESCE(r.stuck, $4)
       OR j.attempt_started_at <= $2 - r.slow
       OR j.stage_started_at <= $2 - r.stage_slow
       OR (j.progress >= $5 AND j.progress < 100 AND j.attempt_started_at <= $2 - r.predict_from
           AND ($2 - j.attempt_started_at) * 100 > r.predict_after * j.progress))`;

/** $1 type $2 stage $3 duration ms $4 at */
const INSERT_SAMPLE = `
INSERT INTO job_duration_samples (type, stage, duration_ms, at) VALUES ($1, $2, $3, $4)`;

/** $1 type $2 stage $3 keep — drops all but the newest `keep` samples of one key. */
const PRUNE_SAMPLES = `
DELETE FROM job_duration_samples WHERE type = $1 AND stage = $2 AND id <= (
  SELECT id FROM job_duration_samples WHERE type = $1 AND stage = $2 ORDER BY id DESC LIMIT 1 OFFSET $3)`;

/** The monitor's SQLite-only parts: its running-jobs read and sample writes in one transaction. @internal */
export function sqliteMonitorEngine(sql: SqlRunner): MonitorEngine {
  return {
    listRunningSql: LIST_RUNNING,
    async addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void> {
      await sql.transaction(function* () {
        const keys = new Map<string, { type: string; stage: string }>();
        for (const s of samples) {
          yield* changes(INSERT_SAMPLE, [s.type, s.stage, s.durationMs, s.at]);
          keys.set(`${s.type}\u0000${s.stage}`, { type: s.type, stage: s.stage });
        }
        for (const key of keys.values()) yield* changes(PRUNE_SAMPLES, [key.type, key.stage, keep]);
      });
    },
  };
}
