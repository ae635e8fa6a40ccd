import type { Logger } from '../core/logger.js';
import { SECOND } from '../core/clock.js';
import { systemClock, type Clock } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import { DEFAULT_MAX_JSON_BYTES } from '../core/json.js';
import type { FailureHook } from './failure-hook.js';
import type { KnobAdvisor } from './knobs.js';
import { validateRetention, type RetentionPolicy } from './retention.js';
import { ExponentialBackoff, type RetryPolicy } from './retry-policy.js';
import { DEFAULT_SCHEMA, parseDatabase, type DatabaseTarget } from '../store/database-target.js';
import type { Store } from '../store/store.js';

/** What `createMegaMind()` takes. Every field is optional. */
export interface MegaMindOptions {
  /**
   * Where jobs live: a `postgres://` URL (distributed), or a SQLite file path, optionally as
   * `sqlite:path` (embedded). Ignored when `store` is given.
   * @default './.megamind/megamind.db'
   */
  database?: string;
  /** PostgreSQL schema for Mega Mind's tables. @default 'megamind' */
  schema?: string;
  /** A store to use instead of opening `database`. */
  store?: Store;
  /** How long a claim holds a job without a heartbeat; a dead worker's job runs again after it. @default 10000 */
  leaseMs?: number;
  /** How often running jobs renew their leases. @default leaseMs / 3 */
  heartbeatIntervalMs?: number;
  /** How often to look for due jobs and expired leases when no wake-up came. @default 1000 */
  pollIntervalMs?: number;
  /** How long `stop()` lets running jobs finish before aborting them. @default 10000 */
  shutdownGraceMs?: number;
  /**
   * Jobs claimed ahead of free slots, per type, as a multiple of its concurrency; types whose
   * attempts average under 50 ms hold up to 250. 0 turns prefetching off.
   * @default 1
   */
  prefetch?: number;
  /** Name of this worker in leases. @default hostname:pid:random */
  workerId?: string;
  /** Decides whether and when a failed job runs again. @default exponential backoff with jitter */
  retryPolicy?: RetryPolicy;
  /**
   * Hooks that decide, before a failed attempt is written, whether the job retries, waits, changes
   * knobs, fails or is escalated; outermost first. The retry policy ends the chain.
   * @default []
   */
  failureHooks?: readonly FailureHook[];
  /** Where errors nobody listens for, and the worker's life, are logged. @default pino on stderr */
  logger?: Logger;
  /** What a running engine prunes, and how often (see `RetentionPolicy` for the defaults); false: nothing. */
  retention?: RetentionPolicy | false;
  /** Source of time. @default the wall clock */
  clock?: Clock;
  /**
   * Record every failed attempt and expired lease in the pattern book (`mm.patterns`), so each
   * error gets a signature, a category and remedies, counted per pattern.
   * @default true
   */
  learnPatterns?: boolean;
  /** Largest payload, result or checkpoint, as UTF-8 JSON. @default 1048576 (1 MiB) */
  maxPayloadBytes?: number;
}

/** Options with every default filled in; durations in milliseconds. */
export interface ResolvedOptions {
  database: DatabaseTarget;
  store: Store | undefined;
  leaseMs: number;
  heartbeatIntervalMs: number;
  pollIntervalMs: number;
  shutdownGraceMs: number;
  prefetch: number;
  workerId: string | undefined;
  retryPolicy: RetryPolicy;
  failureHooks: readonly FailureHook[];
  logger: Logger | undefined;
  retention: RetentionPolicy | false;
  clock: Clock;
  learnPatterns: boolean;
  maxPayloadBytes: number;
  /** Learned starting knob values (set by the app from its healer, not a user option). */
  knobAdvisor?: KnobAdvisor;
}

const DEFAULTS = {
  database: './.megamind/megamind.db',
  schema: DEFAULT_SCHEMA,
  leaseMs: 10 * SECOND,
  pollIntervalMs: 1 * SECOND,
  shutdownGraceMs: 10 * SECOND,
  prefetch: 1,
  learnPatterns: true,
  maxPayloadBytes: DEFAULT_MAX_JSON_BYTES,
} satisfies Partial<Record<keyof MegaMindOptions, unknown>>;

function checkDuration(name: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw invalidArgument(
      `${name} must be a number of milliseconds greater than 0, got ${String(value)}`,
    );
  }
}

// Every option by name, so a misspelt one is refused rather than silently ignored.
const OPTION_NAMES: Record<keyof MegaMindOptions, true> = {
  database: true,
  schema: true,
  store: true,
  leaseMs: true,
  heartbeatIntervalMs: true,
  pollIntervalMs: true,
  shutdownGraceMs: true,
  prefetch: true,
  workerId: true,
  retryPolicy: true,
  failureHooks: true,
  clock: true,
  learnPatterns: true,
  maxPayloadBytes: true,
  logger: true,
  retention: true,
};

/** Fills in defaults and validates, once, naming the first wrong option. */
export function resolveOptions(options: MegaMindOptions = {}): ResolvedOptions {
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(OPTION_NAMES, key))
      throw invalidArgument(
        `unknown option "${key}" (known: ${Object.keys(OPTION_NAMES).join(', ')})`,
      );
  }
  for (const name of [
    'leaseMs',
    'heartbeatIntervalMs',
    'pollIntervalMs',
    'shutdownGraceMs',
  ] as const) {
    checkDuration(name, options[name]);
  }
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.max(1, Math.floor(leaseMs / 3));
  if (heartbeatIntervalMs >= leaseMs) {
    throw invalidArgument(
      `heartbeatIntervalMs (${heartbeatIntervalMs}) must be shorter than leaseMs (${leaseMs})`,
    );
  }
  if (options.retention) validateRetention(options.retention);
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes;
  if (!(Number.isInteger(maxPayloadBytes) && maxPayloadBytes > 0))
    throw invalidArgument('maxPayloadBytes must be a whole number of bytes > 0');
  const hooks = options.failureHooks ?? [];
  if (
    !Array.isArray(hooks) ||
    !hooks.every((hook) => typeof (hook as Partial<FailureHook>)?.onFailure === 'function')
  ) {
    throw invalidArgument(
      'failureHooks must be an array of objects with an onFailure(context, next) method',
    );
  }
  const prefetch = options.prefetch ?? DEFAULTS.prefetch;
  if (!(Number.isFinite(prefetch) && prefetch >= 0))
    throw invalidArgument('prefetch must be a number >= 0');
  return {
    database: parseDatabase(
      options.database ?? process.env.DATABASE_URL ?? DEFAULTS.database,
      options.schema ?? DEFAULTS.schema,
    ),
    store: options.store,
    leaseMs,
    heartbeatIntervalMs,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs,
    prefetch,
    workerId: options.workerId,
    retryPolicy: options.retryPolicy ?? new ExponentialBackoff(),
    failureHooks: [...hooks],
    logger: options.logger,
    retention: options.retention ?? {},
    clock: options.clock ?? systemClock,
    learnPatterns: options.learnPatterns ?? DEFAULTS.learnPatterns,
    maxPayloadBytes,
  };
}
