import { ExponentialBackoff, halfJitterGenerator } from 'cockatiel';
import type { Pattern } from '../core/types.js';
import type { ActionId } from '../knowledge/actions.js';
import type { StateStore } from '../core/state-store.js';
import type { HealStore } from '../store/heal-store.js';
import { Escalator } from './escalator.js';
import type { Fixer } from './fixers/fixer.js';
import { ConcurrencyLimits } from './guards/concurrency-limits.js';
import { LearnedKnobs } from './guards/learned-knobs.js';
import { ResourceBreakers } from './guards/resource-breakers.js';
import type { ResolvedHealerOptions } from './healer-options.js';
import type { RemedyServices, ResetHook } from './remedy-services.js';

/** The {@link RemedyServices} of one healer, built from its options. */
export class HealerServices implements RemedyServices {
  readonly breakers: ResourceBreakers;
  readonly limits: ConcurrencyLimits;
  readonly knobs: LearnedKnobs;
  readonly escalator: Escalator;
  readonly #resetHooks: Record<string, ResetHook>;
  readonly #fixersByAction = new Map<ActionId, Fixer[]>();
  readonly #backoff: ExponentialBackoff<unknown>;
  readonly #store: HealStore;
  readonly #typesUsing: (resource: string) => readonly string[];
  readonly random: () => number;

  constructor(
    store: StateStore & HealStore,
    options: ResolvedHealerOptions,
    typesUsing: (resource: string) => readonly string[],
    onError: (error: Error) => void,
  ) {
    this.#store = store;
    this.#typesUsing = typesUsing;
    this.random = options.random;
    this.breakers = new ResourceBreakers(store, typesUsing, options.breaker);
    this.limits = new ConcurrencyLimits(store);
    this.knobs = new LearnedKnobs(store, options.learnedKnobs, onError);
    this.escalator = new Escalator({ onError, ...options.escalation });
    this.#resetHooks = options.resetHooks;
    for (const fixer of options.fixers) {
      const list = this.#fixersByAction.get(fixer.action) ?? [];
      this.#fixersByAction.set(fixer.action, [...list, fixer]);
    }
    this.#backoff = new ExponentialBackoff({
      initialDelay: options.backoff.initialDelayMs,
      maxDelay: options.backoff.maxDelayMs,
      generator: halfJitterGenerator,
    });
  }

  resetHook(resource: string): ResetHook | undefined {
    return Object.hasOwn(this.#resetHooks, resource) ? this.#resetHooks[resource] : undefined;
  }

  fixerFor(action: ActionId, pattern: Pattern | undefined): Fixer | undefined {
    // Asked for every action on every decision: most have no fixer, and that answer allocates nothing.
    const mine = this.#fixersByAction.get(action);
    if (mine === undefined) return undefined;
    // The most specific registration wins: pattern, then category, then the action alone.
    return (
      mine.find(
        (fixer) =>
          pattern !== undefined &&
          (fixer.pattern === pattern.id || fixer.pattern === pattern.patternKey),
      ) ??
      mine.find(
        (fixer) =>
          pattern !== undefined &&
          fixer.pattern === undefined &&
          fixer.category === pattern.category,
      ) ??
      mine.find((fixer) => fixer.pattern === undefined && fixer.category === undefined) ??
      (pattern === undefined ? mine[0] : undefined)
    );
  }

  backoffMs(attempt: number): number {
    let backoff = this.#backoff.next();
    for (let i = 1; i < Math.max(1, attempt); i++) backoff = backoff.next(undefined);
    return backoff.duration;
  }

  holdResource(resource: string, until: number, now: number, spreadMs?: number): Promise<number> {
    return this.#store.holdQueuedJobs(this.#typesUsing(resource), until, now, spreadMs);
  }

  resourceFor(pattern: Pattern, resources: readonly string[]): string | undefined {
    const attributed = pattern.facts.resource;
    if (typeof attributed === 'string' && resources.includes(attributed)) return attributed;
    return resources[0];
  }
}
