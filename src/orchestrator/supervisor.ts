import { clearClockTimeout, clockTimeout, type Clock, type TimerHandle } from '../core/clock.js';
import { coerceError, invalidArgument } from '../core/errors.js';
import type { ExpiredLease, JobStore } from '../store/store.js';
import { withDeadline } from './deadline.js';

/** A periodic task run by a {@link Supervisor}. */
export type SupervisorTask = () => Promise<void> | void;

/** Options of {@link Supervisor}. */
// The sweep's own failure reaches the task runner through the awaited deadline instead.
const noop = (): void => {};

export interface SupervisorOptions {
  store: Pick<JobStore, 'expireLeases' | 'msUntilNextLeaseExpiry'>;
  /** Drives every task's timer: a {@link ManualClock} lets a test run tasks by advancing it. */
  clock: Clock;
  /** How often the lease sweep runs when nothing is due sooner. */
  sweepIntervalMs: number;
  /** Bound on one sweep's store calls. */
  storeTimeoutMs: number;
  /** Every lease a sweep ended. */
  onExpired: (expired: readonly ExpiredLease[]) => void;
  onError: (error: Error) => void;
}

interface Task {
  intervalMs: number;
  run: SupervisorTask;
  timer?: TimerHandle;
  running?: Promise<void>;
}

/**
 * The periodic work of one engine beside its worker (pg-boss's `boss.ts` shape): the lease sweep
 * that brings a dead worker's jobs back, and any task others hang on it — the monitor's detectors —
 * through {@link Supervisor.addTask}. One loop per engine, however many types the worker serves.
 * A task never overlaps itself; one that throws reports to `worker:error` and runs again on time.
 */
export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #tasks = new Map<string, Task>();
  #started = false;
  #extraSweep: TimerHandle | undefined;
  #extraSweepAt: number | undefined;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.addTask('lease-sweep', options.sweepIntervalMs, () => this.sweep());
  }

  /**
   * Runs `fn` every `intervalMs` on the engine's clock while the engine runs (first run at start,
   * or at once if already started). Names are unique. Returns a function that removes the task.
   */
  addTask(name: string, intervalMs: number, fn: SupervisorTask): () => void {
    if (this.#tasks.has(name)) throw invalidArgument(`supervisor task "${name}" already exists`);
    if (!(Number.isFinite(intervalMs) && intervalMs > 0))
      throw invalidArgument(`supervisor task "${name}": intervalMs must be > 0`);
    if (typeof fn !== 'function')
      throw invalidArgument(`supervisor task "${name}" needs a function`);
    const task: Task = { intervalMs, run: fn };
    this.#tasks.set(name, task);
    if (this.#started) {
      this.#schedule(task);
      void this.#run(task);
    }
    return () => {
      clearClockTimeout(this.#options.clock, task.timer);
      if (this.#tasks.get(name) === task) this.#tasks.delete(name);
    };
  }

  /** Names of the tasks, the lease sweep included. */
  get tasks(): string[] {
    return [...this.#tasks.keys()];
  }

  /** Starts every task, each run once now. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const tasks = [...this.#tasks.values()];
    for (const task of tasks) this.#schedule(task);
    await Promise.all(tasks.map((task) => this.#run(task)));
  }

  /** Stops scheduling and waits for the runs in progress, at most `boundMs`. */
  async stop(boundMs: number): Promise<void> {
    this.#started = false;
    clearClockTimeout(this.#options.clock, this.#extraSweep);
    for (const task of this.#tasks.values()) clearClockTimeout(this.#options.clock, task.timer);
    const running = [...this.#tasks.values()].flatMap((task) =>
      task.running ? [task.running] : [],
    );
    await withDeadline(Promise.allSettled(running), boundMs, 'supervisor stop').catch(() => {});
  }

  /**
   * Ends the leases that have expired and, when the next one expires before the next regular
   * sweep, sweeps again right then: a dead worker's job comes back within its lease plus
   * milliseconds, not plus a sweep interval.
   */
  async sweep(): Promise<void> {
    const { store, storeTimeoutMs, clock } = this.#options;
    const expiring = store.expireLeases(clock.now());
    // A sweep that outlives its deadline may still commit: the jobs it queued again or failed are
    // reported whenever it settles, not dropped with the timed-out wait.
    expiring
      .then((expired) => {
        if (expired.length > 0) this.#options.onExpired(expired);
      }, noop)
      .catch((error: unknown) =>
        this.#options.onError(error instanceof Error ? error : new Error(String(error))),
      );
    await withDeadline(expiring, storeTimeoutMs, 'lease sweep');
    const msUntil = await withDeadline(
      store.msUntilNextLeaseExpiry(),
      storeTimeoutMs,
      'next lease expiry',
    );
    if (msUntil === null || !this.#started || msUntil + 1 >= this.#options.sweepIntervalMs) return;
    const at = clock.now() + msUntil;
    if (this.#extraSweepAt !== undefined && this.#extraSweepAt <= at) return;
    clearClockTimeout(clock, this.#extraSweep);
    this.#extraSweepAt = at;
    this.#extraSweep = clockTimeout(
      clock,
      () => {
        this.#extraSweepAt = undefined;
        void this.sweep().catch((error: unknown) => this.#options.onError(coerceError(error)));
      },
      msUntil + 1,
    );
    this.#extraSweep.unref?.();
  }

  // The next run is armed before this one starts, so runs keep their rhythm however long one takes;
  // a run still going when the next falls due is not doubled.
  #schedule(task: Task): void {
    clearClockTimeout(this.#options.clock, task.timer);
    task.timer = clockTimeout(
      this.#options.clock,
      () => {
        if (!this.#started || ![...this.#tasks.values()].includes(task)) return;
        this.#schedule(task);
        void this.#run(task);
      },
      task.intervalMs,
    );
    task.timer.unref?.();
  }

  #run(task: Task): Promise<void> {
    if (task.running) return task.running;
    const report = (error: unknown) => this.#options.onError(coerceError(error));
    let result: Promise<void> | void;
    try {
      result = task.run();
    } catch (error) {
      report(error);
      return Promise.resolve();
    }
    // A task that finished synchronously is not running any more, not even for a microtask.
    if (!(result instanceof Promise)) return Promise.resolve();
    task.running = result.catch(report).finally(() => (task.running = undefined));
    return task.running;
  }
}
