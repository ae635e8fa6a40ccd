import { performance } from 'node:perf_hooks';
import { clearClockTimeout, clockTimeout, type TimerHandle } from '../core/clock.js';
import { coerceError, isDelayJobError } from '../core/errors.js';
import type { ResolvedOptions } from './options.js';
import { FailureDecider } from './failure-decider.js';
import type { CompletionWrite, FailureWrite, Store } from '../store/store.js';
import type { Job, Json } from '../core/types.js';
import type { ResolvedJobDefinition } from './job-definition.js';
import { isNonRetryable, toJobError } from './attempt-outcome.js';
import { Attempt, failureWriteOf, type AttemptHost } from './attempt.js';
import { sleep, withDeadline } from './deadline.js';
import { LeaseKeeper, type LeaseHolder, type TrackedLease } from './lease-keeper.js';
import { ClaimedJobs, PrefetchSizer } from './prefetch.js';
import { WriteBatcher } from './write-batcher.js';
import type { WorkerEvents } from './worker-events.js';

export type { WorkerEvents } from './worker-events.js';

type Emit = <K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]) => void;

/** Wait before claiming again after a claim failed. */
const FILL_RETRY_MS = 250;

/**
 * Claims jobs of the defined types and runs them: leases (through the {@link LeaseKeeper}),
 * batching of completions, retries, and graceful shutdown. One per engine instance; it serves
 * every defined type. Every store call it makes is bounded in time.
 */
export class Worker {
  readonly owner: string;
  readonly #store: Store;
  readonly #options: ResolvedOptions;
  readonly #definitions: ReadonlyMap<string, ResolvedJobDefinition>;
  readonly #emit: Emit;
  readonly #keeper: LeaseKeeper;
  readonly #active = new Map<string, Attempt>();
  readonly #buffered = new ClaimedJobs();
  /** Slots taken per type; a slot is freed when its handler returns, not when its outcome is decided. */
  readonly #running = new Map<string, number>();
  readonly #prefetch: PrefetchSizer;
  /** Attempts whose outcome is not written yet. */
  readonly #settling = new Set<Attempt>();
  /** Attempts whose handler has not returned yet. */
  readonly #handlers = new Set<Attempt>();
  /** What every attempt asks of this worker: one object, not closures per attempt. */
  readonly #host: AttemptHost;
  /** A claimed job's lease lost before it started: it leaves the buffer. */
  readonly #bufferHolder: LeaseHolder;
  readonly #completions: WriteBatcher<CompletionWrite>;
  readonly #failures: WriteBatcher<FailureWrite>;
  readonly #decider: FailureDecider;
  #filling = false;
  #fillAgain = false;
  #fillScheduled = false;
  #stopping = false;
  #pollTimer: TimerHandle | undefined;
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    store: Store,
    options: ResolvedOptions,
    definitions: ReadonlyMap<string, ResolvedJobDefinition>,
    owner: string,
    emit: Emit,
  ) {
    this.#store = store;
    this.#options = options;
    this.#definitions = definitions;
    this.owner = owner;
    this.#emit = emit;
    this.#prefetch = new PrefetchSizer(options.prefetch);
    const onError = (error: unknown) => this.#emit('worker:error', coerceError(error));
    const now = () => this.#options.clock.now();
    this.#keeper = new LeaseKeeper({
      store,
      clock: options.clock,
      leaseMs: options.leaseMs,
      intervalMs: options.heartbeatIntervalMs,
      onError,
    });
    // Deadlines are the keeper's, on a monotonic clock; `now` only stamps what is written.
    const deadlineClock = () => this.#keeper.now();
    this.#completions = new WriteBatcher({
      send: (w) => store.completeJobs(w, now()),
      onError,
      now: deadlineClock,
    });
    this.#failures = new WriteBatcher({
      send: (w) => store.failJobs(w, now()),
      onError,
      now: deadlineClock,
    });
    this.#decider = new FailureDecider(options, (error) =>
      this.#emit('worker:error', coerceError(error)),
    );
    this.#host = {
      maxPayloadBytes: options.maxPayloadBytes,
      knobAdvisor: options.knobAdvisor,
      started: (job) => this.#emit('job:started', job),
      returned: (attempt) => this.#returned(attempt),
      heartbeat: (attempt, stage, progress) => this.#heartbeatOne(attempt, stage, progress),
      checkpoint: (attempt, data) => this.#checkpoint(attempt, data),
    };
    this.#bufferHolder = { leaseLost: (lease) => this.#buffered.drop(lease) };
  }

  /** Starts claiming: subscribes to wake-ups, then polls for due jobs and expired leases. */
  async start(): Promise<void> {
    const types = new Set(this.#definitions.keys());
    this.#unsubscribe = await this.#store.onJobsAvailable((woken) => {
      if (woken.length === 0 || woken.some((type) => types.has(type))) this.#scheduleFill();
    });
    // The poll timer keeps the process alive while started, as a server's socket would;
    // stop() clears it. The lease keeper's timer alone must not.
    this.#keeper.start();
    await this.#fill();
    this.#poll();
  }

  /**
   * Stops claiming, gives prefetched jobs back, lets running ones finish within the grace period
   * (their leases still renewed, so no peer takes them), then aborts the rest and releases their
   * leases so another worker takes them at once. Returns within `shutdownGraceMs + leaseMs`
   * whatever the database or the handlers do.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const started = Date.now();
    const hardStop = started + this.#options.shutdownGraceMs + this.#options.leaseMs;
    const until = (at: number) => sleep(Math.min(at, hardStop) - Date.now());
    clearClockTimeout(this.#options.clock, this.#pollTimer);
    const onError = (error: unknown) => this.#emit('worker:error', coerceError(error));
    await withDeadline(
      this.#unsubscribe?.() ?? Promise.resolve(),
      this.#options.leaseMs,
      'unsubscribe',
    ).catch(onError);
    const buffered = this.#buffered.takeAll();
    await this.#release(buffered.map((lease) => lease.job));
    if (this.#settling.size > 0) {
      await Promise.race([
        Promise.allSettled([...this.#settling].map((attempt) => attempt.settled)),
        until(started + this.#options.shutdownGraceMs),
      ]);
    }
    for (const attempt of this.#active.values()) attempt.abort('shutdown');
    await Promise.race([
      Promise.allSettled([
        ...[...this.#settling].map((attempt) => attempt.settled),
        ...[...this.#handlers].map((attempt) => attempt.returned),
      ]),
      until(hardStop),
    ]);
    await Promise.race([
      Promise.allSettled([this.#completions.drain(), this.#failures.drain()]),
      until(hardStop),
    ]);
    this.#keeper.stop();
  }

  /** Aborts a job running here (it was cancelled); true if it was running here. */
  abortJob(id: string): boolean {
    const attempt = this.#active.get(id);
    if (attempt) attempt.abort('cancelled');
    for (const lease of this.#buffered.remove(id)) this.#keeper.untrack(lease);
    return attempt !== undefined;
  }

  /** True while the job runs, or its outcome is being written, in this process. */
  runsHere(id: string): boolean {
    return this.#active.has(id);
  }

  /** Jobs running in this process now. */
  get activeCount(): number {
    return this.#active.size;
  }

  // Claims on every poll, in case a wake-up was missed; the lease sweep is the supervisor's.
  #poll(): void {
    if (this.#stopping) return;
    void this.#fill().finally(() => {
      if (this.#stopping) return;
      this.#pollTimer = clockTimeout(
        this.#options.clock,
        () => this.#poll(),
        this.#options.pollIntervalMs,
      );
    });
  }

  // Jobs finishing in the same tick share one claim.
  #scheduleFill(): void {
    if (this.#fillScheduled || this.#stopping) return;
    this.#fillScheduled = true;
    setImmediate(() => {
      this.#fillScheduled = false;
      void this.#fill();
    });
  }

  #roomFor(definition: ResolvedJobDefinition): number {
    return this.#prefetch.room(
      definition,
      this.#running.get(definition.type) ?? 0,
      this.#buffered.count(definition.type),
    );
  }

  // Claims until every type's slots and prefetch buffer are full, all types in one claim per
  // round; concurrent calls coalesce.
  async #fill(): Promise<void> {
    if (this.#filling) {
      this.#fillAgain = true;
      return;
    }
    this.#filling = true;
    try {
      do {
        this.#fillAgain = false;
        const limits: Record<string, number> = {};
        let limit = 0;
        for (const definition of this.#definitions.values()) {
          this.#startBuffered(definition);
          const room = this.#roomFor(definition);
          if (room > 0) limits[definition.type] = room;
          limit += room;
        }
        if (limit === 0 || this.#stopping) return;
        const since = this.#keeper.now();
        const jobs = await this.#claim({
          types: Object.keys(limits),
          limits,
          limit,
          owner: this.owner,
          leaseMs: this.#options.leaseMs,
          now: this.#options.clock.now(),
        });
        if (this.#stopping) return void (await this.#release(jobs));
        const claimed = new Map<string, number>();
        for (const job of jobs) {
          const lease = this.#keeper.track(job, this.#bufferHolder, since);
          this.#buffered.add(lease);
          claimed.set(job.type, (claimed.get(job.type) ?? 0) + 1);
        }
        for (const [type, count] of claimed) {
          this.#startBuffered(this.#definitions.get(type) as ResolvedJobDefinition);
          if (count === limits[type]) this.#fillAgain = true;
        }
      } while (this.#fillAgain && !this.#stopping);
    } catch (error) {
      this.#emit('worker:error', coerceError(error));
      // A wake-up may have been spent on this failed claim: try again soon, not a poll interval later.
      clockTimeout(
        this.#options.clock,
        () => this.#scheduleFill(),
        Math.min(FILL_RETRY_MS, this.#options.pollIntervalMs),
      ).unref?.();
    } finally {
      this.#filling = false;
    }
  }

  // A claim whose reply comes too late is abandoned; the jobs it took are given back when it lands.
  async #claim(request: Parameters<Store['claimJobs']>[0]): Promise<Job[]> {
    const claim = this.#store.claimJobs(request);
    try {
      return await withDeadline(claim, this.#options.leaseMs, 'claim');
    } catch (error) {
      claim.then(
        (jobs) => this.#release(jobs),
        () => {},
      );
      throw error;
    }
  }

  #startBuffered(definition: ResolvedJobDefinition): void {
    while ((this.#running.get(definition.type) ?? 0) < definition.concurrency) {
      const lease = this.#buffered.next(definition.type);
      if (!lease) return;
      this.#start(lease, definition);
    }
  }

  // The outcome is written behind, batched with other outcomes, while the next job already runs;
  // until it is written the lease keeps renewing. The slot is freed only when the handler has
  // really returned, so a handler that ignores its signal cannot push concurrency past its limit.
  #start(lease: TrackedLease, definition: ResolvedJobDefinition): void {
    const attempt = new Attempt(lease, definition, this.#host);
    this.#keeper.begin(lease, attempt);
    this.#active.set(attempt.job.id, attempt);
    this.#running.set(definition.type, (this.#running.get(definition.type) ?? 0) + 1);
    this.#handlers.add(attempt);
    this.#settling.add(attempt);
    attempt.settled = this.#settle(attempt, performance.now());
    attempt.start();
  }

  #returned(attempt: Attempt): void {
    const { type } = attempt.definition;
    this.#running.set(type, (this.#running.get(type) ?? 1) - 1);
    this.#handlers.delete(attempt);
    this.#scheduleFill();
  }

  // One async settle per attempt, not a then/catch/finally chain: fewer promises and closures.
  async #settle(attempt: Attempt, startedAt: number): Promise<void> {
    const { job, definition, lease } = attempt;
    try {
      const result = await attempt.outcome;
      // Its outcome's write charges it: the keeper's charge sweep need not.
      lease.chargeSettled = true;
      this.#prefetch.recordRun(definition.type, performance.now() - startedAt);
      if (result.ok) await this.#complete(attempt, result.result);
      else await this.#handleFailure(attempt, definition, result.error);
    } catch (error) {
      this.#emit('worker:error', coerceError(error));
    } finally {
      this.#keeper.untrack(lease);
      if (this.#active.get(job.id) === attempt) this.#active.delete(job.id);
      this.#settling.delete(attempt);
    }
  }

  async #complete(attempt: Attempt, result: Json): Promise<void> {
    const { job } = attempt;
    if (attempt.cause && attempt.cause !== 'timeout')
      return void this.#emit('job:lease-lost', attempt.job);
    const accepted = await this.#completions.push(attempt.completionWrite(result), attempt.lease);
    if (accepted) this.#emit('job:completed', job, result);
    else this.#emit('job:lease-lost', job);
  }

  async #handleFailure(
    attempt: Attempt,
    definition: ResolvedJobDefinition,
    error: Error,
  ): Promise<void> {
    const { job } = attempt;
    const now = this.#options.clock.now();
    if (attempt.cause === 'shutdown') return void (await this.#release([job]));
    if (attempt.cause === 'lease-lost' || attempt.cause === 'cancelled')
      return void this.#emit('job:lease-lost', attempt.job);
    if (isDelayJobError(error)) return this.#release([job], now + error.delayMs);
    const record = toJobError(error, job, now, attempt.cause === 'timeout', attempt.timeoutMs);
    const nonRetryable = isNonRetryable(error);
    const decision = await this.#decider.decide(job, record, definition, now, nonRetryable);
    const write = failureWriteOf(job, record, decision);
    const accepted = await this.#failures.push(write, attempt.lease);
    if (accepted) this.#emit('job:failed', job, record, write.retryAt, decision);
    else this.#emit('job:lease-lost', job);
    await this.#decider.settled(job, record, definition, now, nonRetryable, decision, accepted);
  }
  async #heartbeatOne(attempt: Attempt, stage?: string, progress?: number): Promise<boolean> {
    if (attempt.cause) return false;
    const { job } = attempt;
    if (!(await this.#keeper.renewOne(attempt.lease, stage, progress))) return false;
    if (stage !== undefined || progress !== undefined) {
      // Keep the attempt's view current, so a failure records the stage it happened in.
      attempt.job = { ...job, stage: stage ?? job.stage, progress: progress ?? job.progress };
      this.#emit('job:progress', attempt.job, stage, progress);
    }
    return true;
  }

  async #checkpoint(attempt: Attempt, data: Json): Promise<boolean> {
    if (attempt.cause) return false;
    const { job } = attempt;
    const write = { id: job.id, token: job.leaseToken, data };
    return (
      (await this.#keeper.withinLease(attempt.lease, 'checkpoint', (now) =>
        this.#store.saveCheckpoint(write, now),
      )) === true
    );
  }

  // Puts jobs back under their still-valid leases, due at `runAt`; they stay tracked until then.
  async #release(jobs: readonly Job[], runAt?: number): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.#options.clock.now();
    const writes = jobs.map((job) => ({ id: job.id, token: job.leaseToken, runAt: runAt ?? now }));
    try {
      const accepted = await withDeadline(
        this.#store.releaseJobs(writes, now),
        this.#options.leaseMs,
        'release',
      );
      for (const job of jobs) if (accepted.has(job.id)) this.#emit('job:released', job);
    } catch (error) {
      // The leases will expire instead; the jobs are not lost.
      this.#emit('worker:error', coerceError(error));
    } finally {
      for (const job of jobs) this.#keeper.untrackJob(job);
    }
  }
}
