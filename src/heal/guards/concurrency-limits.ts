import type { Json } from '../../core/types.js';
import type { StateStore } from '../../core/state-store.js';

/** The limit of one job type on one resource. */
export interface ConcurrencyLimit {
  limit: number;
  /** The value the limit grows back to. */
  ceiling: number;
  floor: number;
}

/**
 * Concurrency limits per job type and resource under AIMD: halved at once when the resource
 * pushes back (rate limit, exhausted pool), grown back by one per success. Kept in the store's
 * engine state so all processes apply the same limit; the healer hands it to jobs through their
 * `concurrency` knob.
 */
export class ConcurrencyLimits {
  readonly #store: StateStore;
  readonly #cache = new Map<string, ConcurrencyLimit>();

  constructor(store: StateStore) {
    this.#store = store;
  }

  /** The current limit, or undefined when none was ever cut. */
  async get(type: string, resource: string): Promise<ConcurrencyLimit | undefined> {
    const key = keyOf(type, resource);
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const stored = (await this.#store.getState(key)) as unknown as ConcurrencyLimit | undefined;
    if (stored) this.#cache.set(key, stored);
    return stored;
  }

  /** Multiplicative decrease from `current`, never below `floor`. */
  async decrease(
    type: string,
    resource: string,
    current: number,
    bounds: { floor: number; ceiling: number },
    now: number,
  ): Promise<ConcurrencyLimit> {
    const known = await this.get(type, resource);
    const from = Math.min(current, known?.limit ?? current);
    const next: ConcurrencyLimit = {
      limit: Math.max(bounds.floor, Math.floor(from / 2)),
      floor: bounds.floor,
      ceiling: bounds.ceiling,
    };
    await this.#save(type, resource, next, now);
    return next;
  }

  /** Additive increase after a success, up to the ceiling; no write when nothing was cut. */
  async increase(
    type: string,
    resource: string,
    now: number,
  ): Promise<ConcurrencyLimit | undefined> {
    const known = await this.get(type, resource);
    if (!known || known.limit >= known.ceiling) return known;
    const next = { ...known, limit: known.limit + 1 };
    await this.#save(type, resource, next, now);
    return next;
  }

  async #save(type: string, resource: string, limit: ConcurrencyLimit, now: number): Promise<void> {
    this.#cache.set(keyOf(type, resource), limit);
    await this.#store.setState(keyOf(type, resource), limit as unknown as Json, now);
  }
}

function keyOf(type: string, resource: string): string {
  return `heal.limit.${type}.${resource}`;
}
