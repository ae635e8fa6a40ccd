import { SECOND } from './clock.js';
import { systemClock, type Clock } from './clock.js';
import { OrchestratorError, invalidArgument } from './errors.js';
import { ExponentialBackoff, type RetryPolicy } from './orchestrator/retry-policy.js';
import type { Store } from './store/store.js';

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
  /** Source of time. @default the wall clock */
  clock?: Clock;
  /**
   * Record every failed attempt and expired lease in the pattern book (`mm.patterns`), so each
   * error gets a signature, a category and remedies, counted per pattern.
   * @default true
   */
  learnPatterns?: boolean;
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
  clock: Clock;
  learnPatterns: boolean;
}

/** Where the store lives, parsed from `database`. */
export type DatabaseTarget =
  | { engine: 'sqlite'; filename: string }
  | { engine: 'postgres'; connectionString: string; schema: string };

const DEFAULTS = {
  database: './.megamind/megamind.db',
  schema: 'megamind',
  leaseMs: 10 * SECOND,
  pollIntervalMs: 1 * SECOND,
  shutdownGraceMs: 10 * SECOND,
  prefetch: 1,
  learnPatterns: true,
} satisfies Partial<Record<keyof MegaMindOptions, unknown>>;

/** Parses a `database` option; anything that is neither a PostgreSQL URL nor a file path is refused. */
export function parseDatabase(database: string, schema: string = DEFAULTS.schema): DatabaseTarget {
  if (typeof database !== 'string' || database.trim() === '') {
    throw new OrchestratorError('ERR_INVALID_DATABASE_URL', 'database must be a postgres:// URL or a SQLite file path');
  }
  if (/^postgres(ql)?:\/\//i.test(database)) {
    let url: URL;
    try {
      url = new URL(database);
    } catch {
      throw new OrchestratorError('ERR_INVALID_DATABASE_URL', `database URL is malformed: ${redactUrl(database)}`);
    }
    if (!url.hostname && !url.searchParams.get('host')) {
      throw new OrchestratorError('ERR_INVALID_DATABASE_URL', `database URL names no host: ${redactUrl(database)}`);
    }
    return { engine: 'postgres', connectionString: database, schema };
  }
  if (database.startsWith('sqlite:')) return { engine: 'sqlite', filename: database.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(database)) {
    throw new OrchestratorError(
      'ERR_INVALID_DATABASE_URL',
      `unsupported database "${redactUrl(database)}": use a postgres:// URL or a SQLite file path`,
    );
  }
  return { engine: 'sqlite', filename: database };
}

/** A database URL without its password, for error messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

function checkDuration(name: string, value: number | undefined): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw invalidArgument(`${name} must be a number of milliseconds greater than 0, got ${String(value)}`);
  }
}

/** Fills in defaults and validates, once, naming the first wrong option. */
export function resolveOptions(options: MegaMindOptions = {}): ResolvedOptions {
  for (const name of ['leaseMs', 'heartbeatIntervalMs', 'pollIntervalMs', 'shutdownGraceMs'] as const) {
    checkDuration(name, options[name]);
  }
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.max(1, Math.floor(leaseMs / 3));
  if (heartbeatIntervalMs >= leaseMs) {
    throw invalidArgument(`heartbeatIntervalMs (${heartbeatIntervalMs}) must be shorter than leaseMs (${leaseMs})`);
  }
  const prefetch = options.prefetch ?? DEFAULTS.prefetch;
  if (!(Number.isFinite(prefetch) && prefetch >= 0)) throw invalidArgument('prefetch must be a number >= 0');
  return {
    database: parseDatabase(options.database ?? process.env.DATABASE_URL ?? DEFAULTS.database, options.schema ?? DEFAULTS.schema),
    store: options.store,
    leaseMs,
    heartbeatIntervalMs,
    pollIntervalMs: options.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs,
    prefetch,
    workerId: options.workerId,
    retryPolicy: options.retryPolicy ?? new ExponentialBackoff(),
    clock: options.clock ?? systemClock,
    learnPatterns: options.learnPatterns ?? DEFAULTS.learnPatterns,
  };
}
