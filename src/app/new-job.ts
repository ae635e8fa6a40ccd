import { invalidArgument } from '../core/errors.js';
import type { JobTypeDescription } from '../core/job-type.js';
import { assertJson } from '../core/json.js';
import type { Json } from '../core/types.js';
import { validateKnobValues } from '../orchestrator/knobs.js';
import type { SqlExecutor } from '../store/postgres/postgres-outbox.js';
import type { NewJob } from '../store/store.js';
import { checkRunAt } from './enqueue-checks.js';

/** Options of one enqueued job; `K` types the knob values when the job type is known. */
export interface EnqueueOptions<K = Record<string, Json>> {
  /** When the job becomes due (a Date or ms since the epoch). @default now */
  runAt?: Date | number;
  /** Delay from now in ms; an alternative to `runAt`. */
  delayMs?: number;
  /** Higher runs first. @default 0 */
  priority?: number;
  /** A second enqueue of the same type with the same key returns the first job instead of adding one. */
  idempotencyKey?: string;
  /** How long the idempotency key deduplicates, in ms; after it a new job may take the key. @default forever */
  idempotencyTtlMs?: number;
  /**
   * PostgreSQL only: a `pg` Client, PoolClient or Pool of the application, inside whose open
   * transaction the job is inserted — it exists if and only if that transaction commits.
   */
  db?: SqlExecutor;
  /** Attempts before the job fails for good. @default the job type's maxAttempts */
  maxAttempts?: number;
  /** Starting values for the job type's declared knobs. */
  knobs?: Partial<K>;
}

/** An enqueue item as validated at run time, whatever the job map said at compile time. */
export type AnyItem = { type: string; payload?: Json; options?: EnqueueOptions };

/**
 * Turns one enqueue item into the row the store inserts, checking every option against the job
 * type's description and naming the first wrong one (prefixed by `where`, e.g. "item 3: ").
 */
export function toNewJob(
  item: AnyItem,
  description: JobTypeDescription,
  now: number,
  where: string,
  maxBytes: number,
): NewJob {
  const { type, options = {} } = item;
  const payload = item.payload === undefined ? null : item.payload;
  assertJson(payload, `${where}payload`, { maxBytes });
  let runAt = now;
  if (options.runAt !== undefined) {
    runAt = options.runAt instanceof Date ? options.runAt.getTime() : options.runAt;
    if (!Number.isFinite(runAt))
      throw invalidArgument(`${where}runAt must be a valid Date or a number of ms since the epoch`);
  }
  if (options.delayMs !== undefined) {
    if (!(
      typeof options.delayMs === 'number' &&
      Number.isFinite(options.delayMs) &&
      options.delayMs >= 0
    )) {
      throw invalidArgument(
        `${where}delayMs must be a number of milliseconds >= 0, got ${String(options.delayMs)}`,
      );
    }
    runAt = now + options.delayMs;
  }
  checkRunAt(runAt, where);
  const priority = options.priority ?? 0;
  if (!Number.isInteger(priority) || Math.abs(priority) > 2 ** 31 - 1)
    throw invalidArgument(`${where}priority must be a whole number`);
  const maxAttempts = options.maxAttempts ?? description.maxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    throw invalidArgument(`${where}maxAttempts must be a whole number from 1 to 1000`);
  }
  const key = options.idempotencyKey;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 255)) {
    throw invalidArgument(
      `${where}idempotencyKey must be a non-empty string of at most 255 characters`,
    );
  }
  const ttl = options.idempotencyTtlMs;
  if (ttl !== undefined && !(Number.isFinite(ttl) && ttl > 0))
    throw invalidArgument(
      `${where}idempotencyTtlMs must be a number of milliseconds greater than 0`,
    );
  if (ttl !== undefined && key === undefined)
    throw invalidArgument(`${where}idempotencyTtlMs needs an idempotencyKey`);
  const knobs = (options.knobs ?? {}) as Record<string, Json>;
  validateKnobValues(type, description.knobs, knobs);
  const idempotencyExpiresAt = ttl === undefined ? null : Math.round(now + ttl);
  return {
    type,
    payload,
    priority,
    runAt: Math.round(runAt),
    maxAttempts,
    idempotencyKey: key ?? null,
    idempotencyExpiresAt,
    knobs,
  };
}
