import { MINUTE, SECOND } from '../../core/clock.js';
import type { Json } from '../../core/types.js';
import type { StateStore } from '../../core/state-store.js';
import type { HealStore } from '../../store/heal-store.js';

/** A resource's breaker as every process reads it from the store. */
export interface BreakerState {
  /** `half-open` once the cool-down has passed: jobs may probe the resource again. */
  state: 'closed' | 'open' | 'half-open';
  /** Until when jobs on the resource are held (ms since the epoch); 0 when closed. */
  until: number;
  /** How many times it opened in a row without a success in between. */
  trips: number;
  reason: string | null;
}

/** Options of {@link ResourceBreakers}. */
export interface ResourceBreakersOptions {
  /** First cool-down after opening. @default 1000 */
  cooldownMs?: number;
  /** Each re-opening without a success between doubles the cool-down, up to this. @default 300000 */
  maxCooldownMs?: number;
  /**
   * Failures on a resource in a row, across jobs and without a success between, before its
   * breaker may be opened: one job's transient error is no outage.
   * @default 10
   */
  threshold?: number;
}

/**
 * How often a process that saw no failure on a resource still resets its shared count on a
 * success: other processes' failures then stop counting as "in a row" within a second.
 */
const RESET_EVERY_MS = 1 * SECOND;

const CLOSED: BreakerState = { state: 'closed', until: 0, trips: 0, reason: null };

/**
 * Circuit breakers per resource (closed → open → half-open → closed), kept in the store's engine
 * state so every process honours them. Opening one also holds the queued jobs of every job type
 * that uses the resource until the cool-down ends: prevention, not only cure.
 */
export class ResourceBreakers {
  readonly #store: StateStore & HealStore;
  readonly #cooldownMs: number;
  readonly #maxCooldownMs: number;
  readonly #typesUsing: (resource: string) => readonly string[];
  /** The last state seen per resource, so a completion on a closed resource costs no read. */
  readonly #seen = new Map<string, BreakerState>();
  readonly #threshold: number;
  /** Failures in a row per resource, as the store counted them at this process's last failure there. */
  readonly #inARow = new Map<string, number>();
  /** When this process last reset a resource's shared count. */
  readonly #resetAt = new Map<string, number>();

  constructor(
    store: StateStore & HealStore,
    typesUsing: (resource: string) => readonly string[],
    options: ResourceBreakersOptions = {},
  ) {
    this.#store = store;
    this.#typesUsing = typesUsing;
    this.#cooldownMs = options.cooldownMs ?? 1 * SECOND;
    this.#maxCooldownMs = options.maxCooldownMs ?? 5 * MINUTE;
    this.#threshold = options.threshold ?? 10;
    if (!(this.#cooldownMs > 0 && this.#maxCooldownMs >= this.#cooldownMs)) {
      throw new RangeError('breaker cooldownMs must be > 0 and maxCooldownMs >= cooldownMs');
    }
  }

  /** The breaker of a resource now; an open one whose cool-down passed reads as half-open. */
  async state(resource: string, now: number): Promise<BreakerState> {
    const stored =
      ((await this.#store.getState(keyOf(resource))) as unknown as BreakerState | undefined) ??
      CLOSED;
    this.#seen.set(resource, stored);
    return stored.state === 'open' && stored.until <= now
      ? { ...stored, state: 'half-open' }
      : stored;
  }

  /**
   * Opens (or re-opens, with a doubled cool-down) the breaker and holds the queued jobs that use
   * the resource until it ends. Returns the new state.
   */
  async open(resource: string, now: number, reason: string): Promise<BreakerState> {
    const current = await this.state(resource, now);
    // Already open: every job failing on it now joins the same cool-down instead of extending it.
    if (current.state === 'open') return current;
    const trips = current.trips + 1;
    const cooldown = Math.min(this.#maxCooldownMs, this.#cooldownMs * 2 ** (trips - 1));
    const next: BreakerState = { state: 'open', until: now + cooldown, trips, reason };
    await this.#store.setState(keyOf(resource), next as unknown as Json, now);
    this.#seen.set(resource, next);
    await this.#store.holdQueuedJobs(this.#typesUsing(resource), next.until, now);
    return next;
  }

  /**
   * A job failed on the resource: counted in the store, so the failures in a row are those of
   * every process, and remembered here for {@link tripped}.
   */
  async failed(resource: string, now: number): Promise<void> {
    this.#inARow.set(resource, await this.#store.countResourceFailure(resource, now));
  }

  /** True once enough failures in a row (in every process) were counted on the resource for its breaker to open. */
  tripped(resource: string): boolean {
    return (this.#inARow.get(resource) ?? 0) >= this.#threshold;
  }

  /** The failures in a row that trip a breaker. */
  get threshold(): number {
    return this.#threshold;
  }

  /**
   * A job on the resource completed: its failures in a row start again from zero, and its breaker
   * closes if it was not closed. The shared count is reset whenever this process saw a streak, and
   * otherwise at most once per `RESET_EVERY_MS` (another process's failures it has not seen), so a
   * completion costs no store call in the common case.
   */
  async succeeded(resource: string, now: number): Promise<void> {
    const streak = this.#inARow.get(resource) ?? 0;
    if (streak > 0 || now - (this.#resetAt.get(resource) ?? -Infinity) >= RESET_EVERY_MS) {
      this.#inARow.set(resource, 0);
      this.#resetAt.set(resource, now);
      await this.#store.resetResourceFailures(resource, now);
    }
    const seen = this.#seen.get(resource);
    if (seen === undefined || seen.state === 'closed') return;
    this.#seen.set(resource, CLOSED);
    await this.#store.setState(keyOf(resource), CLOSED as unknown as Json, now);
  }
}

function keyOf(resource: string): string {
  return `heal.breaker.${resource}`;
}
