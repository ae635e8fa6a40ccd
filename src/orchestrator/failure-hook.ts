import type { JobTypeDescription } from '../core/job-type.js';
import type { Healing, Job, JobError, Json } from '../core/types.js';
import type { RetryPolicy } from './retry-policy.js';

/** What a failure hook is told about a failed attempt, before anything is written. */
export interface FailureContext {
  /** The job as the attempt saw it: stage, progress, knobs, attempts. */
  job: Job;
  /** What will be recorded for the attempt. */
  error: JobError;
  /** The job type, as described to the store. */
  definition: JobTypeDescription;
  now: number;
  /** The handler threw a `NonRetryableError`. */
  nonRetryable: boolean;
}

/**
 * Marks the job as being healed by a pattern: sets `healing_pattern_id` and `healing_timestamp`;
 * the action and parameters reach the next attempt as `ctx.healing`.
 */
export type HealingMark = Healing;

/**
 * What happens to a failed job, applied in the same fenced write as the failure:
 * - `retry`: another attempt at `retryAt`;
 * - `wait`: another attempt at `retryAt` without spending one (rate limits, open breakers);
 * - `fail`: the job fails for good;
 * - `escalate`: the job fails for good and is marked for a person (dead letter).
 * `knobs`, when given, is the job's complete new knob map; it must respect the declared knobs.
 */
export type FailureDecision =
  | { kind: 'retry'; retryAt: number; knobs?: Record<string, Json>; healing?: HealingMark }
  | { kind: 'wait'; retryAt: number; knobs?: Record<string, Json>; healing?: HealingMark }
  | { kind: 'fail'; healing?: HealingMark }
  | { kind: 'escalate'; reason: string; healing?: HealingMark };

/** Calls the rest of the chain. */
export type NextFailureHook = (context: FailureContext) => Promise<FailureDecision>;

/**
 * Decides, before a failed attempt is written, what happens to the job. Hooks form a chain in the
 * shape of Temporal's interceptors: a hook may answer itself, or call `next` and adjust or observe
 * its answer. The end of the chain is the engine's retry policy.
 */
export interface FailureHook {
  onFailure(context: FailureContext, next: NextFailureHook): Promise<FailureDecision>;
  /**
   * The write of `decision` was refused: the attempt no longer held its lease (the job was
   * restarted, cancelled or taken over), so nothing it decided happened. A hook that recorded
   * something of its own for the decision (a heal awaiting validation) undoes or closes it here.
   */
  onRefused?(context: FailureContext, decision: FailureDecision): Promise<void>;
  /**
   * The write of `decision` landed, fenced by the attempt's lease: what should follow only a
   * decision that really happened (a dead-letter notification) is done here.
   */
  onWritten?(context: FailureContext, decision: FailureDecision): Promise<void>;
}

/** The end of every chain: the retry policy, or fail at once for a `NonRetryableError`. */
export function retryPolicyDecision(policy: RetryPolicy): NextFailureHook {
  return async ({ job, error, now, nonRetryable }) => {
    if (nonRetryable) return { kind: 'fail' };
    const { retryAt } = await policy.decide({ job, error, attempt: job.attempts, now });
    return retryAt === null ? { kind: 'fail' } : { kind: 'retry', retryAt };
  };
}

/** Composes hooks, outermost first, around `last`. */
export function chainFailureHooks(
  hooks: readonly FailureHook[],
  last: NextFailureHook,
): NextFailureHook {
  return hooks.reduceRight<NextFailureHook>(
    (next, hook) => (context) => hook.onFailure(context, next),
    last,
  );
}

/** The retry time a decision writes: null when the job fails for good. */
export function retryAtOf(decision: FailureDecision): number | null {
  return decision.kind === 'retry' || decision.kind === 'wait' ? decision.retryAt : null;
}
