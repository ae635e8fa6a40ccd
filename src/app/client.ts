import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../core/clock.js';
import { coerceError, invalidArgument, OrchestratorError } from '../core/errors.js';
import type { JobTypeDescription } from '../core/job-type.js';
import { assertJson, DEFAULT_MAX_JSON_BYTES } from '../core/json.js';
import type { Job, JobError, Json, Pattern } from '../core/types.js';
import type { FailureDecision } from '../orchestrator/failure-hook.js';
import { validateKnobValues } from '../orchestrator/knobs.js';
import type { WorkerEvents } from '../orchestrator/worker.js';
import { PatternBook } from '../patterns/pattern-book.js';
import { DEFAULT_SCHEMA, parseDatabase } from '../store/database-target.js';
import { openStore } from '../store/open-store.js';
import type { AttemptRecord, JobFilter, NewJob, Store } from '../store/store.js';
import { checkEnqueueItem, checkRunAt, refuseUnknownKeys } from './enqueue-checks.js';

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

/** One item of {@link MegaMindClient.enqueueMany}. */
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
export interface MegaMindEvents extends Omit<WorkerEvents, 'job:failed'> {
  /** An attempt failed; `decision` is what the failure hooks decided (retry, wait, fail, escalate). */
  'job:failed': [job: Job, error: JobError, retryAt: number | null, decision: FailureDecision];
  /** A failed attempt or an expired lease was counted on its pattern (see `learnPatterns`). */
  'pattern:recorded': [pattern: Pattern, job: Job];
}

/** What `createMegaMindClient()` takes. Every field is optional. */
export interface MegaMindClientOptions {
  /**
   * A `postgres://` URL or a SQLite file path (optionally `sqlite:path`). Ignored when `store` is given.
   * @default process.env.DATABASE_URL, else './.megamind/megamind.db'
   */
  database?: string;
  /** PostgreSQL schema for Mega Mind's tables. @default 'megamind' */
  schema?: string;
  /** A store to use instead of opening `database`. */
  store?: Store;
  /** Close `store` on `close()`. @default true for a store the client opened, false for a given one */
  closeStore?: boolean;
  /** Source of time. @default the wall clock */
  clock?: Clock;
  /** Largest payload accepted, as UTF-8 JSON. @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
}

const DEFAULT_DATABASE = './.megamind/megamind.db';

const CLIENT_OPTION_NAMES: Record<keyof MegaMindClientOptions, true> = {
  database: true,
  schema: true,
  store: true,
  closeStore: true,
  clock: true,
  maxPayloadBytes: true,
};

/**
 * Enqueues, inspects and cancels jobs and reads the pattern book, with no handlers and no worker:
 * for a web tier, the API server, the CLI or a standalone monitor. Job types are validated against
 * what workers described in the store, so this process never loads handler code.
 */
export class MegaMindClient extends EventEmitter<MegaMindEvents> {
  readonly store: Store;
  /** The pattern book of this store; it migrates the store first if nothing else did. */
  readonly patterns: PatternBook;
  readonly clock: Clock;
  readonly #ownsStore: boolean;
  readonly #maxPayloadBytes: number;
  #migrated: Promise<unknown> | undefined;
  #described = new Map<string, JobTypeDescription>();
  #closed = false;

  constructor(options: MegaMindClientOptions = {}) {
    super();
    refuseUnknownKeys(options, CLIENT_OPTION_NAMES, '');
    this.clock = options.clock ?? systemClock;
    this.#maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_JSON_BYTES;
    this.#ownsStore = options.closeStore ?? !options.store;
    this.store = options.store ?? openStore(parseDatabase(options.database ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE, options.schema ?? DEFAULT_SCHEMA));
    // The book may be used before anything else: it waits for the tables only.
    this.patterns = new PatternBook(this.store, { ready: () => this.migrate(), onError: (error) => this.reportError(error) });
  }

  /** Applies migrations once; every other call waits for the first. */
  migrate(): Promise<unknown> {
    this.#migrated ??= this.store.migrate();
    return this.#migrated;
  }

  /** Resolves once the store is ready for use. */
  ready(): Promise<void> {
    return this.migrate().then(() => undefined);
  }

  /** Adds one job; with an idempotency key that exists already, returns the existing job. */
  async enqueue(type: string, payload: Json = null, options: EnqueueOptions = {}): Promise<Job> {
    const [job] = await this.enqueueMany([{ type, payload, options }]);
    return job as Job;
  }

  /** Adds many jobs in one transaction; all are validated before any is stored. */
  async enqueueMany(items: readonly EnqueueItem[]): Promise<Job[]> {
    if (!Array.isArray(items)) throw invalidArgument('enqueueMany takes an array of { type, payload, options }');
    await this.ready();
    const now = this.clock.now();
    const rows: NewJob[] = [];
    for (const [index, item] of items.entries()) {
      const where = items.length > 1 ? `item ${index}: ` : '';
      checkEnqueueItem(item, ENQUEUE_KEYS, where);
      rows.push(toNewJob(item, await this.#describe(item.type, where), now, where, this.#maxPayloadBytes));
    }
    return (await this.store.insertJobs(rows, now)).map((inserted) => inserted.job);
  }

  /** Every job type a worker has described, by name. */
  async jobTypes(): Promise<JobTypeDescription[]> {
    await this.ready();
    const stored = await this.store.listJobTypes();
    const byType = new Map(stored.map((description) => [description.type, description]));
    for (const local of this.localJobTypes()) byType.set(local.type, local);
    return [...byType.values()].sort((a, b) => a.type.localeCompare(b.type));
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

  /** Flushes the pattern book and closes the store this client opened. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
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

  /** Sends an error to `worker:error` listeners, if any. @internal */
  protected reportError(error: unknown): void {
    if (this.listenerCount('worker:error') > 0) this.emit('worker:error', coerceError(error));
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
    const known = [...new Set([...this.localJobTypes().map((d) => d.type), ...this.#described.keys()])].sort();
    const list = known.length > 0 ? ` (known: ${known.join(', ')})` : ' (no worker has described any job type yet)';
    throw new OrchestratorError('ERR_UNKNOWN_JOB_TYPE', `${where}unknown job type "${name}"${list}`);
  }
}

function toNewJob(item: EnqueueItem, description: JobTypeDescription, now: number, where: string, maxBytes: number): NewJob {
  const { type, options = {} } = item;
  const payload = item.payload === undefined ? null : item.payload;
  assertJson(payload, `${where}payload`, { maxBytes });
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
  const maxAttempts = options.maxAttempts ?? description.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    throw invalidArgument(`${where}maxAttempts must be a whole number from 1 to 1000`);
  }
  const key = options.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 255)) {
    throw invalidArgument(`${where}idempotencyKey must be a non-empty string of at most 255 characters`);
  }
  const knobs = options.knobs ?? {};
  validateKnobValues(type, description.knobs, knobs);
  return { type, payload, priority, runAt: Math.round(runAt), maxAttempts, idempotencyKey: key ?? null, knobs };
}

/** Creates a client that enqueues and reads without handlers. */
export function createMegaMindClient(options: MegaMindClientOptions = {}): MegaMindClient {
  return new MegaMindClient(options);
}
