import { coerceError, isDelayJobError, isNonRetryableError, OrchestratorError } from '../core/errors.js';
import type { ResolvedOptions } from './options.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { CompletionWrite, FailureWrite, Store } from '../store/store.js';
import { chainFailureHooks, retryAtOf, retryPolicyDecision, type FailureContext, type FailureDecision, type NextFailureHook } from './failure-hook.js';
import type { Job, JobError, Json } from '../core/types.js';
import { createJobContext } from './job-context.js';
import { describeJobType, type ResolvedJobDefinition } from './job-definition.js';
import { resolveKnobs, validateKnobValues } from './knobs.js';
import { WriteBatcher } from './write-batcher.js';

/** Events a worker reports; the engine re-emits them to users. */
export interface WorkerEvents {
  'job:started': [job: Job];
  'job:progress': [job: Job, stage: string | undefined, progress: number | undefined];
  'job:completed': [job: Job, result: Json];
  /** An attempt failed; `decision` is what the failure hooks decided (retry, wait, fail, escalate). */
  'job:failed': [job: Job, error: JobError, retryAt: number | null, decision: FailureDecision];
  'job:released': [job: Job];
  'job:lease-lost': [job: Job];
  /** A lease expired without a heartbeat (a dead or blocked worker); the job is as the sweep left it. */
  'job:lease-expired': [job: Job];
  'worker:error': [error: Error];
}

type Emit = <K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]) => void;

/** Jobs shorter than this on average are prefetched deeply. */
const SHORT_JOB_MS = 50;
/** Buffer depth for short jobs. */
const DEEP_PREFETCH = 250;

/** Why an attempt's signal fired. */
type AbortCause = 'lease-lost' | 'cancelled' | 'timeout' | 'shutdown';

interface Attempt {
  job: Job;
  controller: AbortController;
  /** Until when the last renewal we know of holds the lease. */
  leaseUntil: number;
  cause?: AbortCause;
}

/**
 * Claims jobs of the defined types and runs them: leases, heartbeats, batching of completions,
 * retries, and graceful shutdown. One per engine instance; it serves every defined type.
 */
export class Worker {
  readonly owner: string;
  readonly #store: Store;
  readonly #options: ResolvedOptions;
  readonly #definitions: ReadonlyMap<string, ResolvedJobDefinition>;
  readonly #emit: Emit;
  readonly #active = new Map<string, Attempt>();
  readonly #buffered = new Map<string, Job[]>();
  readonly #running = new Map<string, number>();
  /** Moving average of attempt durations per type, for {@link Worker.#prefetchFor}. */
  readonly #averageRunMs = new Map<string, number>();
  readonly #settled = new Set<Promise<void>>();
  readonly #completions: WriteBatcher<CompletionWrite>;
  readonly #failures: WriteBatcher<FailureWrite>;
  readonly #decideChain: NextFailureHook;
  readonly #descriptions = new Map<string, JobTypeDescription>();
  #filling = false;
  #fillAgain = false;
  #fillScheduled = false;
  #sweepTimer: NodeJS.Timeout | undefined;
  #sweepAt: number | undefined;
  #stopping = false;
  #timers: NodeJS.Timeout[] = [];
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(store: Store, options: ResolvedOptions, definitions: ReadonlyMap<string, ResolvedJobDefinition>, owner: string, emit: Emit) {
    this.#store = store;
    this.#options = options;
    this.#definitions = definitions;
    this.owner = owner;
    this.#emit = emit;
    const onError = (error: unknown) => this.#emit('worker:error', coerceError(error));
    const now = () => this.#options.clock.now();
    this.#completions = new WriteBatcher({ send: (w) => store.completeJobs(w, now()), onError, now });
    this.#failures = new WriteBatcher({ send: (w) => store.failJobs(w, now()), onError, now });
    this.#decideChain = chainFailureHooks(options.failureHooks, retryPolicyDecision(options.retryPolicy));
  }

  /** Starts claiming: subscribes to wake-ups, then polls for due jobs and expired leases. */
  async start(): Promise<void> {
    const types = new Set(this.#definitions.keys());
    this.#unsubscribe = await this.#store.onJobsAvailable((woken) => {
      if (woken.length === 0 || woken.some((type) => types.has(type))) this.#scheduleFill();
    });
    const every = (ms: number, task: () => Promise<void>) => {
      const timer = setInterval(() => void task(), ms);
      this.#timers.push(timer);
      return timer;
    };
    // The poll timer keeps the process alive while started, as a server's socket would;
    // stop() clears it. The heartbeat timer alone must not.
    every(this.#options.pollIntervalMs, () => this.#poll());
    every(this.#options.heartbeatIntervalMs, () => this.#renewLeases()).unref();
    await this.#poll();
  }

  /**
   * Stops claiming, gives prefetched jobs back, lets running ones finish within the grace period,
   * then aborts the rest and releases their leases so another worker takes them at once.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    for (const timer of this.#timers) clearInterval(timer);
    clearTimeout(this.#sweepTimer);
    await this.#unsubscribe?.();
    const buffered = [...this.#buffered.values()].flat();
    this.#buffered.clear();
    await this.#release(buffered);
    if (this.#settled.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#options.shutdownGraceMs)));
      await Promise.race([Promise.allSettled([...this.#settled]), grace]);
      clearTimeout(timer);
    }
    for (const attempt of this.#active.values()) this.#abort(attempt, 'shutdown');
    await Promise.allSettled([...this.#settled]);
    await this.#completions.drain();
    await this.#failures.drain();
  }

  /** Aborts a job running here (it was cancelled); true if it was running here. */
  abortJob(id: string): boolean {
    const attempt = this.#active.get(id);
    if (attempt) this.#abort(attempt, 'cancelled');
    const types = [...this.#buffered.entries()];
    for (const [type, jobs] of types) this.#buffered.set(type, jobs.filter((job) => job.id !== id));
    return attempt !== undefined;
  }

  /** Jobs running in this process now. */
  get activeCount(): number {
    return this.#active.size;
  }

  async #poll(): Promise<void> {
    if (this.#stopping) return;
    try {
      for (const { job } of await this.#store.expireLeases(this.#options.clock.now())) this.#emit('job:lease-expired', job);
      this.#scheduleSweep(await this.#store.nextLeaseExpiry());
    } catch (error) {
      this.#emit('worker:error', coerceError(error));
    }
    await this.#fill();
  }

  // A lease due to expire before the next poll gets a sweep of its own at that moment, so a dead
  // worker's job comes back within leaseMs plus a few milliseconds, not plus a poll interval.
  #scheduleSweep(expiresAt: number | null): void {
    if (expiresAt === null || this.#stopping) return;
    const delay = expiresAt - this.#options.clock.now() + 1;
    if (delay >= this.#options.pollIntervalMs || (this.#sweepAt !== undefined && this.#sweepAt <= expiresAt)) return;
    clearTimeout(this.#sweepTimer);
    this.#sweepAt = expiresAt;
    this.#sweepTimer = setTimeout(() => {
      this.#sweepAt = undefined;
      void this.#poll();
    }, Math.max(0, delay));
    this.#sweepTimer.unref();
  }

  /**
   * How many jobs to hold beyond the running ones. Short jobs get a deep buffer (claims and
   * completions then move in batches of ~100 or more, like graphile-worker's local queue); long jobs keep
   * `prefetch × concurrency`, so one worker does not hoard work that another idle one could run.
   */
  #prefetchFor(definition: ResolvedJobDefinition): number {
    const base = Math.ceil(definition.concurrency * this.#options.prefetch);
    if (base === 0) return 0;
    const average = this.#averageRunMs.get(definition.type);
    return average !== undefined && average < SHORT_JOB_MS ? Math.max(base, DEEP_PREFETCH) : base;
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

  // Claims until every type's slots and prefetch buffer are full; concurrent calls coalesce.
  async #fill(): Promise<void> {
    if (this.#filling) {
      this.#fillAgain = true;
      return;
    }
    this.#filling = true;
    try {
      do {
        this.#fillAgain = false;
        for (const definition of this.#definitions.values()) {
          if (this.#stopping) return;
          this.#startBuffered(definition);
          const running = this.#running.get(definition.type) ?? 0;
          const buffered = this.#buffered.get(definition.type)?.length ?? 0;
          const capacity = definition.concurrency + this.#prefetchFor(definition);
          const room = capacity - running - buffered;
          // Claim when a slot would otherwise idle, or when the buffer is half empty: one claim of
          // many jobs instead of a round trip for every job that finishes.
          const idleSlot = buffered === 0 && running < definition.concurrency;
          if (room <= 0 || (!idleSlot && room < Math.ceil(capacity / 2))) continue;
          const jobs = await this.#store.claimJobs({
            types: [definition.type],
            owner: this.owner,
            leaseMs: this.#options.leaseMs,
            limit: room,
            now: this.#options.clock.now(),
          });
          if (this.#stopping) {
            await this.#release(jobs);
            return;
          }
          this.#buffered.set(definition.type, [...(this.#buffered.get(definition.type) ?? []), ...jobs]);
          this.#startBuffered(definition);
          if (jobs.length === room) this.#fillAgain = true;
        }
      } while (this.#fillAgain && !this.#stopping);
    } catch (error) {
      this.#emit('worker:error', coerceError(error));
    } finally {
      this.#filling = false;
    }
  }

  #startBuffered(definition: ResolvedJobDefinition): void {
    const queue = this.#buffered.get(definition.type);
    while (queue && queue.length > 0 && (this.#running.get(definition.type) ?? 0) < definition.concurrency) {
      this.#start(queue.shift() as Job, definition);
    }
  }

  // The slot is freed as soon as the handler settles; the outcome is written behind, batched with
  // other outcomes, while the next job already runs. Until it is written the lease keeps renewing.
  #start(job: Job, definition: ResolvedJobDefinition): void {
    const attempt: Attempt = { job, controller: new AbortController(), leaseUntil: job.leaseExpiresAt ?? 0 };
    this.#active.set(job.id, attempt);
    this.#running.set(definition.type, (this.#running.get(definition.type) ?? 0) + 1);
    const startedAt = performance.now();
    const settled = this.#execute(attempt, definition)
      .then((outcome) => {
        const took = performance.now() - startedAt;
        const average = this.#averageRunMs.get(definition.type);
        this.#averageRunMs.set(definition.type, average === undefined ? took : average * 0.9 + took * 0.1);
        this.#running.set(definition.type, (this.#running.get(definition.type) ?? 1) - 1);
        this.#scheduleFill();
        return outcome.ok ? this.#complete(attempt, outcome.result) : this.#handleFailure(attempt, definition, outcome.error);
      })
      .catch((error: unknown) => this.#emit('worker:error', coerceError(error)))
      .finally(() => {
        this.#active.delete(job.id);
        this.#settled.delete(settled);
      });
    this.#settled.add(settled);
  }

  async #execute(attempt: Attempt, definition: ResolvedJobDefinition): Promise<{ ok: true; result: Json } | { ok: false; error: Error }> {
    const { job } = attempt;
    let timeout: NodeJS.Timeout | undefined;
    try {
      const knobs = resolveKnobs(definition.knobs, job.knobs);
      const ctx = createJobContext(job, knobs, attempt.controller.signal, {
        heartbeat: (stage, progress) => this.#heartbeatOne(attempt, stage, progress),
        checkpoint: (data) => this.#store.saveCheckpoint({ id: job.id, token: job.leaseToken, data }, this.#options.clock.now()),
        leaseLost: () => this.#abort(attempt, 'lease-lost'),
      });
      this.#emit('job:started', job);
      const aborted = new Promise<never>((_, reject) => {
        attempt.controller.signal.addEventListener('abort', () => reject(attempt.controller.signal.reason), { once: true });
      });
      const timeoutMs = typeof knobs.timeoutMs === 'number' ? knobs.timeoutMs : definition.timeoutMs;
      if (timeoutMs !== undefined) timeout = setTimeout(() => this.#abort(attempt, 'timeout'), timeoutMs);
      // A handler that ignores its signal cannot hold the slot: the race settles on abort.
      const result = await Promise.race([Promise.resolve().then(() => definition.run(job.payload, ctx)), aborted]);
      return { ok: true, result: (result ?? null) as Json };
    } catch (thrown) {
      return { ok: false, error: coerceError(thrown) };
    } finally {
      clearTimeout(timeout);
    }
  }

  async #complete(attempt: Attempt, result: Json): Promise<void> {
    const { job } = attempt;
    if (attempt.cause && attempt.cause !== 'timeout') return this.#handleLostLease(attempt);
    const accepted = await this.#completions.push({ id: job.id, token: job.leaseToken, result }, attempt.leaseUntil);
    if (accepted) this.#emit('job:completed', job, result);
    else this.#emit('job:lease-lost', job);
  }

  async #handleFailure(attempt: Attempt, definition: ResolvedJobDefinition, error: Error): Promise<void> {
    const { job } = attempt;
    const now = this.#options.clock.now();
    if (attempt.cause === 'shutdown') return void (await this.#release([job]));
    if (attempt.cause === 'lease-lost' || attempt.cause === 'cancelled') return this.#handleLostLease(attempt);
    if (isDelayJobError(error)) {
      const accepted = await this.#store.releaseJobs([{ id: job.id, token: job.leaseToken, runAt: now + error.delayMs }], now);
      if (accepted.has(job.id)) this.#emit('job:released', job);
      return;
    }
    const record = toJobError(error, job, now, attempt.cause === 'timeout', definition.timeoutMs);
    const decision = await this.#decide({ job, error: record, definition: this.#description(definition), now, nonRetryable: isNonRetryableError(error) }, definition);
    const retryAt = retryAtOf(decision);
    if (decision.kind === 'escalate') record.escalation = decision.reason;
    const write: FailureWrite = { id: job.id, token: job.leaseToken, error: record, retryAt };
    if (decision.kind === 'wait') write.refundAttempt = true;
    if ((decision.kind === 'retry' || decision.kind === 'wait') && decision.knobs) write.knobs = decision.knobs;
    if (decision.healing) {
      write.healingPatternId = decision.healing.patternId;
      record.healing = decision.healing;
    }
    const accepted = await this.#failures.push(write, attempt.leaseUntil);
    if (accepted) this.#emit('job:failed', job, record, retryAt, decision);
    else this.#emit('job:lease-lost', job);
  }

  // Runs the failure hooks; a hook that throws or asks for knobs the type does not declare must
  // not lose the job, so the retry policy decides instead and the reason goes to worker:error.
  async #decide(context: FailureContext, definition: ResolvedJobDefinition): Promise<FailureDecision> {
    const fallback = retryPolicyDecision(this.#options.retryPolicy);
    try {
      const decision = await this.#decideChain(context);
      if ((decision.kind === 'retry' || decision.kind === 'wait') && decision.knobs) {
        validateKnobValues(definition.type, definition.knobs, decision.knobs);
      }
      return decision;
    } catch (hookError) {
      this.#emit('worker:error', coerceError(hookError));
      try {
        return await fallback(context);
      } catch (policyError) {
        this.#emit('worker:error', coerceError(policyError));
        return { kind: 'fail' };
      }
    }
  }

  #description(definition: ResolvedJobDefinition): JobTypeDescription {
    let description = this.#descriptions.get(definition.type);
    if (!description) {
      description = describeJobType(definition, this.#options.clock.now());
      this.#descriptions.set(definition.type, description);
    }
    return description;
  }

  #handleLostLease(attempt: Attempt): void {
    this.#emit('job:lease-lost', attempt.job);
  }

  async #heartbeatOne(attempt: Attempt, stage?: string, progress?: number): Promise<boolean> {
    if (attempt.cause) return false;
    const now = this.#options.clock.now();
    const { job } = attempt;
    const accepted = await this.#store.heartbeat([{ id: job.id, token: job.leaseToken, leaseMs: this.#options.leaseMs, stage, progress }], now);
    if (!accepted.has(job.id)) return false;
    attempt.leaseUntil = now + this.#options.leaseMs;
    if (stage !== undefined || progress !== undefined) {
      // Keep the attempt's view current, so a failure records the stage it happened in.
      attempt.job = { ...job, stage: stage ?? job.stage, progress: progress ?? job.progress };
      this.#emit('job:progress', attempt.job, stage, progress);
    }
    return true;
  }

  async #renewLeases(): Promise<void> {
    const now = this.#options.clock.now();
    const attempts = [...this.#active.values()].filter((a) => !a.cause);
    const buffered = [...this.#buffered.values()].flat();
    // Without a renewal we know of, another worker may own the job by now: stop working on it.
    for (const attempt of attempts) if (attempt.leaseUntil < now) this.#abort(attempt, 'lease-lost');
    const writes = [...attempts.filter((a) => !a.cause).map((a) => a.job), ...buffered].map((job) => ({
      id: job.id,
      token: job.leaseToken,
      leaseMs: this.#options.leaseMs,
    }));
    if (writes.length === 0) return;
    try {
      const accepted = await this.#store.heartbeat(writes, now);
      for (const attempt of attempts) {
        if (accepted.has(attempt.job.id)) attempt.leaseUntil = now + this.#options.leaseMs;
        else this.#abort(attempt, 'lease-lost');
      }
      for (const [type, jobs] of this.#buffered) this.#buffered.set(type, jobs.filter((job) => accepted.has(job.id)));
    } catch (error) {
      this.#emit('worker:error', coerceError(error));
    }
  }

  #abort(attempt: Attempt, cause: AbortCause): void {
    if (attempt.cause) return;
    attempt.cause = cause;
    const code = cause === 'timeout' ? 'ERR_JOB_TIMEOUT' : cause === 'cancelled' ? 'ERR_JOB_CANCELLED' : cause === 'shutdown' ? 'ERR_SHUTDOWN' : 'ERR_LEASE_LOST';
    attempt.controller.abort(new OrchestratorError(code, `job ${attempt.job.id}: ${cause}`));
  }

  async #release(jobs: readonly Job[]): Promise<void> {
    if (jobs.length === 0) return;
    const now = this.#options.clock.now();
    try {
      const accepted = await this.#store.releaseJobs(jobs.map((job) => ({ id: job.id, token: job.leaseToken, runAt: now })), now);
      for (const job of jobs) if (accepted.has(job.id)) this.#emit('job:released', job);
    } catch (error) {
      // The leases will expire instead; the jobs are not lost.
      this.#emit('worker:error', coerceError(error));
    }
  }
}

function toJobError(error: Error, job: Job, now: number, timedOut: boolean, timeoutMs: number | undefined): JobError {
  const code = (error as { code?: unknown }).code;
  return {
    message: timedOut ? `job exceeded its timeout of ${timeoutMs ?? '?'} ms` : error.message,
    name: timedOut ? 'TimeoutError' : error.name,
    code: timedOut ? 'ERR_JOB_TIMEOUT' : code === undefined ? undefined : String(code),
    stack: timedOut ? undefined : error.stack,
    stage: job.stage ?? undefined,
    attempt: job.attempts,
    at: now,
    kind: timedOut ? 'timeout' : 'thrown',
  };
}
