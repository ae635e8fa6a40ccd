import { coerceError, OrchestratorError, type ErrorCode } from '../core/errors.js';
import type { Job, JobError, Json } from '../core/types.js';
import { checkResult, type Outcome } from './attempt-outcome.js';
import type { FailureDecision } from './failure-hook.js';
import { retryAtOf } from './failure-hook.js';
import { createJobContext, type AttemptWriter } from './job-context.js';
import type { ResolvedJobDefinition } from './job-definition.js';
import { resolveKnobs, withAdvisedKnobs, type KnobAdvisor } from './knobs.js';
import type { LeaseHolder, TrackedLease } from './lease-keeper.js';
import type { CompletionWrite, FailureWrite } from '../store/store.js';

/** Why an attempt's signal fired. */
export type AbortCause = 'lease-lost' | 'cancelled' | 'timeout' | 'shutdown';

const ABORT_CODES: Record<AbortCause, ErrorCode> = {
  timeout: 'ERR_JOB_TIMEOUT',
  cancelled: 'ERR_JOB_CANCELLED',
  shutdown: 'ERR_SHUTDOWN',
  'lease-lost': 'ERR_LEASE_LOST',
};

/** What running a handler needs from its worker. */
export interface AttemptHost {
  maxPayloadBytes: number;
  /** Learned starting values for knobs a job leaves unset. */
  knobAdvisor: KnobAdvisor | undefined;
  started(job: Job): void;
  /** The handler itself has returned (or never started): its slot is free. */
  returned(attempt: Attempt): void;
  heartbeat(attempt: Attempt, stage?: string, progress?: number): Promise<boolean>;
  checkpoint(attempt: Attempt, data: Json): Promise<boolean>;
}

/**
 * One run of a handler on one claimed job. One object carries the whole attempt (its context's
 * writer, its lease's loss, its abort and its outcome) instead of a closure and a promise chain
 * for each: a drain of short jobs allocates this per job, and the collector pays for every piece.
 */
export class Attempt implements AttemptWriter, LeaseHolder {
  /** The job as this attempt sees it (attempts counted from its start; stage and progress kept current). */
  job: Job;
  readonly lease: TrackedLease;
  readonly definition: ResolvedJobDefinition;
  /** Set once, by the first abort; later aborts keep the first cause. */
  cause?: AbortCause;
  /** Settles when the handler settles or the attempt is aborted, whichever is first. */
  readonly outcome: Promise<Outcome>;
  /** Settles when the handler itself has returned, so an abort it ignores does not free its slot. */
  returned: Promise<void> = Promise.resolve();
  /** The worker's settling of this attempt (its outcome written), for a graceful stop to wait on. */
  settled: Promise<void> | undefined;
  readonly #host: AttemptHost;
  // Made when the handler first reads ctx.signal: most handlers never do.
  #controller: AbortController | undefined;
  #abortReason: Error | undefined;
  #settle!: (outcome: Outcome) => void;
  #timeout: NodeJS.Timeout | undefined;
  /** The job's knobs were completed with learned starting values, which its completion records. */
  knobsAdvised = false;
  /** The timeout this attempt runs under: the `timeoutMs` knob when the type declares one, else the type's. */
  timeoutMs: number | undefined;

  constructor(lease: TrackedLease, definition: ResolvedJobDefinition, host: AttemptHost) {
    // The attempt counts from here, not from the claim: a prefetched job never started costs none.
    this.job = { ...lease.job, attempts: lease.job.attempts + 1 };
    this.lease = lease;
    this.definition = definition;
    this.#host = host;
    this.outcome = new Promise((resolve) => (this.#settle = resolve));
  }

  /** The signal handed to the handler; fires on the first abort. */
  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#abortReason) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  /** Starts the handler with its knobs and timeout; `outcome` and `returned` follow it. */
  start(): void {
    const { definition } = this;
    // Only a type with knobs can be advised: the advisor's background re-reads stay off the others.
    const advised = definition.hasKnobs
      ? this.#host.knobAdvisor?.knobsFor(definition.type)
      : undefined;
    const stored = withAdvisedKnobs(definition.knobs, this.job.knobs, advised);
    // The failure hook and the failure write see the values the handler ran with.
    if (stored !== this.job.knobs) {
      this.job = { ...this.job, knobs: stored };
      this.knobsAdvised = true;
    }
    const { job } = this;
    let knobs: Record<string, Json>;
    try {
      knobs = resolveKnobs(definition.knobs, job.knobs);
    } catch (error) {
      this.#finish({ ok: false, error: coerceError(error) });
      this.#host.returned(this);
      return;
    }
    const ctx = createJobContext(job, knobs, this);
    this.#host.started(job);
    const timeoutMs = typeof knobs.timeoutMs === 'number' ? knobs.timeoutMs : definition.timeoutMs;
    this.timeoutMs = timeoutMs;
    if (timeoutMs !== undefined) this.#timeout = setTimeout(() => this.abort('timeout'), timeoutMs);
    this.returned = this.#run(ctx);
  }

  /** The fenced write of this attempt's completion, with the knobs it ran with when they were learned ones. */
  completionWrite(result: Json): CompletionWrite {
    const { id, leaseToken: token, knobs } = this.job;
    return this.knobsAdvised ? { id, token, result, knobs } : { id, token, result };
  }

  /** Fires the attempt's signal with an error naming the cause; the first cause wins. */
  abort(cause: AbortCause): void {
    if (this.cause) return;
    this.cause = cause;
    const reason = new OrchestratorError(ABORT_CODES[cause], `job ${this.job.id}: ${cause}`);
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.#finish({ ok: false, error: reason });
  }

  leaseLost(): void {
    this.abort('lease-lost');
  }

  heartbeat(stage?: string, progress?: number): Promise<boolean> {
    return this.#host.heartbeat(this, stage, progress);
  }

  checkpoint(data: Json): Promise<boolean> {
    return this.#host.checkpoint(this, data);
  }

  // Called in a later microtask than start(), as the handler always was: a handler that throws at
  // once, or works synchronously for a while, does so outside the worker's claim loop.
  async #run(ctx: ReturnType<typeof createJobContext>): Promise<void> {
    await undefined;
    try {
      const result: unknown = await this.definition.run(this.job.payload, ctx);
      this.#finish(checkResult(this.job, result, this.#host.maxPayloadBytes));
    } catch (thrown) {
      this.#finish({ ok: false, error: coerceError(thrown) });
    } finally {
      this.#host.returned(this);
    }
  }

  #finish(outcome: Outcome): void {
    clearTimeout(this.#timeout);
    this.#settle(outcome);
  }
}

/**
 * The fenced failure write a decision asks for: when to run again, whether the attempt is given
 * back (wait), knob changes, and the healing mark, so all of it lands in one statement.
 */
export function failureWriteOf(
  job: Job,
  record: JobError,
  decision: FailureDecision,
): FailureWrite {
  const retryAt = retryAtOf(decision);
  if (decision.kind === 'escalate') record.escalation = decision.reason;
  const write: FailureWrite = { id: job.id, token: job.leaseToken, error: record, retryAt };
  if (decision.kind === 'wait') write.refundAttempt = true;
  if ((decision.kind === 'retry' || decision.kind === 'wait') && decision.knobs)
    write.knobs = decision.knobs;
  if (decision.healing) {
    write.healingPatternId = decision.healing.patternId;
    record.healing = decision.healing;
  }
  return write;
}
