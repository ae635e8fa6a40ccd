import type Database from 'better-sqlite3';
import type { Job, JobError } from '../../core/types.js';
import { isCorruptJob, rowToJob, textCodec } from '../row-mapping.js';
import type { ClaimRequest, ExpiredLease, Fenced } from '../store.js';
import * as q from './queries.js';

type Row = Record<string, unknown>;
type Statements = (sql: string) => Database.Statement;
/** Runs `body` in an immediate transaction (see {@link immediateTransaction}). @internal */
export type Immediate = <T>(body: () => T) => T;

/**
 * One immediate-transaction runner for a connection. better-sqlite3's transaction() builds four
 * wrapper functions and their properties each time it is called; the job path opens a transaction
 * per claim and per batch of outcomes, so it is built once. @internal
 */
export function immediateTransaction(db: Database.Database): Immediate {
  return db.transaction((body: () => unknown) => body()).immediate as Immediate;
}

/**
 * All rows of `statement` as objects built here from its raw values. better-sqlite3 builds each
 * row object through V8's API, name by name; for a job row's 31 columns that costs more than
 * this (about 7 against 4.5 us a row), and a claim reads one row for every job it hands out.
 */
function allRows(statement: Database.Statement, params: object): Row[] {
  const all = statement.raw(true).all(params) as unknown[][];
  // Read after the run: a schema changed by another process re-prepares the statement as it runs.
  const names = statement.columns().map((column) => column.name);
  const rows: Row[] = [];
  for (const values of all) {
    const row: Row = {};
    for (let i = 0; i < names.length; i += 1) row[names[i]!] = values[i];
    rows.push(row);
  }
  return rows;
}

/**
 * Claims up to `request.limit` due jobs, type by type within each type's limit, in one immediate
 * transaction; `leaseNow` is the store's clock, which times the leases. @internal
 */
export function claimJobs(
  immediate: Immediate,
  stmt: Statements,
  request: ClaimRequest,
  leaseNow: number,
): Job[] {
  if (request.limit <= 0 || request.types.length === 0) return [];
  const claim = stmt(q.CLAIM_JOBS);
  const quarantine = stmt(q.QUARANTINE_JOB);
  const jobs = immediate(() => {
    const claimed: Row[] = [];
    for (const type of request.types) {
      if (claimed.length >= request.limit) break;
      const limit = Math.min(
        request.limit - claimed.length,
        request.limits?.[type] ?? request.limit,
      );
      const params = {
        type,
        owner: request.owner,
        leaseMs: request.leaseMs,
        limit,
        now: request.now,
        leaseNow,
      };
      claimed.push(...allRows(claim, params));
    }
    // A row edited outside Mega Mind into something unreadable fails here, with a clear error,
    // instead of running its handler on a payload that is not there.
    return claimed
      .map((row) => rowToJob(row, textCodec))
      .filter((job) => {
        if (!isCorruptJob(job)) return true;
        quarantine.run({
          id: job.id,
          token: job.leaseToken,
          error: JSON.stringify(job.lastError),
          now: request.now,
        });
        return false;
      });
  });
  // RETURNING gives no order guarantee; hand jobs out in the order they were picked.
  return jobs.sort(
    (a, b) => b.priority - a.priority || a.runAt - b.runAt || a.createdAt - b.createdAt,
  );
}

/**
 * Records how an attempt ended, if `write` still holds its lease; false when it does not (then the
 * caller writes nothing either). Runs inside the caller's transaction. @internal
 */
export function recordAttemptEnd(
  stmt: Statements,
  write: Fenced,
  outcome: 'failed' | 'released' | 'revoked',
  error: string | null,
  now: number,
): boolean {
  const held = stmt(q.GET_LEASE).get({ id: write.id, token: write.token }) as
    { attempts: number; lease_owner: string | null } | undefined;
  if (!held) return false;
  stmt(q.INSERT_ATTEMPT).run({
    jobId: write.id,
    attempt: held.attempts,
    token: write.token,
    owner: held.lease_owner,
    outcome,
    error,
    now,
  });
  return true;
}

/**
 * Takes back every job whose lease ran out by the store's clock (`leaseNow`): queued again while
 * attempts are left, failed otherwise. A job claimed but never started goes back as it was. @internal
 */
export function expireLeases(
  immediate: Immediate,
  stmt: Statements,
  now: number,
  leaseNow: number,
): ExpiredLease[] {
  const select = stmt(q.SELECT_EXPIRED);
  const expire = stmt(q.EXPIRE_LEASE);
  const attempt = stmt(q.INSERT_ATTEMPT);
  return immediate(() =>
    (select.all({ leaseNow }) as Row[]).map((row) => {
      const before = rowToJob(row, textCodec);
      const error: JobError = {
        message: `lease of ${before.leaseOwner ?? 'unknown worker'} expired without a heartbeat`,
        name: 'LeaseExpiredError',
        code: 'ERR_LEASE_EXPIRED',
        stage: before.stage ?? undefined,
        attempt: before.attempts,
        at: now,
        kind: 'lease_expired',
      };
      // A job claimed but never started goes back as it was: no attempt spent, none recorded.
      const started = row.started === 1;
      const text = started ? JSON.stringify(error) : (row.last_error as string | null);
      if (started) {
        attempt.run({
          jobId: before.id,
          attempt: before.attempts,
          token: before.leaseToken,
          owner: before.leaseOwner,
          outcome: 'lease_expired',
          error: text,
          now,
        });
      }
      const after = rowToJob(
        expire.get({ id: before.id, token: before.leaseToken, error: text, now }) as Row,
        textCodec,
      );
      return { job: after, requeued: after.status === 'queued', started };
    }),
  );
}
