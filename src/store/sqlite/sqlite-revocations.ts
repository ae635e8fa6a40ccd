import type Database from 'better-sqlite3';
import type { Job, JobError } from '../../core/types.js';
import type { RestartWrite } from '../heal-store.js';
import type { Fenced } from '../job-store.js';
import { rowToJob, textCodec } from '../row-mapping.js';
import type { Revocations } from '../sql/revocations.js';
import { UNCHARGED } from './queries.js';
import { recordAttemptEnd, type Immediate } from './sqlite-lease-writes.js';

type Row = Record<string, unknown>;
const JOBS = 'ai_generation_jobs';
const CHARGED = `(attempts + ${UNCHARGED})`;

/** @id @token @error @now — ends the attempt (charged, token + 1), queues the job again or fails it. */
const REVOKE_LEASE = `
UPDATE ${JOBS}
SET status = CASE WHEN ${CHARGED} < max_attempts THEN 'queued' ELSE 'failed' END,
    run_at = @now, last_error = @error, updated_at = @now, attempts = ${CHARGED},
    finished_at = CASE WHEN ${CHARGED} < max_attempts THEN NULL ELSE @now END,
    lease_token = lease_token + 1, lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'
RETURNING *`;

/** @id @token @runAt @knobs @patternId @error @now */
const RESTART_JOB = `
UPDATE ${JOBS}
SET status = 'queued', run_at = @runAt, knobs = COALESCE(@knobs, knobs), lease_token = lease_token + 1,
    lease_owner = NULL, lease_expires_at = NULL, max_attempts = MAX(max_attempts, attempts + 1),
    healing_pattern_id = @patternId, healing_timestamp = @now, last_error = @error, updated_at = @now
WHERE id = @id AND status = 'running' AND lease_token = @token
RETURNING *`;

/**
 * Revocations in SQLite: the attempt's history row and the job's update in one immediate
 * transaction, then a wake-up for a job queued again. @internal
 */
export class SqliteRevocations implements Revocations {
  #stmt: (sql: string) => Database.Statement;
  #immediate: Immediate;
  #wake: (types: string[]) => void;

  constructor(
    stmt: (sql: string) => Database.Statement,
    immediate: Immediate,
    wake: (types: string[]) => void,
  ) {
    this.#stmt = stmt;
    this.#immediate = immediate;
    this.#wake = wake;
  }

  async revokeLease(write: Fenced & { error: JobError }, now: number): Promise<Job | undefined> {
    const error = JSON.stringify(write.error);
    const params = { id: write.id, token: write.token, error, now };
    const job = this.#revoke(write, error, now, REVOKE_LEASE, params);
    if (job?.status === 'queued') this.#wake([job.type]);
    return job;
  }

  async restartJob(write: RestartWrite, now: number): Promise<Job | undefined> {
    const error = JSON.stringify(write.error);
    const knobs = write.knobs === undefined ? null : JSON.stringify(write.knobs);
    const { id, token, runAt, patternId } = write;
    const params = { id, token, runAt, knobs, patternId, error, now };
    return this.#revoke(write, error, now, RESTART_JOB, params);
  }

  /** Records the attempt as revoked and runs `update`, if the token is still current. */
  #revoke(write: Fenced, error: string, now: number, update: string, params: object) {
    const row = this.#immediate(() => {
      if (!recordAttemptEnd(this.#stmt, write, 'revoked', error, now)) return undefined;
      return this.#stmt(update).get(params) as Row | undefined;
    });
    return row ? rowToJob(row, textCodec) : undefined;
  }
}
