import type { Job, JobError } from '../../core/types.js';
import type { RestartWrite } from '../heal-store.js';
import type { Fenced } from '../job-store.js';
import { nativeCodec, rowToJob } from '../row-mapping.js';
import type { Revocations } from '../sql/revocations.js';
import { isJobId } from './job-ids.js';
import { uncharged } from './queries.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;
const JOBS = 'ai_generation_jobs';
const CHARGED = `(j.attempts + ${uncharged('j')})`;

/**
 * Ends the attempt (charged, token + 1), records it as revoked, queues the job again or fails it.
 * $1 id, $2 token, $3 error jsonb, $4 now, $5 channel
 */
const REVOKE_LEASE = `
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

/**
 * The attempt it ends is recorded as revoked, as REVOKE_LEASE does.
 * $1 id $2 run_at $3 knobs $4 pattern_id $5 now $6 error $7 token
 */
const RESTART_JOB = `
WITH updated AS (
  UPDATE ${JOBS} j
  SET status = 'queued', run_at = $2, knobs = COALESCE($3::jsonb, j.knobs), lease_token = j.lease_token + 1,
      lease_owner = NULL, lease_expires_at = NULL, max_attempts = GREATEST(j.max_attempts, j.attempts + 1),
      healing_pattern_id = $4, healing_timestamp = $5, last_error = $6::jsonb, updated_at = $5
  FROM ${JOBS} old
  WHERE j.id = $1 AND j.status = 'running' AND j.lease_token = $7 AND old.id = j.id
  RETURNING j.*, old.lease_owner AS old_owner, old.attempts + ${uncharged('old')} AS ended_attempt
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, ended_attempt, $7, old_owner, 'revoked', last_error, $5 FROM updated
)
SELECT * FROM updated`;

/** Revocations in PostgreSQL: each one statement, its wake-up a NOTIFY inside it. @internal */
export function postgresRevocations(query: Query, channel: string): Revocations {
  const revoked = async (sql: string, params: unknown[]): Promise<Job | undefined> => {
    const [row] = await query(sql, params);
    return row ? rowToJob(row, nativeCodec) : undefined;
  };
  return {
    async revokeLease(write: Fenced & { error: JobError }, now: number) {
      if (!isJobId(write.id)) return undefined;
      const error = JSON.stringify(write.error);
      return revoked(REVOKE_LEASE, [write.id, write.token, error, now, channel]);
    },
    restartJob(write: RestartWrite, now: number) {
      const knobs = write.knobs === undefined ? null : JSON.stringify(write.knobs);
      const error = JSON.stringify(write.error);
      const { id, runAt, patternId, token } = write;
      return revoked(RESTART_JOB, [id, runAt, knobs, patternId, now, error, token]);
    },
  };
}
