/** Milliseconds in common units, so durations read as `8 * MINUTE`. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A pending timer of a {@link Clock}. */
export interface TimerHandle {
  /** Lets the process exit while this timer is pending (no-op on a {@link ManualClock}). */
  unref?(): unknown;
}

/**
 * The source of wall time and of scheduling timers in the engine. Tests inject a
 * {@link ManualClock} so that polls, sweeps, supervisor tasks, backoff and stuck detection are
 * driven by the test, not by the wall clock. `setTimeout`/`clearTimeout` are optional: a clock
 * with only `now()` schedules on real timers. Leases are not timed by this clock (see README).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` once `ms` have passed on this clock. */
  setTimeout?(fn: () => void, ms: number): TimerHandle;
  clearTimeout?(handle: TimerHandle | undefined): void;
}

/** The wall clock, with real timers. */
export const systemClock: Required<Clock> = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

/** Schedules `fn` after `ms` on `clock`'s timers, or on real ones when it has none. */
export function clockTimeout(clock: Clock, fn: () => void, ms: number): TimerHandle {
  return clock.setTimeout
    ? clock.setTimeout(fn, Math.max(0, ms))
    : systemClock.setTimeout(fn, Math.max(0, ms));
}

/** Cancels a timer made by {@link clockTimeout} on the same clock. */
export function clearClockTimeout(clock: Clock, handle: TimerHandle | undefined): void {
  if (handle === undefined) return;
  if (clock.clearTimeout) clock.clearTimeout(handle);
  else systemClock.clearTimeout(handle);
}

interface ManualTimer extends TimerHandle {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that only moves when told to; its timers fire as `advance()` passes their time. */
export class ManualClock implements Clock {
  #now: number;
  #timers = new Set<ManualTimer>();
  #seq = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = {
      at: this.#now + Math.max(0, ms),
      seq: this.#seq++,
      fn,
      unref: () => timer,
    };
    this.#timers.add(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.#timers.delete(handle as ManualTimer);
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on the way, in time order,
   * each with the clock at its due time; timers those set are fired too if due within `ms`.
   */
  advance(ms: number): void {
    this.#moveTo(this.#now + ms);
  }

  /** Sets the time; moving forward fires due timers as {@link ManualClock.advance} does. */
  set(ms: number): void {
    if (ms >= this.#now) this.#moveTo(ms);
    else this.#now = ms;
  }

  #moveTo(target: number): void {
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of this.#timers) {
        if (
          timer.at <= target &&
          (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))
        )
          next = timer;
      }
      if (!next) break;
      this.#timers.delete(next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = target;
  }
}
