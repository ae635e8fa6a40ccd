import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { OrchestratorError } from '../../core/errors.js';
import type { Job, Json } from '../../core/types.js';
import { checkJobFilter } from '../job-filter.js';
import { insertedJob, rowToAttempt, rowToJob, textCodec, writtenRow } from '../row-mapping.js';
import type * as contract from '../store.js';
import * as q from './queries.js';
import { retryWhileBusy, SYNC_BUSY_MS, withBusyTimeout, withLongBusyWait } from './busy-retry.js';
import { ConcernStore } from '../concern-store.js';
import { loadBetterSqlite3 } from './load-better-sqlite3.js';
import { SqlMonitor } from '../sql/sql-monitor.js';
import { sqliteMonitorEngine } from './sqlite-monitor-engine.js';
import { SqliteRevocations } from './sqlite-revocations.js';
import { SqlCuration } from '../sql/sql-curation.js';
import { SqlJobTypes } from '../sql/sql-job-types.js';
import { SqliteMaintenance } from './sqlite-maintenance.js';
import { SqlSchedules } from '../sql/sql-schedules.js';
import { SqliteSqlRunner } from './sqlite-sql-runner.js';
import { SqliteJobEvents } from './sqlite-job-events.js';
import { SqlPatterns } from '../sql/sql-patterns.js';
import type { SqliteStoreOptions } from './sqlite-store-options.js';
import { SqliteWakeups } from './sqlite-wakeups.js';
import { migrateSqlite } from './sqlite-migrate.js';

export type { SqliteStoreOptions } from './sqlite-store-options.js';
import { SqlHeal } from '../sql/sql-heal.js';
import {
  claimJobs,
  expireLeases,
  immediateTransaction,
  recordAttemptEnd,
  type Immediate,
} from './sqlite-lease-writes.js';

type Row = Record<string, unknown>;

/**
 * Leases are timed by the store's own clock, never by the caller's `now`: every process sharing a
 * SQLite file runs on this machine's clock, so a worker's skewed or injected clock cannot matter.
 */
const leaseClock = () => Date.now();

// Processes starting together queue for the migration lock; each holds it briefly.
const MIGRATION_BUSY_MS = 30_000;

const json = (value: Json | undefined): string | null =>
  value === undefined ? null : JSON.stringify(value);

/**
 * The embedded store: one SQLite file in WAL mode. Claims are single UPDATE … RETURNING statements
 * inside immediate transactions, so several processes may share the file safely.
 */
export class SqliteStore extends ConcernStore implements contract.Store {
  readonly name = 'sqlite' as const;
  readonly profile: contract.StoreProfile = { kind: 'embedded', crossProcessWakeups: true };
  readonly filename: string;
  #db: Database.Database;
  #prepared = new Map<string, Database.Statement>();
  readonly #statements: (sql: string) => Database.Statement;
  readonly #immediate: Immediate;
  #wakeups: SqliteWakeups;
  protected readonly patternStore: SqlPatterns;
  protected readonly jobTypeStore: SqlJobTypes;
  protected readonly curationStore: SqlCuration;
  protected readonly maintenanceStore: SqliteMaintenance;
  protected readonly scheduleStore: SqlSchedules;
  protected readonly jobEventStore: SqliteJobEvents;
  protected readonly healStore: SqlHeal;
  readonly #busyTimeoutMs: number;
  readonly #enqueueSync: 'full' | 'normal';
  readonly monitoring: SqlMonitor;

  constructor(options: SqliteStoreOptions) {
    super();
    this.filename = options.filename === ':memory:' ? ':memory:' : resolve(options.filename);
    const Database = loadBetterSqlite3();
    if (this.filename !== ':memory:' && !options.mustExist)
      mkdirSync(dirname(this.filename), { recursive: true });
    try {
      // Opening (and switching to WAL) may wait on the lock as long as it takes; runtime calls may not.
      this.#db = new Database(this.filename, {
        timeout: options.busyTimeoutMs ?? 5000,
        fileMustExist: options.mustExist ?? false,
      });
    } catch (error) {
      throw new OrchestratorError(
        'ERR_DATABASE_UNREACHABLE',
        `cannot open SQLite database ${this.filename}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    // Switching to WAL writes the file header: a Mega Mind database is WAL already, anything else is left alone.
    if (!options.mustExist) this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode survives a killed process; only an OS crash can lose the last commits.
    // Enqueues switch to FULL for their own transaction (see enqueueSync).
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma(`busy_timeout = ${SYNC_BUSY_MS}`);
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.#enqueueSync = options.enqueueSync ?? 'full';
    this.#db.pragma('foreign_keys = ON');
    this.#immediate = immediateTransaction(this.#db);
    this.#wakeups = new SqliteWakeups(this.filename);
    const statements = (sql: string) => this.#stmt(sql);
    this.#statements = statements;
    const setBusyTimeout = (ms: number) => this.#db.open && this.#db.pragma(`busy_timeout = ${ms}`);
    const longWait = <T extends object>(store: T) =>
      withLongBusyWait(store, setBusyTimeout, this.#busyTimeoutMs);
    const sql = new SqliteSqlRunner(statements, this.#immediate, (call) =>
      withBusyTimeout(call, setBusyTimeout, this.#busyTimeoutMs),
    );
    this.patternStore = new SqlPatterns(sql);
    this.jobTypeStore = new SqlJobTypes(sql);
    this.scheduleStore = new SqlSchedules(sql);
    this.maintenanceStore = longWait(
      new SqliteMaintenance(statements, () => this.#wakeups.emit([])),
    );
    this.jobEventStore = new SqliteJobEvents(this.filename, statements);
    const revocations = longWait(
      new SqliteRevocations(statements, this.#immediate, (types) => this.#wakeups.emit(types)),
    );
    this.healStore = new SqlHeal(sql, revocations);
    this.monitoring = new SqlMonitor(sql, sqliteMonitorEngine(sql), revocations);
    this.curationStore = new SqlCuration(sql);
  }

  #stmt(sql: string): Database.Statement {
    let statement = this.#prepared.get(sql);
    if (!statement) {
      this.#ensureOpen();
      statement = this.#db.prepare(sql);
      this.#prepared.set(sql, statement);
    }
    return statement;
  }

  // Every job call goes through here: a closed store and a lock held elsewhere give clear errors.
  #run<T>(call: () => T): Promise<T> {
    return retryWhileBusy(
      () => {
        this.#ensureOpen();
        return call();
      },
      this.#busyTimeoutMs,
      this.filename,
    );
  }

  #ensureOpen(): void {
    if (!this.#db.open)
      throw new OrchestratorError('ERR_STORE_CLOSED', 'the SQLite store is closed');
  }

  async migrate(): Promise<contract.MigrationResult> {
    this.#ensureOpen();
    return migrateSqlite(this.#db, Math.max(this.#busyTimeoutMs, MIGRATION_BUSY_MS), this.filename);
  }

  async hasMegaMindTables(): Promise<boolean> {
    return (
      this.#stmt(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'megamind_migrations'",
      ).get() !== undefined
    );
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
    this.#prepared.clear();
  }

  insertJobs(jobs: readonly contract.NewJob[], now: number): Promise<contract.InsertedJob[]> {
    return this.#run(() => {
      const insert = this.#stmt(q.INSERT_JOB);
      const existing = this.#stmt(q.GET_JOB_BY_IDEMPOTENCY_KEY);
      const expire = this.#stmt(q.EXPIRE_IDEMPOTENCY_KEY);
      const insertAll = this.#db.transaction(() =>
        jobs.map((job): contract.InsertedJob => {
          if (job.idempotencyKey !== null)
            expire.run({ type: job.type, key: job.idempotencyKey, now });
          const id = randomUUID();
          const { changes } = insert.run({
            id,
            type: job.type,
            payload: JSON.stringify(job.payload),
            priority: job.priority,
            runAt: job.runAt,
            maxAttempts: job.maxAttempts,
            idempotencyKey: job.idempotencyKey,
            idempotencyExpiresAt: job.idempotencyExpiresAt ?? null,
            knobs: JSON.stringify(job.knobs),
            now,
          });
          // Built from what was written, as on PostgreSQL: reading the row back cost more than the insert.
          if (changes === 1) return { job: insertedJob(writtenRow(id, job), now), created: true };
          const found = existing.get({ type: job.type, key: job.idempotencyKey }) as Row;
          return { job: rowToJob(found, textCodec), created: false };
        }),
      );
      const results = this.#durably(() => insertAll.immediate());
      const types = [...new Set(results.filter((r) => r.created).map((r) => r.job.type))];
      if (types.length > 0) this.#wakeups.emit(types);
      return results;
    });
  }

  getJob(id: string): Promise<Job | undefined> {
    return this.#run(() => {
      const row = this.#stmt(q.GET_JOB).get({ id }) as Row | undefined;
      return row ? rowToJob(row, textCodec) : undefined;
    });
  }

  listJobs(filter: contract.JobFilter = {}): Promise<Job[]> {
    return this.#run(() => {
      const { limit, offset } = checkJobFilter(filter);
      const { where, params } = q.jobFilterWhere(filter);
      const sql = `SELECT * FROM ai_generation_jobs ${where} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`;
      const rows = this.#stmt(sql).all({ ...params, limit, offset }) as Row[];
      return rows.map((row) => rowToJob(row, textCodec));
    });
  }

  countJobs(filter: Omit<contract.JobFilter, 'limit' | 'offset'> = {}): Promise<number> {
    return this.#run(() => {
      checkJobFilter(filter);
      const { where, params } = q.jobFilterWhere(filter);
      const row = this.#stmt(`SELECT count(*) AS n FROM ai_generation_jobs ${where}`).get(
        params,
      ) as { n: number };
      return row.n;
    });
  }

  listAttempts(jobId: string): Promise<contract.AttemptRecord[]> {
    return this.#run(() => {
      return (this.#stmt(q.LIST_ATTEMPTS).all({ jobId }) as Row[]).map((row) =>
        rowToAttempt(row, textCodec),
      );
    });
  }

  claimJobs(request: contract.ClaimRequest): Promise<Job[]> {
    return this.#run(() => claimJobs(this.#immediate, this.#statements, request, leaseClock()));
  }

  heartbeat(writes: readonly contract.HeartbeatWrite[], now: number): Promise<Set<string>> {
    return this.#run(() => {
      const statement = this.#stmt(q.HEARTBEAT);
      const leaseNow = leaseClock();
      return this.#fencedBatch(writes, (w) =>
        statement.run({
          id: w.id,
          token: w.token,
          now,
          leaseNow,
          leaseMs: w.leaseMs,
          stage: w.stage ?? null,
          progress: w.progress ?? null,
          started: w.started ? 1 : 0,
          madeProgress: w.madeProgress ? 1 : 0,
        }),
      );
    });
  }

  saveCheckpoint(write: contract.Fenced & { data: Json }, now: number): Promise<boolean> {
    return this.#run(() => {
      const info = this.#stmt(q.SAVE_CHECKPOINT).run({
        id: write.id,
        token: write.token,
        data: json(write.data),
        now,
      });
      return info.changes === 1;
    });
  }

  completeJobs(writes: readonly contract.CompletionWrite[], now: number): Promise<Set<string>> {
    return this.#run(() => {
      const statement = this.#stmt(q.COMPLETE_JOB);
      return this.#fencedBatch(writes, (w) =>
        statement.run({
          id: w.id,
          token: w.token,
          result: json(w.result),
          knobs: w.knobs ? JSON.stringify(w.knobs) : null,
          now,
        }),
      );
    });
  }

  failJobs(writes: readonly contract.FailureWrite[], now: number): Promise<Set<string>> {
    return this.#run(() => {
      const fail = this.#stmt(q.FAIL_JOB);
      const accepted = this.#fencedBatch(writes, (w) => {
        const error = JSON.stringify(w.error);
        if (!recordAttemptEnd(this.#statements, w, 'failed', error, now)) return { changes: 0 };
        return fail.run({
          id: w.id,
          token: w.token,
          error,
          retryAt: w.retryAt,
          now,
          refund: w.refundAttempt ? 1 : 0,
          knobs: w.knobs ? JSON.stringify(w.knobs) : null,
          healingPatternId: w.healingPatternId ?? null,
        });
      });
      this.#wakeIfDue(
        writes.filter((w) => accepted.has(w.id) && w.retryAt !== null && w.retryAt <= now),
      );
      return accepted;
    });
  }

  releaseJobs(writes: readonly contract.ReleaseWrite[], now: number): Promise<Set<string>> {
    return this.#run(() => {
      const release = this.#stmt(q.RELEASE_JOB);
      const accepted = this.#fencedBatch(writes, (w) => {
        if (!recordAttemptEnd(this.#statements, w, 'released', null, now)) return { changes: 0 };
        return release.run({ id: w.id, token: w.token, runAt: w.runAt, now });
      });
      this.#wakeIfDue(writes.filter((w) => accepted.has(w.id) && w.runAt <= now));
      return accepted;
    });
  }

  expireLeases(now: number): Promise<contract.ExpiredLease[]> {
    return this.#run(() => {
      const expired = expireLeases(this.#immediate, this.#statements, now, leaseClock());
      const types = [...new Set(expired.filter((e) => e.requeued).map((e) => e.job.type))];
      if (types.length > 0) this.#wakeups.emit(types);
      return expired;
    });
  }

  msUntilNextLeaseExpiry(): Promise<number | null> {
    return this.#run(() => {
      const row = this.#stmt(q.NEXT_LEASE_EXPIRY).get({ leaseNow: leaseClock() }) as {
        in_ms: number | null;
      };
      return row.in_ms;
    });
  }

  cancelJob(id: string, now: number): Promise<boolean> {
    return this.#run(() => {
      return this.#stmt(q.CANCEL_JOB).run({ id, now }).changes === 1;
    });
  }

  async onJobsAvailable(
    listener: (types: readonly string[]) => void,
  ): Promise<() => Promise<void>> {
    return this.#wakeups.subscribe(listener);
  }

  // A pragma cannot change inside a transaction, so the enqueue's own transaction is wrapped.
  #durably<T>(call: () => T): T {
    if (this.#enqueueSync === 'normal') return call();
    this.#db.pragma('synchronous = FULL');
    try {
      return call();
    } finally {
      this.#db.pragma('synchronous = NORMAL');
    }
  }

  #fencedBatch<W extends contract.Fenced>(
    writes: readonly W[],
    apply: (write: W) => { changes: number },
  ): Set<string> {
    if (writes.length === 0) return new Set();
    return this.#immediate(() => {
      const accepted = new Set<string>();
      for (const write of writes) if (apply(write).changes === 1) accepted.add(write.id);
      return accepted;
    });
  }

  #wakeIfDue(writes: readonly contract.Fenced[]): void {
    if (writes.length > 0) this.#wakeups.emit([]);
  }
}
