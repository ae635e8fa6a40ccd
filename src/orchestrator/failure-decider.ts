import type { Clock } from '../core/clock.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { Job, JobError } from '../core/types.js';
import {
  chainFailureHooks,
  retryPolicyDecision,
  type FailureContext,
  type FailureDecision,
  type FailureHook,
  type NextFailureHook,
} from './failure-hook.js';
import { describeJobType, type ResolvedJobDefinition } from './job-definition.js';
import { validateKnobValues } from './knobs.js';
import type { RetryPolicy } from './retry-policy.js';

/** Runs a worker's failure hooks around its retry policy, and never lets them lose a job. */
export class FailureDecider {
  readonly #chain: NextFailureHook;
  readonly #hooks: readonly FailureHook[];
  readonly #retryPolicy: RetryPolicy;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  readonly #descriptions = new Map<string, JobTypeDescription>();

  constructor(
    options: { failureHooks: readonly FailureHook[]; retryPolicy: RetryPolicy; clock: Clock },
    onError: (error: unknown) => void,
  ) {
    this.#chain = chainFailureHooks(options.failureHooks, retryPolicyDecision(options.retryPolicy));
    this.#hooks = options.failureHooks;
    this.#retryPolicy = options.retryPolicy;
    this.#clock = options.clock;
    this.#onError = onError;
  }

  /** What to do with a failed attempt of `job`. */
  decide(
    job: Job,
    error: JobError,
    definition: ResolvedJobDefinition,
    now: number,
    nonRetryable: boolean,
  ): Promise<FailureDecision> {
    return this.#decide(
      { job, error, definition: this.#description(definition), now, nonRetryable },
      definition,
    );
  }

  /**
   * Tells the hooks whether the write of `decision` landed (`written`) or was refused because the
   * attempt had lost its lease. A hook that throws here is reported and does not stop the others.
   */
  async settled(
    job: Job,
    error: JobError,
    definition: ResolvedJobDefinition,
    now: number,
    nonRetryable: boolean,
    decision: FailureDecision,
    written: boolean,
  ): Promise<void> {
    const context = { job, error, definition: this.#description(definition), now, nonRetryable };
    for (const hook of this.#hooks) {
      const told = written
        ? hook.onWritten?.(context, decision)
        : hook.onRefused?.(context, decision);
      await told?.catch((hookError: unknown) => this.#onError(hookError));
    }
  }

  // Runs the failure hooks; a hook that throws or asks for knobs the type does not declare must
  // not lose the job, so the retry policy decides instead and the reason goes to worker:error.
  async #decide(
    context: FailureContext,
    definition: ResolvedJobDefinition,
  ): Promise<FailureDecision> {
    const fallback = retryPolicyDecision(this.#retryPolicy);
    try {
      const decision = await this.#chain(context);
      if ((decision.kind === 'retry' || decision.kind === 'wait') && decision.knobs) {
        validateKnobValues(definition.type, definition.knobs, decision.knobs);
      }
      return decision;
    } catch (hookError) {
      this.#onError(hookError);
      try {
        return await fallback(context);
      } catch (policyError) {
        this.#onError(policyError);
        return { kind: 'fail' };
      }
    }
  }

  #description(definition: ResolvedJobDefinition): JobTypeDescription {
    let description = this.#descriptions.get(definition.type);
    if (!description) {
      description = describeJobType(definition, this.#clock.now());
      this.#descriptions.set(definition.type, description);
    }
    return description;
  }
}
