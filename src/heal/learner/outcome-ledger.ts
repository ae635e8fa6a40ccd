import type { Json } from '../../core/types.js';
import type { ActionId } from '../../knowledge/actions.js';
import type { HealStore, Improvement } from '../../store/heal-store.js';
import { rankedOf } from '../heal-planner.js';
import { actionOfKey } from '../remedy.js';
import { betaMean } from './beta.js';
import type { Neighbours } from './neighbours.js';
import type { RemedyMemory } from './remedy-memory.js';
import type { ThompsonPolicy } from './thompson-policy.js';

/**
 * Where verified outcomes go: the learner's memory, the store (remedy counts and the pattern's
 * `success_count`, `failure_count`, `confidence`, `last_used`), and the intensity window of
 * failed heals per pattern (OTP-style: too many in the window and the pattern stops being healed).
 */
export class OutcomeLedger {
  readonly #store: HealStore;
  readonly #memory: RemedyMemory;
  readonly #neighbours: Neighbours;
  readonly #policy: ThompsonPolicy;
  readonly #intensity: { maxFailures: number; windowMs: number };
  readonly #failures = new Map<string, number[]>();

  constructor(
    store: HealStore,
    memory: RemedyMemory,
    neighbours: Neighbours,
    policy: ThompsonPolicy,
    intensity: { maxFailures: number; windowMs: number },
  ) {
    this.#store = store;
    this.#memory = memory;
    this.#neighbours = neighbours;
    this.#policy = policy;
    this.#intensity = intensity;
  }

  /** Counts one verified outcome of a heal; false when the heal named no remedy to count. */
  async count(improvement: Improvement, success: boolean, now: number): Promise<boolean> {
    if (improvement.patternId === null || improvement.remedy === null) return false;
    const patternId = improvement.patternId;
    this.#memory.count(patternId, improvement.remedy, success);
    if (!success) {
      const times = this.#failures.get(patternId) ?? [];
      times.push(now);
      this.#failures.set(patternId, times);
    }
    await this.#store.recordRemedyOutcome(
      {
        patternId,
        remedy: improvement.remedy,
        action: improvement.action,
        params: (improvement.changesApplied.params ?? {}) as Record<string, Json>,
        success,
        confidence: this.confidence(patternId),
      },
      now,
    );
    return true;
  }

  /** True while the pattern had more failed heals than allowed within the window. */
  intense(patternId: string, now: number): boolean {
    const times = this.#failures.get(patternId);
    if (!times) return false;
    const since = now - this.#intensity.windowMs;
    while (times.length > 0 && times[0]! <= since) times.shift();
    return times.length > this.#intensity.maxFailures;
  }

  /** The calibrated probability that the pattern's best remedy works: its highest posterior mean. */
  confidence(patternId: string): number {
    const pattern = this.#neighbours.get(patternId);
    const ranked: string[] = pattern ? rankedOf(pattern).map((entry) => entry.action) : [];
    let best = 0;
    for (const [key, counts] of this.#memory.of(patternId)) {
      const action = actionOfKey(key);
      const rank = ranked.indexOf(action);
      const posterior = this.#policy.posterior(
        { key, action: action as ActionId, params: {}, rank: rank === -1 ? null : rank },
        counts,
      );
      best = Math.max(best, betaMean(posterior));
    }
    return Math.round(best * 1000) / 1000;
  }
}
