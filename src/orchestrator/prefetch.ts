import type { ResolvedJobDefinition } from './job-definition.js';
import type { TrackedLease } from './lease-keeper.js';

/** Jobs shorter than this on average are prefetched deeply. */
const SHORT_JOB_MS = 50;
/** Buffer depth for short jobs. */
const DEEP_PREFETCH = 250;

/**
 * How many jobs of a type a worker claims at a time. Short jobs get a deep buffer (claims and
 * completions then move in batches of ~100 or more, like graphile-worker's local queue); long jobs
 * keep `prefetch × concurrency`, so one worker does not hoard work that another idle one could run.
 */
export class PrefetchSizer {
  readonly #prefetch: number;
  /** Moving average of attempt durations per type. */
  readonly #averageRunMs = new Map<string, number>();

  constructor(prefetch: number) {
    this.#prefetch = prefetch;
  }

  /** Feeds one attempt's duration into its type's average. */
  recordRun(type: string, ms: number): void {
    const average = this.#averageRunMs.get(type);
    this.#averageRunMs.set(type, average === undefined ? ms : average * 0.9 + ms * 0.1);
  }

  /**
   * How many jobs of a type to claim now: 0 unless a slot would otherwise idle or the buffer is
   * half empty, so many jobs move in one claim instead of a round trip for every job that finishes.
   */
  room(definition: ResolvedJobDefinition, running: number, buffered: number): number {
    const capacity = definition.concurrency + this.#bufferFor(definition);
    const room = capacity - running - buffered;
    const idleSlot = buffered === 0 && running < definition.concurrency;
    return room <= 0 || (!idleSlot && room < Math.ceil(capacity / 2)) ? 0 : room;
  }

  #bufferFor(definition: ResolvedJobDefinition): number {
    const base = Math.ceil(definition.concurrency * this.#prefetch);
    if (base === 0) return 0;
    const average = this.#averageRunMs.get(definition.type);
    return average !== undefined && average < SHORT_JOB_MS ? Math.max(base, DEEP_PREFETCH) : base;
  }
}

/** Claimed jobs waiting for a free slot of their type, in the order they were claimed. */
export class ClaimedJobs {
  readonly #byType = new Map<string, TrackedLease[]>();

  add(lease: TrackedLease): void {
    const queue = this.#byType.get(lease.job.type);
    if (queue) queue.push(lease);
    else this.#byType.set(lease.job.type, [lease]);
  }

  count(type: string): number {
    return this.#byType.get(type)?.length ?? 0;
  }

  /** The next waiting lease of a type, taken out of the buffer. */
  next(type: string): TrackedLease | undefined {
    return this.#byType.get(type)?.shift();
  }

  /** Forgets one lease (it was lost before its job started). */
  drop(lease: TrackedLease): void {
    const queue = this.#byType.get(lease.job.type);
    const index = queue?.indexOf(lease) ?? -1;
    if (index >= 0) queue!.splice(index, 1);
  }

  /** Takes out the leases of one job (it was cancelled) and returns them. */
  remove(id: string): TrackedLease[] {
    const removed: TrackedLease[] = [];
    for (const queue of this.#byType.values()) {
      for (let i = queue.length - 1; i >= 0; i -= 1)
        if (queue[i]!.job.id === id) removed.push(...queue.splice(i, 1));
    }
    return removed;
  }

  /** Empties the buffer and returns what it held. */
  takeAll(): TrackedLease[] {
    const all = [...this.#byType.values()].flat();
    this.#byType.clear();
    return all;
  }
}
