import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import type { Job } from '../core/types.js';
import type { HeartbeatWrite, JobStore } from '../store/store.js';
import { sleep, withDeadline } from './deadline.js';
import { WriteBatcher } from './write-batcher.js';

/** Who is told when a lease is lost: the buffer holding its job, then the attempt running it. */
export interface LeaseHolder {
  leaseLost(lease: TrackedLease): void;
}

/** One lease the keeper renews. */
export class TrackedLease {
  readonly job: Job;
  /** The keeper's key for it: a job claimed again has a new token, so a lease of its own. */
  readonly key: string;
  /** Until when the last renewal we know of holds the lease, on the keeper's monotonic clock. */
  until: number;
  /** Told once when a renewal is refused or the lease ran out before one landed. */
  holder: LeaseHolder;
  /** Its handler runs: renewals charge the attempt (claims do not). */
  started = false;
  /** When its handler started, on the keeper's clock (see {@link LeaseKeeper.begin}). */
  startedAt = 0;
  /** Its attempt needs no charge of its own: one was sent, or its outcome's write will charge it. */
  chargeSettled = false;
  /** Tracked by its keeper: not yet untracked, nor lost. */
  held = true;

  constructor(job: Job, until: number, holder: LeaseHolder) {
    this.job = job;
    this.key = TrackedLease.keyOf(job);
    this.until = until;
    this.holder = holder;
  }

  static keyOf(job: Job): string {
    return `${job.id}:${job.leaseToken}`;
  }

  /**
   * Until when a write under this lease may still be sent: its `until` while tracked, 0 once it
   * was untracked or lost. A field read, where a lookup by job built a key string each time: the
   * write batcher reads it for every pending write on every flush.
   */
  deadline(): number {
    return this.held ? this.until : 0;
  }
}

/** Options of {@link LeaseKeeper}. */
export interface LeaseKeeperOptions {
  store: Pick<JobStore, 'heartbeat'>;
  /** Stamps what is written (heartbeat_at); never used to time a lease. */
  clock: Clock;
  /**
   * Times leases: a lease lasts leaseMs from when its claim or renewal was sent, measured on a
   * clock that never steps, so a wall clock set back or forward cannot end or stretch it.
   * @default performance.now
   */
  monotonic?: () => number;
  leaseMs: number;
  intervalMs: number;
  onError: (error: unknown) => void;
}

const RETRY_MIN_MS = 25;
const RETRY_MAX_MS = 1000;
/**
 * An attempt still running this long after its start is charged at once, in a batch; shorter ones
 * are charged by their outcome's write, so short jobs cost no extra round trip.
 */
export const CHARGE_AFTER_MS = 50;

/**
 * Keeps the leases of claimed jobs alive (BullMQ's lock manager shape): jobs are tracked from claim
 * until their outcome is written, renewed together on a timer, and untracked one by one. A renewal
 * only judges the leases it carried, so a job claimed while it was in flight is never dropped.
 * Every call waits at most until the leases it renews would run out.
 */
export class LeaseKeeper {
  readonly #options: LeaseKeeperOptions;
  readonly #leases = new Map<string, TrackedLease>();
  readonly #charges: WriteBatcher<HeartbeatWrite>;
  #timer: NodeJS.Timeout | undefined;
  #renewing = false;
  /** One timer for every started attempt's charge, set for the earliest one due. */
  #chargeTimer: NodeJS.Timeout | undefined;

  constructor(options: LeaseKeeperOptions) {
    this.#options = options;
    const now = () => this.#now();
    this.#charges = new WriteBatcher({
      send: (writes) => options.store.heartbeat(writes, options.clock.now()),
      onError: options.onError,
      now,
    });
  }

  /** Starts renewing on the interval. The timer does not keep the process alive. */
  start(): void {
    this.#timer ??= setInterval(() => void this.renew(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Stops renewing; leases still tracked expire on their own. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#chargeTimer);
    this.#chargeTimer = undefined;
  }

  /**
   * Tracks a lease taken at `since` (when the claim was sent, on this worker's clock): the store's
   * expiry is on its own clock, so ours counts leaseMs from a moment surely before the claim.
   */
  track(job: Job, holder: LeaseHolder, since = this.#now()): TrackedLease {
    const lease = new TrackedLease(job, since + this.#options.leaseMs, holder);
    this.#leases.set(lease.key, lease);
    return lease;
  }

  untrack(lease: TrackedLease): void {
    if (this.#tracks(lease)) this.#forget(lease);
  }

  /** Untracks the lease a job was claimed under, if it is tracked. */
  untrackJob(job: Job): void {
    const lease = this.#leases.get(TrackedLease.keyOf(job));
    if (lease) this.#forget(lease);
  }

  get size(): number {
    return this.#leases.size;
  }

  /** Renews every tracked lease in one store call. */
  async renew(): Promise<void> {
    if (this.#renewing) return;
    this.#renewing = true;
    try {
      const now = this.#now();
      const carried: TrackedLease[] = [];
      // The store answers by job id: an older attempt of a job this worker claimed again (after its
      // lease was revoked) would pass for renewed beside the new one. A newer token means it is lost.
      const newest = new Map<string, number>();
      for (const { job } of this.#leases.values())
        newest.set(job.id, Math.max(newest.get(job.id) ?? 0, job.leaseToken));
      for (const lease of this.#leases.values()) {
        if (lease.until < now || lease.job.leaseToken < newest.get(lease.job.id)!)
          this.#lose(lease);
        else carried.push(lease);
      }
      if (carried.length === 0) return;
      const writes = carried.map((lease) => this.#write(lease));
      // A reply that comes after some of these leases' local deadline still renews them: the store
      // accepted each under its current token. One lease's whole length bounds the wait.
      const accepted = await withDeadline(
        this.#options.store.heartbeat(writes, this.#options.clock.now()),
        this.#options.leaseMs,
        'lease renewal',
      );
      const until = now + this.#options.leaseMs;
      for (const lease of carried) {
        if (accepted.has(lease.job.id)) lease.until = Math.max(lease.until, until);
        else this.#lose(lease);
      }
    } catch (error) {
      // Leases not renewed keep their old deadline; the next renewal, or their expiry, decides.
      this.#options.onError(error);
    } finally {
      this.#renewing = false;
    }
  }

  /**
   * Renews one lease now, optionally recording stage and progress; retries transient store errors
   * until the lease would run out. False when the lease is no longer held (or could not be kept).
   */
  async renewOne(lease: TrackedLease, stage?: string, progress?: number): Promise<boolean> {
    if (!this.#tracks(lease)) return false;
    // Only a handler calls this (stage, progress, heartbeat): it moves the monitor's stuck clock.
    const write = { ...this.#write(lease), stage, progress, madeProgress: true };
    let sentAt = 0;
    const accepted = await this.withinLease(lease, 'heartbeat', (wallNow) => {
      sentAt = this.#now();
      return this.#options.store.heartbeat([write], wallNow);
    });
    if (accepted === undefined) return false;
    if (!accepted.has(lease.job.id)) {
      this.#lose(lease);
      return false;
    }
    lease.until = Math.max(lease.until, sentAt + this.#options.leaseMs);
    return true;
  }

  /**
   * Runs a fenced store call for `lease`, retrying errors with backoff while the lease holds, each
   * try bounded by the time the lease has left. Undefined when the lease ran out first. `call` gets
   * the wall-clock time to stamp its write with.
   */
  async withinLease<T>(
    lease: TrackedLease,
    what: string,
    call: (wallNow: number) => Promise<T>,
  ): Promise<T | undefined> {
    let delay = RETRY_MIN_MS;
    for (;;) {
      const now = this.#now();
      if (lease.until <= now) return undefined;
      try {
        return await withDeadline(call(this.#options.clock.now()), lease.until - now, what);
      } catch (error) {
        this.#options.onError(error);
        if (this.#now() + delay >= lease.until) return undefined;
        await sleep(delay);
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    }
  }

  /**
   * Marks the lease's handler as started: renewals charge its attempt from now on, and unless its
   * outcome comes first (see `chargeSettled`) it is charged CHARGE_AFTER_MS later. One sweep
   * timer serves every attempt, not a timer each.
   */
  begin(lease: TrackedLease, holder: LeaseHolder): void {
    lease.holder = holder;
    lease.started = true;
    lease.startedAt = this.#now();
    this.#chargeTimer ??= this.#armCharges(CHARGE_AFTER_MS);
  }

  #armCharges(delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.#sweepCharges(), delayMs);
    timer.unref();
    return timer;
  }

  // Charges every started attempt due, and sets the timer again for the next one due, if any.
  #sweepCharges(): void {
    this.#chargeTimer = undefined;
    const now = this.#now();
    let next = Infinity;
    for (const lease of this.#leases.values()) {
      if (!lease.started || lease.chargeSettled) continue;
      const due = lease.startedAt + CHARGE_AFTER_MS;
      if (due <= now) {
        lease.chargeSettled = true;
        void this.charge(lease);
      } else next = Math.min(next, due);
    }
    if (next !== Infinity) this.#chargeTimer = this.#armCharges(next - now);
  }

  /**
   * Charges the attempt of a started lease now, batched with others started about the same time,
   * so a worker killed mid-attempt leaves it counted. Attempts that finish first need no charge of
   * their own: their outcome charges them.
   */
  async charge(lease: TrackedLease): Promise<void> {
    if (!this.#tracks(lease)) return;
    const sentBy = this.#now();
    const accepted = await this.#charges.push(this.#write(lease), lease);
    if (accepted) lease.until = Math.max(lease.until, sentBy + this.#options.leaseMs);
    else if (lease.until < this.#now()) this.#lose(lease);
  }

  #write(lease: TrackedLease): HeartbeatWrite {
    return {
      id: lease.job.id,
      token: lease.job.leaseToken,
      leaseMs: this.#options.leaseMs,
      started: lease.started,
    };
  }

  #tracks(lease: TrackedLease): boolean {
    return lease.held;
  }

  #forget(lease: TrackedLease): void {
    lease.held = false;
    this.#leases.delete(lease.key);
  }

  #lose(lease: TrackedLease): void {
    if (!this.#tracks(lease)) return;
    this.#forget(lease);
    lease.holder.leaseLost(lease);
  }

  /** The keeper's monotonic time, in which every `until` is expressed. */
  now(): number {
    return this.#options.monotonic?.() ?? performance.now();
  }

  #now(): number {
    return this.now();
  }
}
