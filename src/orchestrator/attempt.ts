import { coerceError, OrchestratorError, type ErrorCode } from '../core/errors.js';
import type { Job, JobError, Json } from '../core/types.js';
import { checkResult, type Outcome } from './attempt-outcome.js';
import type { FailureDecision } from './failure-hook.js';
import { retryAtOf } from './failure-hook.js';
import { createJobContext, type AttemptWriter } from './job-context.js';
import type { ResolvedJobDefinition } from './job-definition.js';
import { resolveKnobs } from './knobs.js';
import type { TrackedLease } from './lease-keeper.js';
import type { FailureWrite } from '../store/store.js';

/** Why an attempt's signal fired. */
export type AbortCause = 'lease-lost' | 'cancelled' | 'timeout' | 'shutdown';

/** One run of a handler on one claimed job. */
export interface Attempt {
  job: Job;
  controller: AbortController;
  lease: TrackedLease;
  /** Set once, by the first abort; later aborts keep the first cause. */
  cause?: AbortCause;
}

const ABORT_CODES: Record<AbortCause, ErrorCode> = {
  timeout: 'ERR_JOB_TIMEOUT',
  cancelled: 'ERR_JOB_CANCELLED',
  shutdown: 'ERR_SHUTDOWN',
  'lease-lost': 'ERR_LEASE_LOST',
};

/** Fires the attempt's signal with an error naming the cause; the first cause wins. */
export function abortAttempt(attempt: Attempt, cause: AbortCause): void {
  if (attempt.cause) return;
  attempt.cause = cause;
  attempt.controller.abort(
    new OrchestratorError(ABORT_CODES[cause], `job ${attempt.job.id}: ${cause}`),
  );
}

/** What running a handler needs from its worker. */
export interface AttemptHost extends AttemptWriter {
  maxPayloadBytes: number;
  started(job: Job): void;
}

/**
 * Runs the handler on the attempt's job with its knobs and a timeout. `outcome` settles when the
 * handler settles or the attempt is aborted, whichever is first; `returned` only when the handler
 * itself has returned, so its slot is not freed by an abort the handler ignores.
 */
export function executeAttempt(
  attempt: Attempt,
  definition: ResolvedJobDefinition,
  host: AttemptHost,
): { outcome: Promise<Outcome>; returned: Promise<void> } {
  const { job } = attempt;
  let knobs: Record<string, Json>;
  try {
    knobs = resolveKnobs(definition.knobs, job.knobs);
  } catch (error) {
    return {
      outcome: Promise.resolve({ ok: false, error: coerceError(error) }),
      returned: Promise.resolve(),
    };
  }
  const ctx = createJobContext(job, knobs, attempt.controller.signal, host);
  host.started(job);
  const aborted = new Promise<never>((_, reject) => {
    attempt.controller.signal.addEventListener(
      'abort',
      () => reject(attempt.controller.signal.reason),
      { once: true },
    );
  });
  const timeoutMs = typeof knobs.timeoutMs === 'number' ? knobs.timeoutMs : definition.timeoutMs;
  const timeout =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => abortAttempt(attempt, 'timeout'), timeoutMs);
  const run = Promise.resolve().then(() => definition.run(job.payload, ctx));
  const outcome = Promise.race([run, aborted])
    .then(
      (result) => checkResult(job, result, host.maxPayloadBytes),
      (thrown: unknown): Outcome => ({ ok: false, error: coerceError(thrown) }),
    )
    .finally(() => clearTimeout(timeout));
  return {
    outcome,
    returned: run.then(
      () => undefined,
      () => undefined,
    ),
  };
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
