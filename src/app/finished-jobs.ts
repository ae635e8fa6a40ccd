import { OrchestratorError } from '../core/errors.js';
import type { Job } from '../core/types.js';
import type { Store } from '../store/store.js';

// Without a notification (a dropped LISTEN connection, a missed WAL event) a waiter still looks again this often.
const RECHECK_MS = 1000;

/**
 * Follows jobs that reach a final state in any process: wakes `result()` waiters and, once
 * `watch()` was called, reports each finished job (read back from the store) to `report`.
 */
export class FinishedJobs {
  #store: Store;
  #report: (job: Job) => void;
  #subscription: Promise<() => Promise<void>> | undefined;
  // Keyed by job id: a notification wakes only the waiters of the jobs it names (PostgreSQL sends
  // one per finished job, so waking everyone would re-read every waited job once per completion).
  #waiters = new Map<string, Set<() => void>>();
  #reporting = false;

  constructor(store: Store, report: (job: Job) => void) {
    this.#store = store;
    this.#report = report;
  }

  /** Subscribes once; `since` is the time from which finished jobs are reported. */
  subscribe(since: number): Promise<unknown> {
    this.#subscription ??= this.#store.onJobsFinished(since, (ids) => void this.#finished(ids));
    return this.#subscription;
  }

  /** True once `watch()` was called: finished jobs of other processes are reported. */
  get reporting(): boolean {
    return this.#reporting;
  }

  /** Starts reporting finished jobs. */
  async watch(since: number): Promise<void> {
    this.#reporting = true;
    await this.subscribe(since);
  }

  /** Resolves with the job once it is completed; rejects when it failed for good, was cancelled, or `timeoutMs` passed. */
  async result(id: string, since: number, timeoutMs: number | undefined): Promise<Job> {
    await this.subscribe(since);
    const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    for (;;) {
      let wake = () => {};
      const woken = new Promise<void>((resolve) => (wake = resolve));
      this.#wait(id, wake);
      const job = await this.#store.getJob(id);
      if (!job) throw new OrchestratorError('ERR_JOB_NOT_FOUND', `no job ${id}`);
      if (job.status === 'completed') return job;
      if (job.status === 'failed' || job.status === 'cancelled') {
        const why = job.lastError ? `: ${job.lastError.message}` : '';
        throw Object.assign(
          new OrchestratorError('ERR_JOB_FAILED', `job ${id} (${job.type}) ${job.status}${why}`),
          { job },
        );
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new OrchestratorError(
          'ERR_WAIT_TIMEOUT',
          `job ${id} (${job.type}) is still ${job.status} after ${timeoutMs} ms`,
        );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        woken,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(RECHECK_MS, left)))),
      ]);
      clearTimeout(timer);
      this.#unwait(id, wake);
    }
  }

  #wait(id: string, wake: () => void): void {
    const waiting = this.#waiters.get(id);
    if (waiting) waiting.add(wake);
    else this.#waiters.set(id, new Set([wake]));
  }

  #unwait(id: string, wake: () => void): void {
    const waiting = this.#waiters.get(id);
    if (!waiting?.delete(wake) || waiting.size > 0) return;
    this.#waiters.delete(id);
  }

  async close(): Promise<void> {
    for (const waiting of this.#waiters.values()) for (const wake of waiting) wake();
    const unsubscribe = await this.#subscription?.catch(() => undefined);
    await unsubscribe?.();
  }

  async #finished(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const waiting = this.#waiters.get(id);
      if (!waiting) continue;
      this.#waiters.delete(id);
      for (const wake of waiting) wake();
    }
    if (!this.#reporting) return;
    for (const id of ids) {
      const job = await this.#store.getJob(id).catch(() => undefined);
      if (job) this.#report(job);
    }
  }
}
