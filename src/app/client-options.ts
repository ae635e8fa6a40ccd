import type { Clock } from '../core/clock.js';
import type { JobName, KnobsOf, PayloadOf, ResultOf, UntypedJobs } from '../core/job-map.js';
import type { Logger } from '../core/logger.js';
import type { Job, JobError, Pattern } from '../core/types.js';
import type { HealerOptions } from '../heal/healer-options.js';
import type { FailureDecision } from '../orchestrator/failure-hook.js';
import type { WorkerEvents } from '../orchestrator/worker.js';
import type { Store } from '../store/store.js';
import type { EnqueueOptions } from './new-job.js';

/** The payload field of an item: optional only where the payload may be null. */
type PayloadField<P> = null extends P ? { payload?: P } : { payload: P };

/** One item of {@link MegaMindClient.enqueueMany}, checked against the job map `M`. */
export type EnqueueItem<M = UntypedJobs> = {
  [T in JobName<M>]: { type: T; options?: EnqueueOptions<KnobsOf<M, T>> } & PayloadField<
    PayloadOf<M, T>
  >;
}[JobName<M>];

/** `enqueue`'s arguments after the type: the payload may be left out only where it may be null. */
export type EnqueueArgs<M, T extends JobName<M>> =
  null extends PayloadOf<M, T>
    ? [payload?: PayloadOf<M, T>, options?: EnqueueOptions<KnobsOf<M, T>>]
    : [payload: PayloadOf<M, T>, options?: EnqueueOptions<KnobsOf<M, T>>];

/** A job of type `T` of the map `M`, with its payload and result typed. */
// A handler that returns nothing stores null: the stored result type drops `void`.
export type JobOf<M, T extends JobName<M>> = Job<PayloadOf<M, T>, Exclude<ResultOf<M, T>, void>>;

// Every name by type, so a misspelt option is refused rather than ignored.
export const ENQUEUE_KEYS = {
  item: { type: true, payload: true, options: true } satisfies Record<keyof EnqueueItem, true>,
  options: {
    runAt: true,
    delayMs: true,
    priority: true,
    idempotencyKey: true,
    idempotencyTtlMs: true,
    db: true,
    maxAttempts: true,
    knobs: true,
  } satisfies Record<keyof EnqueueOptions, true>,
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
  /**
   * Only read: never create the database file, its folder, the schema or the tables, and fail with
   * `ERR_DATABASE_NOT_FOUND` ("no Mega Mind database at …") when they are not there.
   * @default false
   */
  readOnly?: boolean;
  /** Where errors nobody listens for, and the worker's life, are logged. @default pino on stderr (see `createLogger`) */
  logger?: Logger;
  /** Options of the healer that `heal()` uses (reset hooks, fixers, escalation, LLM…). */
  heal?: HealerOptions;
  /** Largest payload accepted, as UTF-8 JSON. @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
}

export const DEFAULT_DATABASE = './.megamind/megamind.db';

export const CLIENT_OPTION_NAMES: Record<keyof MegaMindClientOptions, true> = {
  database: true,
  schema: true,
  store: true,
  closeStore: true,
  clock: true,
  maxPayloadBytes: true,
  readOnly: true,
  logger: true,
  heal: true,
};
