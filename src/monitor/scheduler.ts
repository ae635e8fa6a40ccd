import type { ManualClock } from '../core/clock.js';

/** Runs tasks every so often. The monitor takes one, so tests drive time instead of sleeping. */
export interface Scheduler {
  /**
   * Runs `task` every `ms`; a run still going when the next is due is not doubled. Returns a
   * function that cancels it. With `keepAlive` the timer keeps the process running.
   */
  every(ms: number, task: () => Promise<void>, options?: { keepAlive?: boolean }): () => void;
}

/** The wall-clock scheduler: `setInterval`, unref'd unless asked to keep the process alive. */
export const systemScheduler: Scheduler = {
  every(ms, task, options = {}) {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void task().finally(() => (running = false));
    }, ms);
    if (!options.keepAlive) timer.unref();
    return () => clearInterval(timer);
  },
};

interface Entry {
  ms: number;
  task: () => Promise<void>;
  dueAt: number;
}

/** A scheduler driven by a {@link ManualClock}: `advance(ms)` moves the clock and runs what falls due, in order. */
export class ManualScheduler implements Scheduler {
  readonly #clock: ManualClock;
  readonly #entries = new Set<Entry>();

  constructor(clock: ManualClock) {
    this.#clock = clock;
  }

  every(ms: number, task: () => Promise<void>): () => void {
    const entry = { ms, task, dueAt: this.#clock.now() + ms };
    this.#entries.add(entry);
    return () => this.#entries.delete(entry);
  }

  /** Moves the clock forward by `ms`, stopping at each due time to run (and await) its tasks. */
  async advance(ms: number): Promise<void> {
    const until = this.#clock.now() + ms;
    for (;;) {
      const next = [...this.#entries]
        .filter((e) => e.dueAt <= until)
        .sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!next) break;
      this.#clock.set(Math.max(this.#clock.now(), next.dueAt));
      next.dueAt += next.ms;
      await next.task();
    }
    this.#clock.set(until);
  }
}
