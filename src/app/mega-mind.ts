import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { coerceError, invalidArgument, OrchestratorError } from '../core/errors.js';
import { resolveOptions, type MegaMindOptions, type ResolvedOptions } from '../orchestrator/options.js';
import { PatternBook } from '../patterns/pattern-book.js';
import { openStore } from '../store/open-store.js';
import type { AttemptRecord, JobFilter, NewJob, Store } from '../store/store.js';
import type { Job, JobError, Json, Pattern } from '../core/types.js';
import { resolveJobDefinition, type JobDefinition, type ResolvedJobDefinition } from '../orchestrator/job-definition.js';
import { validateKnobValues } from '../orchestrator/knobs.js';
import { assertJson } from '../core/json.js';
import { Worker, type WorkerEvents } from '../orchestrator/worker.js';
import { checkEnqueueItem, checkRunAt } from './enqueue-checks.js';

/** Options of one enqueued job. */
export interface EnqueueOptions {
  /** When the job becomes due (a Date or ms since the epoch). @default now */
  runAt?: Date | number;
  /** Delay from now in ms; an alternative to `runAt`. */
  delayMs?: number;
  /** Higher runs first. @default 0 */
  priority?: number;
  /** A second enqueue with the same key returns the first job instead of adding one. */
  idempotencyKey?: string;
  /** Attempts before the job fails for good. @default the job type's maxAttempts */
  maxAttempts?: number;
  /** Starting values for the job type's declared knobs. */
  knobs?: Record<string, Json>;
}

/** One item of {@link MegaMind.enqueueMany}. */
export interface EnqueueItem {
  type: string;
  payload?: Json;
  options?: EnqueueOptions;
}

// Every name by type, so a misspelt option is refused rather than ignored.
const ENQUEUE_KEYS = {
  item: { type: true, payload: true, options: true } satisfies Record<keyof EnqueueItem, true>,
  options: { runAt: true, delayMs: true, priority: true, idempotencyKey: true, maxAttempts: true, knobs: true } satisfies Record<keyof EnqueueOptions, true>,
};

/** Events of the engine, for dashboards, logs and tests. */
export interface MegaMindEvents extends WorkerEvents {
  /** A failed attempt or an expired lease was counted on its pattern (see `learnPatterns`). */
  'pattern:recorded': [pattern: Pattern, job: Job];
}

/**
 * The job engine: define job types, enqueue jobs, and run them with leases, heartbeats,
 * checkpoints and retries on SQLite or PostgreSQL.
 */
export class MegaMind extends EventEmitter<MegaMindEvents> {
  readonly options: ResolvedOptions;
  readonly store: Store;
  /**
   * The pattern book of this engine's store. With `learnPatterns` (the default) every failed
   * attempt and expired lease is recorded in it; it can be read, and written, either way, and
   * migrates the store first if nothing else did.
   */
  readonly patterns: PatternBook;
  readonly #learning = new Set<Promise<void>>();
  readonly #definitions = new Map<string, ResolvedJobDefinition>();
  readonly #ownsStore: boolean;
  #ready: Promise<void> | undefined;
  #migrated: Promise<unknown> | undefined;
  #worker: Worker | undefined;
  #closed = false;

  constructor(options: MegaMindOptions = {}) {
    super();
    this.options = resolveOptions(options);
    this.#ownsStore = !this.options.store;
    this.store = this.options.store ?? openStore(this.options.database);
    // The book may be used before start(): it waits for the tables, not for the rest of ready().
    this.patterns = new PatternBook(this.store, { ready: () => this.#migrate(), onError: (error) => this.#reportError(error) });
  }

  /** Declares a job type and its handler. Define every type before `start()`. */
  define<P extends Json = Json>(type: string, definition: JobDefinition<P, Json | void>): this {
    if (this.#definitions.has(type)) throw new OrchestratorError('ERR_DUPLICATE_JOB_TYPE', `job type "${type}" is already defined`);
    if (this.#worker) throw invalidArgument(`define job type "${type}" before start()`);
    this.#definitions.set(type, resolveJobDefinition(type, definition as JobDefinition<never, never>));
    return this;
  }

  /** The resolved definition of a type, or undefined. */
  definition(type: string): ResolvedJobDefinition | undefined {
    return this.#definitions.get(type);
  }

  /** Defined job types. */
  get types(): string[] {
    return [...this.#definitions.keys()];
  }

  /** Applies migrations once; every other call waits for it. */
  ready(): Promise<void> {
    this.#ready ??= this.#migrate().then(() => (this.options.learnPatterns ? this.patterns.load() : undefined));
    return this.#ready;
  }

  #migrate(): Promise<unknown> {
    this.#migrated ??= this.store.migrate();
    return this.#migrated;
  }

  /** Adds one job; with an idempotency key that exists already, returns the existing job. */
  async enqueue(type: string, payload: Json = null, options: EnqueueOptions = {}): Promise<Job> {
    const [job] = await this.enqueueMany([{ type, payload, options }]);
    return job as Job;
  }

  /** Adds many jobs in one transaction; all are validated before any is stored. */
  async enqueueMany(items: readonly EnqueueItem[]): Promise<Job[]> {
    if (!Array.isArray(items)) throw invalidArgument('enqueueMany takes an array of { type, payload, options }');
    const now = this.options.clock.now();
    const rows = items.map((item, index) => this.#toNewJob(item, now, items.length > 1 ? `item ${index}: ` : ''));
    await this.ready();
    return (await this.store.insertJobs(rows, now)).map((inserted) => inserted.job);
  }

  #toNewJob(item: EnqueueItem, now: number, where: string): NewJob {
    checkEnqueueItem(item, ENQUEUE_KEYS, where);
    const { type, options = {} } = item;
    const payload = item.payload === undefined ? null : item.payload;
    const definition = this.#definitions.get(type);
    if (!definition) {
      const known = this.types.length > 0 ? ` (defined: ${this.types.join(', ')})` : '';
      throw new OrchestratorError('ERR_UNKNOWN_JOB_TYPE', `${where}unknown job type "${String(type)}"${known}`);
    }
    assertJson(payload, `${where}payload`, { maxBytes: this.options.maxPayloadBytes });
    let runAt = now;
    if (options.runAt !== undefined) {
      runAt = options.runAt instanceof Date ? options.runAt.getTime() : options.runAt;
      if (!Number.isFinite(runAt)) throw invalidArgument(`${where}runAt must be a valid Date or a number of ms since the epoch`);
    }
    if (options.delayMs !== undefined) {
      if (!(typeof options.delayMs === 'number' && Number.isFinite(options.delayMs) && options.delayMs >= 0)) {
        throw invalidArgument(`${where}delayMs must be a number of milliseconds >= 0, got ${String(options.delayMs)}`);
      }
      runAt = now + options.delayMs;
    }
    checkRunAt(runAt, where);
    const priority = options.priority ?? 0;
    if (!Number.isInteger(priority) || Math.abs(priority) > 2 ** 31 - 1) throw invalidArgument(`${where}priority must be a whole number`);
    const maxAttempts = options.maxAttempts ?? definition.maxAttempts;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
      throw invalidArgument(`${where}maxAttempts must be a whole number from 1 to 1000`);
    }
    const key = options.idempotencyKey;
    if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 255)) {
      throw invalidArgument(`${where}idempotencyKey must be a non-empty string of at most 255 characters`);
    }
    const knobs = options.knobs ?? {};
    validateKnobValues(type, definition.knobs, knobs);
    return { type, payload, priority, runAt: Math.round(runAt), maxAttempts, idempotencyKey: key ?? null, knobs };
  }

  /** A job by id, or undefined. */
  getJob(id: string): Promise<Job | undefined> {
    return this.ready().then(() => this.store.getJob(id));
  }

  /** Jobs, newest first. */
  listJobs(filter?: JobFilter): Promise<Job[]> {
    return this.ready().then(() => this.store.listJobs(filter));
  }

  /** A job's failed, expired and released attempts, oldest first. */
  listAttempts(id: string): Promise<AttemptRecord[]> {
    return this.ready().then(() => this.store.listAttempts(id));
  }

  /** Cancels a queued or running job; a running one's signal aborts. False if it had already ended. */
  async cancel(id: string): Promise<boolean> {
    await this.ready();
    const cancelled = await this.store.cancelJob(id, this.options.clock.now());
    if (cancelled) this.#worker?.abortJob(id);
    return cancelled;
  }

  /** Migrates, then starts claiming and running jobs of the defined types. */
  async start(): Promise<void> {
    if (this.#closed) throw new OrchestratorError('ERR_STORE_CLOSED', 'this engine was stopped; create a new one');
    if (this.#worker) return;
    await this.ready();
    const owner = this.options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#worker = new Worker(this.store, this.options, this.#definitions, owner, (event, ...args) => {
      if (this.options.learnPatterns && (event === 'job:failed' || event === 'job:lease-expired')) {
        this.#learn(args[0] as Job, event === 'job:failed' ? (args[1] as JobError) : undefined);
      }
      if (event === 'worker:error' && this.listenerCount('worker:error') === 0) return;
      (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    });
    await this.#worker.start();
  }

  /** Stops gracefully (see `shutdownGraceMs`) and closes the store this engine opened. */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#worker?.stop();
    // Recordings still in flight need the store, and the tree's last changes must be saved.
    await Promise.allSettled([...this.#learning]);
    await this.patterns.flush().catch((error: unknown) => this.#reportError(error));
    if (this.#ownsStore) await this.store.close();
  }

  /**
   * Records a failed attempt (or, without `error`, an expired lease: the job was stuck in its
   * stage) in the pattern book, off the worker's path: a failure to record never fails a job.
   */
  #learn(job: Job, error: JobError | undefined): void {
    const now = this.options.clock.now();
    const recorded = error
      ? this.patterns.record(
          {
            message: error.message,
            name: error.name,
            code: error.code,
            stack: error.stack,
            stage: error.stage ?? job.stage ?? undefined,
            jobType: job.type,
            jobId: job.id,
            attempt: error.attempt,
          },
          now,
        )
      : this.patterns.stuck(job.type, job.lastError?.stage ?? job.stage ?? undefined, job.progress, now, {
          jobId: job.id,
          attempt: job.lastError?.attempt ?? job.attempts,
        });
    const settled = recorded
      .then(({ pattern }) => void this.emit('pattern:recorded', pattern, job))
      .catch((thrown: unknown) => this.#reportError(thrown))
      .finally(() => this.#learning.delete(settled));
    this.#learning.add(settled);
  }

  #reportError(error: unknown): void {
    if (this.listenerCount('worker:error') > 0) this.emit('worker:error', coerceError(error));
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#worker !== undefined && !this.#closed;
  }
}

/** Creates an engine; call `define()` for each job type, then `start()`. */
export function createMegaMind(options: MegaMindOptions = {}): MegaMind {
  return new MegaMind(options);
}
