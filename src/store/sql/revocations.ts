import type { Job, JobError } from '../../core/types.js';
import type { RestartWrite } from '../heal-store.js';
import type { Fenced } from '../job-store.js';

/**
 * Ending a running attempt from outside, fenced by its lease token: the token is bumped so the old
 * attempt's writes are refused, the attempt is recorded as revoked, and the job is queued again.
 * Each engine writes this its own way, since it shares the job path's lease bookkeeping (one
 * statement on PostgreSQL, an immediate transaction on SQLite).
 */
export interface Revocations {
  /** The monitor's revoke (see `MonitorStore.revokeLease`). */
  revokeLease(write: Fenced & { error: JobError }, now: number): Promise<Job | undefined>;
  /** The healer's restart (see `HealStore.restartJob`). */
  restartJob(write: RestartWrite, now: number): Promise<Job | undefined>;
}
