import type { Leadership, MonitorStore } from '../store/store.js';

/** What one election round changed. */
export type LeadershipChange = 'gained' | 'lost' | undefined;

/**
 * One leadership shared by every process on the database, held as a fenced lease in the store:
 * the holder renews it every round; when it stops (killed, cut off), another takes it once it
 * expires, with the next epoch, which fences anything the old holder still tries.
 */
export class LeaderElection {
  readonly #store: Pick<MonitorStore, 'acquireLeadership' | 'resignLeadership'>;
  readonly #name: string;
  readonly #owner: string;
  readonly #ttlMs: number;
  #held: Leadership | undefined;

  constructor(
    store: Pick<MonitorStore, 'acquireLeadership' | 'resignLeadership'>,
    name: string,
    owner: string,
    ttlMs: number,
  ) {
    this.#store = store;
    this.#name = name;
    this.#owner = owner;
    this.#ttlMs = ttlMs;
  }

  /** The leadership this process holds, if its lease has not run out at `now`. */
  current(now: number): Leadership | undefined {
    return this.#held && now <= this.#held.expiresAt ? this.#held : undefined;
  }

  /** Takes or renews the leadership. A store error keeps what is held until its lease runs out. */
  async round(now: number): Promise<LeadershipChange> {
    const before = this.current(now)?.epoch;
    try {
      this.#held = await this.#store.acquireLeadership(this.#name, this.#owner, this.#ttlMs, now);
    } catch (error) {
      if (!this.current(now)) this.#held = undefined;
      if (before !== undefined && !this.#held) return 'lost';
      throw error;
    }
    const after = this.#held?.epoch;
    if (before === after) return undefined;
    if (after === undefined) return 'lost';
    return 'gained';
  }

  /** Gives the leadership up, so another process takes it at its next round. */
  async resign(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (held) await this.#store.resignLeadership(this.#name, this.#owner, held.epoch);
  }
}
