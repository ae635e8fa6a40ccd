import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../core/clock.js';
import { coerceError, invalidArgument, OrchestratorError } from '../core/errors.js';
import type { JobMap, JobName, ResultOf, UntypedJobs } from '../core/job-map.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { Logger } from '../core/logger.js';
import { DEFAULT_MAX_JSON_BYTES } from '../core/json.js';
import type { Job, Json } from '../core/types.js';
import { PatternBook } from '../patterns/pattern-book.js';
import { DEFAULT_SCHEMA, parseDatabase, type DatabaseTarget } from '../store/database-target.js';
import { noDatabase } from '../store/existing-database.js';
import { openStore } from '../store/open-store.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import {
  insertJobsWithin,
  isSqlExecutor,
  type SqlExecutor,
} from '../store/postgres/postgres-outbox.js';
import { createLogger } from './create-logger.js';
import { toNewJob, type AnyItem } from './new-job.js';

export type { EnqueueOptions } from './new-job.js';
import { FinishedJobs } from './finished-jobs.js';
import type {
  AttemptRecord,
  Improvement,
  ImprovementFilter,
  JobFilter,
  NewJob,
  Store,
} from '../store/store.js';
import { Healer } from '../heal/healer.js';
import type { HealerOptions } from '../heal/healer-options.js';
import type { HealReport } from '../heal/heal-report.js';
import type { FixerRequest, RemedyRequest } from '../heal/manual-remedy.js';
import { checkEnqueueItem, refuseUnknownKeys } from './enqueue-checks.js';
import { checkImprovementFilter, checkManualRequest } from './heal-request-checks.js';
import {
  CLIENT_OPTION_NAMES,
  DEFAULT_DATABASE,
  ENQUEUE_KEYS,
  type EnqueueArgs,
  type EnqueueItem,
  type JobOf,
  type MegaMindClientOptions,
  type MegaMindEvents,
} from './client-options.js';

export type {
  EnqueueArgs,
  EnqueueItem,
  JobOf,
  MegaMindClientOptions,
  MegaMindEvents,
} from './client-options.js';

/**
 * Enqueues, inspects and cancels jobs and reads the pattern book, with no handlers and no worker:
 * for a web tier, the API server, the CLI or a standalone monitor. Job types are validated against
 * what workers described in the store, so this process never loads handler code.
 */
export class MegaMindClient<
  M extends JobMap<M> = UntypedJobs,
> extends EventEmitter<MegaMindEvents> {
  readonly store: Store;
  /** The pattern book of this store; it migrates the store first if nothing else did. */
  readonly patterns: PatternBook;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly #ownsStore: boolean;
  readonly #maxPayloadBytes: number;
  #migrated: Promise<unknown> | undefined;
  #described = new Map<string, JobTypeDescription>();
  #closed = false;
  readonly #finished: FinishedJobs;
  readonly #readOnly: { target: DatabaseTarget | undefined } | undefined;
  readonly #healOptions: HealerOptions;
  #healer: Healer | undefined;

  constructor(options: MegaMindClientOptions = {}) {
    super();
    refuseUnknownKeys(options, CLIENT_OPTION_NAMES, '');
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger();
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_JSON_BYTES;
    this.#ownsStore = options.closeStore ?? !options.store;
    const target = options.store
      ? undefined
      : parseDatabase(
          options.database ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE,
          options.schema ?? DEFAULT_SCHEMA,
        );
    this.#readOnly = options.readOnly ? { target } : undefined;
    this.store = options.store ?? openStore(target!, this.logger, { mustExist: options.readOnly });
    this.#finished = new FinishedJobs(this.store, (job) => this.#reportFinished(job));
    // The book may be used before anything else: it waits for the tables only.
    this.patterns = new PatternBook(this.store, {
      ready: () => this.migrate(),
      onError: (error) => this.reportError(error),
    });
    this.#healOptions = options.heal ?? {};
  }

  /** The learning healer of this store, made on first use (the engine's failure hook when `heal` is on). */
  get healer(): Healer {
    if (!this.#healer) {
      const deps = {
        store: this.store,
        patterns: this.patterns,
        clock: this.clock,
        listJobTypes: () => this.jobTypes(),
        onError: (error: Error) => this.reportError(error),
      };
      this.#healer = new Healer(deps, this.#healOptions);
      this.#healer.on('recorded', (pattern, job) => this.emit('pattern:recorded', pattern, job));
    }
    return this.#healer;
  }

  /**
   * Heals one failed job (`jobId`) or scans the failed ones: each gets a remedy and is queued
   * again, failed or escalated; each report says what was detected, the pattern (new or known),
   * what was applied and the outcome so far.
   */
  async heal(request: { jobId?: string; limit?: number } = {}): Promise<HealReport[]> {
    if (typeof request !== 'object' || request === null)
      throw invalidArgument('heal() takes { jobId?, limit? }');
    if (request.jobId !== undefined && typeof request.jobId !== 'string')
      throw invalidArgument('jobId must be a string');
    if (request.limit !== undefined && !(Number.isInteger(request.limit) && request.limit >= 1))
      throw invalidArgument(`limit must be a whole number >= 1, got ${String(request.limit)}`);
    await this.ready();
    return this.healer.heal(request);
  }

  /**
   * Applies one catalogue remedy, with parameters, to a failed or queued job (the seed's
   * auto-fix-engine): e.g. `{ jobId, action: 'increase_timeout', params: { factor: 2 } }`. The job
   * runs again with it and the outcome is learned like any heal. Refuses, changing nothing, an
   * unknown action, parameters the action's schema or the job type's knobs do not allow, a remedy
   * that cannot act on the job, or a job that is running or finished.
   */
  async applyRemedy(request: RemedyRequest): Promise<HealReport> {
    checkManualRequest(request, 'applyRemedy', 'action');
    await this.ready();
    return this.healer.applyRemedy(request);
  }

  /**
   * Runs a registered fixer (healer option `fixers`), by name, on a failed or queued job (the
   * seed's self-heal); its change is kept only if the job's re-run passes.
   */
  async applyFixer(request: FixerRequest): Promise<HealReport> {
    checkManualRequest(request, 'applyFixer', 'fixer');
    await this.ready();
    return this.healer.applyFixer(request);
  }

  /** Applies migrations once; every other call waits for the first. */
  migrate(): Promise<unknown> {
    this.#migrated ??= this.#readOnly
      ? this.#assertExists(this.#readOnly.target)
      : this.store.migrate();
    return this.#migrated;
  }

  async #assertExists(target: DatabaseTarget | undefined): Promise<void> {
    if (await this.store.hasMegaMindTables()) return;
    if (target) throw noDatabase(target, 'it holds no Mega Mind tables');
    throw new OrchestratorError(
      'ERR_DATABASE_NOT_FOUND',
      `no Mega Mind database in this ${this.store.name} store: it holds no Mega Mind tables`,
    );
  }

  /** Resolves once the store is ready for use. */
  ready(): Promise<void> {
    return this.migrate().then(() => undefined);
  }

  /** Adds one job; with an idempotency key that exists already for its type, returns the existing job. */
  async enqueue<T extends JobName<M>>(
    type: T,
    ...[payload, options]: EnqueueArgs<M, T>
  ): Promise<JobOf<M, T>> {
    const [job] = await this.enqueueMany([{ type, payload, options } as unknown as EnqueueItem<M>]);
    return job as JobOf<M, T>;
  }

  /** Adds many jobs in one transaction; all are validated before any is stored. */
  async enqueueMany(items: readonly EnqueueItem<M>[]): Promise<Array<JobOf<M, JobName<M>>>> {
    if (!Array.isArray(items))
      throw invalidArgument('enqueueMany takes an array of { type, payload, options }');
    await this.ready();
    const rows = await this.newJobs(items as unknown as readonly AnyItem[]);
    const db = (items[0] as AnyItem | undefined)?.options?.db;
    if (db !== undefined)
      return (await this.#insertWithin(db, items as unknown as readonly AnyItem[], rows)) as Array<
        JobOf<M, JobName<M>>
      >;
    return (await this.store.insertJobs(rows, this.clock.now())).map(
      (inserted) => inserted.job as JobOf<M, JobName<M>>,
    );
  }

  async #insertWithin(db: SqlExecutor, items: readonly AnyItem[], rows: NewJob[]): Promise<Job[]> {
    if (!(this.store instanceof PostgresStore))
      throw invalidArgument('enqueue with `db` (inside your transaction) needs a PostgreSQL store');
    if (!isSqlExecutor(db)) throw invalidArgument('db must be a pg Client, PoolClient or Pool');
    if (items.some((item) => item.options?.db !== db))
      throw invalidArgument('enqueueMany: every item must name the same db');
    return insertJobsWithin(db, this.store.schema, rows, this.clock.now());
  }

  /** Validates items and turns them into rows, naming the item and field of the first mistake. @internal */
  protected async newJobs(items: readonly AnyItem[]): Promise<NewJob[]> {
    const now = this.clock.now();
    const rows: NewJob[] = [];
    for (const [index, item] of items.entries()) {
      const where = items.length > 1 ? `item ${index}: ` : '';
      checkEnqueueItem(item, ENQUEUE_KEYS, where);
      const description = await this.#describe(item.type, where);
      const payload = this.parsePayload(
        item.type,
        item.payload === undefined ? null : item.payload,
        where,
      );
      rows.push(toNewJob({ ...item, payload }, description, now, where, this.#maxPayloadBytes));
    }
    return rows;
  }

  /** Checks a payload against the type's schema where this process defines one; the engine overrides it. @internal */
  protected parsePayload(_type: string, payload: Json, _where: string): Json {
    return payload;
  }

  /** Every job type a worker has described, by name. */
  async jobTypes(): Promise<JobTypeDescription[]> {
    await this.ready();
    const stored = await this.store.listJobTypes();
    const byType = new Map(stored.map((description) => [description.type, description]));
    for (const local of this.localJobTypes()) byType.set(local.type, local);
    return [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
  }

  /** The improvement log (`ai_improvement_logs`): every heal, newest first. */
  async improvements(filter: ImprovementFilter = {}): Promise<Improvement[]> {
    checkImprovementFilter(filter);
    await this.ready();
    return this.store.listImprovements(filter);
  }

  /** A job by id, or undefined. */
  async getJob(id: string): Promise<Job | undefined> {
    await this.ready();
    return this.store.getJob(id);
  }

  /** Jobs, newest first. */
  async listJobs(filter?: JobFilter): Promise<Job[]> {
    await this.ready();
    return this.store.listJobs(filter);
  }

  /** How many jobs match. */
  async countJobs(filter?: Omit<JobFilter, 'limit' | 'offset'>): Promise<number> {
    await this.ready();
    return this.store.countJobs(filter);
  }

  /** A job's failed, expired and released attempts, oldest first. */
  async listAttempts(id: string): Promise<AttemptRecord[]> {
    await this.ready();
    return this.store.listAttempts(id);
  }

  /** Cancels a queued or running job; a running one loses its lease. False if it had already ended. */
  async cancel(id: string): Promise<boolean> {
    await this.ready();
    return this.store.cancelJob(id, this.clock.now());
  }

  /** Queues a failed or cancelled job again with a fresh round of attempts. False if it was not failed or cancelled. */
  async retry(id: string): Promise<boolean> {
    await this.ready();
    return this.store.retryJob(id, this.clock.now());
  }

  /**
   * Starts emitting `job:completed` and `job:failed` (failed for good: `retryAt` null) for jobs that
   * other processes finish — LISTEN on PostgreSQL, the WAL watch on SQLite. An engine does not
   * report its own jobs twice.
   */
  async watch(): Promise<void> {
    await this.ready();
    await this.#finished.watch(this.clock.now());
  }

  /**
   * Waits until a job finishes, wherever it runs (BullMQ's `waitUntilFinished`): resolves with
   * its result when it completed; rejects with `ERR_JOB_FAILED` (the error carries `job`) when it
   * failed for good or was cancelled, and with `ERR_WAIT_TIMEOUT` after `timeoutMs`.
   */
  async result<T extends JobName<M>>(
    id: string,
    options: { type?: T; timeoutMs?: number } = {},
  ): Promise<ResultOf<M, T>> {
    await this.ready();
    const job = await this.#finished.result(id, this.clock.now(), options.timeoutMs);
    return job.result as ResultOf<M, T>;
  }

  /** True once `watch()` was called. @internal */
  protected get watching(): boolean {
    return this.#finished.reporting;
  }

  /** True when this process already reported the job's end itself (the engine overrides it). @internal */
  protected reportedLocally(_job: Job): boolean {
    return false;
  }

  #reportFinished(job: Job): void {
    if (this.reportedLocally(job)) return;
    if (job.status === 'completed') this.emit('job:completed', job, job.result);
    else if (job.status === 'failed')
      this.emit(
        'job:failed',
        job,
        job.lastError ?? { message: 'failed', attempt: job.attempts, at: job.updatedAt },
        null,
        { kind: 'fail' },
      );
  }

  /** Flushes the pattern book and closes the store this client opened. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#finished.close();
    await this.patterns.flush().catch((error: unknown) => this.reportError(error));
    if (this.#ownsStore) await this.store.close();
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Types this process defined itself; the engine overrides it. @internal */
  protected localJobTypes(): JobTypeDescription[] {
    return [];
  }

  /** Sends an error to `worker:error` listeners, or to the log when there are none: no error is dropped. @internal */
  protected reportError(error: unknown): void {
    if (this.listenerCount('worker:error') > 0) this.emit('worker:error', coerceError(error));
    else this.logger.error({ err: coerceError(error) }, 'worker error');
  }

  // Local definitions win; otherwise the stored descriptions, read again on a miss so that a type a
  // worker described after this client started is found.
  async #describe(type: unknown, where: string): Promise<JobTypeDescription> {
    const name = String(type);
    const local = this.localJobTypes().find((d) => d.type === name);
    if (local) return local;
    let described = this.#described.get(name);
    if (!described) {
      this.#described = new Map((await this.store.listJobTypes()).map((d) => [d.type, d]));
      described = this.#described.get(name);
    }
    if (described) return described;
    const known = [
      ...new Set([...this.localJobTypes().map((d) => d.type), ...this.#described.keys()]),
    ].sort();
    const list =
      known.length > 0
        ? ` (known: ${known.join(', ')})`
        : ' (no worker has described any job type yet)';
    throw new OrchestratorError(
      'ERR_UNKNOWN_JOB_TYPE',
      `${where}unknown job type "${name}"${list}`,
    );
  }
}

/** Creates a client that enqueues and reads without handlers. */
export function createMegaMindClient<M extends JobMap<M> = UntypedJobs>(
  options: MegaMindClientOptions = {},
): MegaMindClient<M> {
  return new MegaMindClient<M>(options);
}
