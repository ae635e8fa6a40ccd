import type { Json } from '../../core/types.js';
import { ACTIONS, isActionId, type ActionId } from '../../knowledge/actions.js';
import type { HealStore, Improvement } from '../../store/heal-store.js';
import { rankedOf } from '../heal-planner.js';
import { actionOfKey } from '../remedy.js';
import { betaMean } from './beta.js';
import type { Neighbours } from './neighbours.js';
import type { RemedyMemory } from './remedy-memory.js';
import type { ThompsonPolicy } from './thompson-policy.js';

/**
 * Where verified outcomes go: the learner's memory, the store (remedy counts and the pattern's
 * `success_count`, `failure_count`, `confidence`, `last_used`); and the intensity limit read
 * from them (OTP-style: too many failed heals in the window and the pattern stops being healed).
 */
export class OutcomeLedger {
  readonly #store: HealStore;
  readonly #memory: RemedyMemory;
  readonly #neighbours: Neighbours;
  readonly #policy: ThompsonPolicy;
  readonly #intensity: { maxFailures: number; windowMs: number };

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
    const tries = improvement.changesApplied.tries;
    const repeat = typeof tries === 'number' ? tries : undefined;
    this.#memory.count(patternId, improvement.remedy, success, repeat);
    if (success) this.#noteSetting(patternId, improvement);
    await this.#store.recordRemedyOutcome(
      {
        patternId,
        remedy: improvement.remedy,
        action: improvement.action,
        params: (improvement.changesApplied.params ?? {}) as Record<string, Json>,
        success,
        confidence: this.confidence(patternId),
        ...(repeat !== undefined ? { tries: repeat } : {}),
      },
      now,
    );
    return true;
  }

  /** A knob change that healed: the value it reached is what the next heal can set directly. */
  #noteSetting(patternId: string, improvement: Improvement): void {
    if (!isActionId(improvement.action)) return;
    const [knob] = ACTIONS[improvement.action].knobs;
    const knobs = improvement.changesApplied.knobs;
    const value =
      knob !== undefined && typeof knobs === 'object' && knobs !== null && !Array.isArray(knobs)
        ? knobs[knob]
        : undefined;
    if (typeof value === 'number') this.#memory.noteSetting(patternId, improvement.action, value);
  }

  /**
   * True while the pattern had more failed heals than allowed within the window, in every
   * process: the failed heals are the improvement log's rows settled as failures.
   */
  async intense(patternId: string, now: number): Promise<boolean> {
    const { maxFailures, windowMs } = this.#intensity;
    const failed = await this.#store.countFailedHeals(patternId, now - windowMs, maxFailures + 1);
    return failed > maxFailures;
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
