import type { Clock } from '../core/clock.js';

/** Options of {@link RateLimiter}. */
export interface RateLimitOptions {
  /** Requests allowed per window and caller. @default 120 */
  limit?: number;
  /** Length of a window. @default 60000 */
  windowMs?: number;
}

/** Callers remembered at most; the oldest windows are dropped first. */
const MAX_CALLERS = 10_000;

/**
 * Fixed-window request counts per caller, for mutating endpoints: enough to stop a runaway script
 * without shared state between servers.
 */
export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(clock: Clock, options: RateLimitOptions = {}) {
    this.limit = options.limit ?? 120;
    this.windowMs = options.windowMs ?? 60_000;
    if (!(Number.isInteger(this.limit) && this.limit >= 1))
      throw new RangeError(`rate limit must be a whole number >= 1, got ${this.limit}`);
    if (!(Number.isFinite(this.windowMs) && this.windowMs >= 1))
      throw new RangeError(`rate limit window must be >= 1 ms, got ${this.windowMs}`);
    this.#clock = clock;
  }

  /** Counts one request; returns 0 when allowed, else the ms until the caller may try again. */
  take(caller: string): number {
    const now = this.#clock.now();
    let window = this.#windows.get(caller);
    if (window === undefined || now - window.start >= this.windowMs) {
      this.#windows.delete(caller);
      if (this.#windows.size >= MAX_CALLERS)
        this.#windows.delete(this.#windows.keys().next().value as string);
      window = { start: now, count: 0 };
      this.#windows.set(caller, window);
    }
    if (window.count >= this.limit) return Math.max(1, window.start + this.windowMs - now);
    window.count++;
    return 0;
  }
}
