import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { OrchestratorError } from '../../core/errors.js';
import type { Job } from '../../core/types.js';
import { checkJobFilter } from '../job-filter.js';
import { insertedJob, nativeCodec, rowToAttempt, rowToJob, writtenRow } from '../row-mapping.js';
import type * as contract from '../store.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { JobListener } from './job-listener.js';
import { SqlMonitor } from '../sql/sql-monitor.js';
import { postgresMonitorEngine } from './postgres-monitor-engine.js';
import { postgresRevocations } from './postgres-revocations.js';
import { SqlJobTypes } from '../sql/sql-job-types.js';
import { PostgresMaintenance } from './postgres-maintenance.js';
import { SqlSchedules } from '../sql/sql-schedules.js';
import { PostgresSqlRunner } from './postgres-sql-runner.js';
import { PostgresJobEvents } from './postgres-job-events.js';
import { SqlHeal } from '../sql/sql-heal.js';
import { SqlPatterns } from '../sql/sql-patterns.js';
import * as q from './queries.js';
import { ConcernStore } from '../concern-store.js';
import {
  connectionTimeouts,
  definedOnly,
  mapConnectionError,
  POSTGRES_TIMEOUTS,
  statementName,
  types,
} from './postgres-connection.js';
import { SqlCuration } from '../sql/sql-curation.js';
import { migratePostgres } from './postgres-migrate.js';
import type { PostgresStoreOptions } from './postgres-store-options.js';
import { isJobId, jobFilterWhere } from './job-ids.js';

export type { PostgresStoreOptions } from './postgres-store-options.js';

type Row = Record<string, unknown>;

/**
 * The distributed store: any number of processes on any number of machines share one database.
 * Claims use FOR UPDATE SKIP LOCKED; inserts wake idle workers with NOTIFY.
 */
export class PostgresStore extends ConcernStore implements contract.Store {
  readonly name = 'postgres' as const;
  readonly profile: contract.StoreProfile = { kind: 'distributed', crossProcessWakeups: true };
  readonly schema: string;
  readonly channel: string;
  #pool: pg.Pool;
  #connectionString: string;
  #listener: JobListener | undefined;
  #logger: Logger;
  #closed = false;
  readonly #timeouts: Required<
    Pick<PostgresStoreOptions, 'queryTimeoutMs' | 'connectTimeoutMs' | 'listenHealthCheckMs'>
  >;
  protected readonly patternStore: SqlPatterns;
  protected readonly jobTypeStore: SqlJobTypes;
  protected readonly maintenanceStore: PostgresMaintenance;
  protected readonly jobEventStore: PostgresJobEvents;
  protected readonly scheduleStore: SqlSchedules;
  protected readonly healStore: SqlHeal;
  readonly monitoring: SqlMonitor;
  protected readonly curationStore: SqlCuration;

  constructor(options: PostgresStoreOptions) {
    super();
    this.schema = options.schema ?? 'megamind';
    if (!/^[a-z_][a-z0-9_]{0,62}$/i.test(this.schema)) {
      throw new OrchestratorError(
        'ERR_INVALID_ARGUMENT',
        `schema must be a plain SQL identifier, got "${this.schema}"`,
      );
    }
    this.channel = `megamind_${this.schema}`.toLowerCase().slice(0, 63);
    this.#connectionString = options.connectionString;
    this.#logger = options.logger ?? silentLogger;
    this.#timeouts = { ...POSTGRES_TIMEOUTS, ...definedOnly(options) };
    this.jobEventStore = new PostgresJobEvents(this.channel, (channel) =>
      this.#newListener(channel),
    );
    this.maintenanceStore = new PostgresMaintenance(
      (sql, params) => this.#query(sql, params),
      this.channel,
    );
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      options: `-c search_path=${this.schema}`,
      types,
      ...connectionTimeouts(this.#timeouts),
    });
    // An idle client dropped by the server must not crash the process; the next query reconnects.
    this.#pool.on('error', () => {});
    const sql = new PostgresSqlRunner(this.#pool, this.#connectionString, () => this.#closed);
    this.scheduleStore = new SqlSchedules(sql);
    this.patternStore = new SqlPatterns(sql);
    this.jobTypeStore = new SqlJobTypes(sql);
    const revocations = postgresRevocations(
      (text, params) => this.#query(text, params),
      this.channel,
    );
    this.healStore = new SqlHeal(sql, revocations);
    this.curationStore = new SqlCuration(sql);
    this.monitoring = new SqlMonitor(sql, postgresMonitorEngine(sql), revocations);
  }

  // Every statement is prepared once per connection: the claim and completion CTEs otherwise
  // cost the server a parse and plan on every call, more than running them.
  async #query(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (this.#closed)
      throw new OrchestratorError('ERR_STORE_CLOSED', 'the PostgreSQL store is closed');
    try {
      const result = await this.#pool.query({
        name: statementName(sql),
        text: sql,
        values: params,
      });
      return result.rows as Row[];
    } catch (error) {
      throw mapConnectionError(error, this.#connectionString);
    }
  }

  async hasMegaMindTables(): Promise<boolean> {
    const [row] = await this.#query('SELECT to_regclass($1) IS NOT NULL AS found', [
      `"${this.schema}".megamind_migrations`,
    ]);
    return row?.found === true;
  }

  async #connect(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (error) {
      throw mapConnectionError(error, this.#connectionString);
    }
  }

  async migrate(): Promise<contract.MigrationResult> {
    const client = await this.#connect();
    try {
      return await migratePostgres(client, this.schema);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener?.close();
    await this.jobEventStore.close();
    await this.#pool.end();
  }

  async insertJobs(jobs: readonly contract.NewJob[], now: number): Promise<contract.InsertedJob[]> {
    if (jobs.length === 0) return [];
    const rows = jobs.map((job, ord) => ({
      ...writtenRow(randomUUID(), job),
      idempotency_expires_at: job.idempotencyExpiresAt ?? null,
      ord,
    }));
    const keyed = rows.filter((row) => row.idempotency_key !== null);
    if (keyed.length > 0) {
      await this.#query(q.EXPIRE_IDEMPOTENCY_KEYS, [
        keyed.map((row) => row.type),
        keyed.map((row) => row.idempotency_key),
        now,
      ]);
    }
    const created = await this.#query(q.INSERT_JOBS, [JSON.stringify(rows), now, this.channel]);
    const ids = new Set(created.map((row) => String(row.id)));
    const inserted = new Map(
      rows.flatMap((row) => (ids.has(row.id) ? [[row.id, insertedJob(row, now)] as const] : [])),
    );
    const missing = rows.filter((row) => !inserted.has(row.id));
    const existing = new Map<string, Job>();
    if (missing.length > 0) {
      for (const row of await this.#query(q.GET_JOBS_BY_IDEMPOTENCY_KEYS, [
        missing.map((m) => m.type),
        missing.map((m) => m.idempotency_key),
      ])) {
        const job = rowToJob(row, nativeCodec);
        existing.set(`${job.type}\0${job.idempotencyKey}`, job);
      }
    }
    return rows.map((row): contract.InsertedJob => {
      const job = inserted.get(row.id);
      if (job) return { job, created: true };
      const found = existing.get(`${row.type}\0${row.idempotency_key}`);
      if (!found)
        throw new Error(`job with idempotency key ${row.idempotency_key} vanished during insert`);
      return { job: found, created: false };
    });
  }

  async getJob(id: string): Promise<Job | undefined> {
    if (!isJobId(id)) return undefined;
    const [row] = await this.#query(q.GET_JOB, [id]);
    return row ? rowToJob(row, nativeCodec) : undefined;
  }

  async listJobs(filter: contract.JobFilter = {}): Promise<Job[]> {
    const { limit: max, offset } = checkJobFilter(filter);
    const { where, params } = jobFilterWhere(filter);
    const limit = params.length + 1;
    const rows = await this.#query(
      `SELECT * FROM ai_generation_jobs ${where} ORDER BY created_at DESC, seq DESC LIMIT $${limit} OFFSET $${limit + 1}`,
      [...params, max, offset],
    );
    return rows.map((row) => rowToJob(row, nativeCodec));
  }

  async countJobs(filter: Omit<contract.JobFilter, 'limit' | 'offset'> = {}): Promise<number> {
    checkJobFilter(filter);
    const { where, params } = jobFilterWhere(filter);
    const [row] = await this.#query(
      `SELECT count(*)::int AS n FROM ai_generation_jobs ${where}`,
      params,
    );
    return Number(row?.n ?? 0);
  }

  async listAttempts(jobId: string): Promise<contract.AttemptRecord[]> {
    if (!isJobId(jobId)) return [];
    return (await this.#query(q.LIST_ATTEMPTS, [jobId])).map((row) =>
      rowToAttempt(row, nativeCodec),
    );
  }

  async claimJobs(request: contract.ClaimRequest): Promise<Job[]> {
    if (request.limit <= 0 || request.types.length === 0) return [];
    const types = request.types.map((type, ord) => ({
      type,
      lim: Math.min(request.limit, request.limits?.[type] ?? request.limit),
      ord,
    }));
    const rows = await this.#query(q.CLAIM_JOBS, [
      JSON.stringify(types),
      request.owner,
      request.leaseMs,
      request.limit,
      request.now,
    ]);
    const jobs = rows.map((row) => rowToJob(row, nativeCodec));
    return jobs.sort(
      (a, b) => b.priority - a.priority || a.runAt - b.runAt || a.createdAt - b.createdAt,
    );
  }

  async heartbeat(writes: readonly contract.HeartbeatWrite[], now: number): Promise<Set<string>> {
    const rows = writes.map((w) => ({
      id: w.id,
      token: w.token,
      lease_ms: w.leaseMs,
      stage: w.stage ?? null,
      progress: w.progress ?? null,
      started: w.started === true,
      made_progress: w.madeProgress === true,
    }));
    return this.#fencedBatch(q.HEARTBEAT, rows, [now]);
  }

  async saveCheckpoint(write: contract.Fenced & { data: unknown }, now: number): Promise<boolean> {
    if (this.#closed)
      throw new OrchestratorError('ERR_STORE_CLOSED', 'the PostgreSQL store is closed');
    return (
      (
        await this.#query(`${q.SAVE_CHECKPOINT} RETURNING id`, [
          write.id,
          write.token,
          JSON.stringify(write.data),
          now,
        ])
      ).length === 1
    );
  }

  async completeJobs(
    writes: readonly contract.CompletionWrite[],
    now: number,
  ): Promise<Set<string>> {
    return this.#fencedBatch(
      q.COMPLETE_JOBS,
      writes.map((w) => ({ id: w.id, token: w.token, result: w.result, knobs: w.knobs ?? null })),
      [now],
    );
  }

  async failJobs(writes: readonly contract.FailureWrite[], now: number): Promise<Set<string>> {
    const rows = writes.map((w) => ({
      id: w.id,
      token: w.token,
      error: w.error,
      retry_at: w.retryAt,
      refund: w.refundAttempt ? 1 : 0,
      knobs: w.knobs ?? null,
      healing_pattern_id: w.healingPatternId ?? null,
    }));
    return this.#fencedBatch(q.FAIL_JOBS, rows, [now, this.channel]);
  }

  async releaseJobs(writes: readonly contract.ReleaseWrite[], now: number): Promise<Set<string>> {
    const rows = writes.map((w) => ({ id: w.id, token: w.token, run_at: w.runAt }));
    return this.#fencedBatch(q.RELEASE_JOBS, rows, [now, this.channel]);
  }

  async expireLeases(now: number): Promise<contract.ExpiredLease[]> {
    const rows = await this.#query(q.EXPIRE_LEASES, [now, this.channel]);
    return rows.map((row) => {
      const job = rowToJob(row, nativeCodec);
      return { job, requeued: job.status === 'queued', started: row.started === true };
    });
  }

  async msUntilNextLeaseExpiry(): Promise<number | null> {
    const [row] = await this.#query(q.NEXT_LEASE_EXPIRY);
    return row?.in_ms === null || row?.in_ms === undefined ? null : Number(row.in_ms);
  }

  async cancelJob(id: string, now: number): Promise<boolean> {
    if (!isJobId(id)) return false;
    return (await this.#query(`${q.CANCEL_JOB} RETURNING id`, [id, now])).length === 1;
  }

  #newListener(channel: string): JobListener {
    return new JobListener(this.#connectionString, channel, {
      healthCheckMs: this.#timeouts.listenHealthCheckMs,
      clientConfig: connectionTimeouts(this.#timeouts),
      logger: this.#logger,
    });
  }

  async onJobsAvailable(
    listener: (types: readonly string[]) => void,
  ): Promise<() => Promise<void>> {
    this.#listener ??= this.#newListener(this.channel);
    return this.#listener.subscribe(listener);
  }

  async #fencedBatch(
    sql: string,
    rows: readonly { id: string }[],
    params: unknown[],
  ): Promise<Set<string>> {
    const valid = rows.filter((row) => isJobId(row.id));
    if (valid.length === 0) return new Set();
    const result = await this.#query(sql, [JSON.stringify(valid), ...params]);
    return new Set(result.map((row) => String(row.id)));
  }
}
