import type { ActionId } from '../knowledge/actions.js';
import type { Pattern } from '../core/types.js';
import type { Fixer } from './fixers/fixer.js';
import type { ResourceBreakers } from './guards/resource-breakers.js';
import type { ConcurrencyLimits } from './guards/concurrency-limits.js';
import type { Escalator } from './escalator.js';

/** Called to reset a resource's connections (`reconnect`, `reset_connection_pool`). */
export type ResetHook = (request: {
  resource: string;
  action: 'reconnect' | 'reset_connection_pool';
  poolSize?: number;
}) => Promise<void> | void;

/** What remedies act through; the healer builds one from its options. */
export interface RemedyServices {
  /** The reset hook registered for a resource, if any. */
  resetHook(resource: string): ResetHook | undefined;
  /** The fixer registered for this action and pattern (by id, signature or category), if any. */
  fixerFor(action: ActionId, pattern: Pattern | undefined): Fixer | undefined;
  readonly breakers: ResourceBreakers;
  readonly limits: ConcurrencyLimits;
  readonly escalator: Escalator;
  /** The healer's random source (seeded when the healer's `random` option is a number). */
  random(): number;
  /** Delay before the attempt after `attempt` under exponential backoff with jitter. */
  backoffMs(attempt: number): number;
  /**
   * Holds the queued jobs of every type that uses `resource` until `until`, each plus a random
   * share of `spreadMs` so they do not come back as a herd; returns how many.
   */
  holdResource(resource: string, until: number, now: number, spreadMs?: number): Promise<number>;
  /** The resource an error is attributed to: the pattern's fact if the job type declares it, else the job type's first. */
  resourceFor(pattern: Pattern, resources: readonly string[]): string | undefined;
}
