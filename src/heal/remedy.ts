import type { z } from 'zod';
import type { ActionId } from '../knowledge/actions.js';
import type { Job, JobError, Json, Pattern } from '../core/types.js';
import type { JobTypeView } from './job-type-view.js';
import type { RemedyServices } from './remedy-services.js';
import type { ErrorFacts } from '../patterns/facts.js';

/** What a remedy decides for the job: run again (spending an attempt or not), fail, or escalate. */
export interface RemedyPlan {
  /** `wait` runs the job again without spending an attempt. */
  kind: 'retry' | 'wait' | 'fail' | 'escalate';
  /** Delay before the next attempt, in ms (retry and wait). */
  delayMs: number;
  /** Knob values to change (only declared knobs, within bounds); merged into the job's knobs. */
  knobs?: Record<string, Json>;
  /** What was done besides the decision, for the improvement log. */
  changes: Record<string, Json>;
  /** Called if the next attempt fails: undoes a fixer's change that did not help. */
  revert?: () => Promise<void>;
  reason?: string;
}

/** Everything a remedy may look at and act through. */
export interface RemedyInput<P> {
  job: Job;
  error: JobError;
  pattern: Pattern;
  /** Facts of this occurrence (its Retry-After, status, resource), redacted. */
  facts: ErrorFacts;
  jobType: JobTypeView;
  /** The knob values the failed attempt ran with (declared defaults overridden by the job's). */
  knobs: Record<string, Json>;
  params: P;
  now: number;
  services: RemedyServices;
}

/** What applicability is judged on; without a job, only the job type and registrations count. */
export interface RemedyTarget {
  jobType: JobTypeView;
  services: RemedyServices;
  job?: Job;
  knobs?: Record<string, Json>;
  pattern?: Pattern;
}

/** Whether a remedy can act on a job, and if not, what to register so that it can. */
export type Applicability = { ok: true } | { ok: false; needs: string };

/**
 * One remedy action of the catalogue, made to act: a parameter schema, the parameter sets worth
 * trying for a job, an applicability test against the job type and what is registered, and the
 * application itself, which returns a plan and never throws for an expected condition.
 */
export interface Remedy<P extends Record<string, Json> = Record<string, Json>> {
  readonly id: ActionId;
  readonly params: z.ZodType<P>;
  /** Parameter sets the learner compares for this job; the first is the default. */
  variants(jobType: JobTypeView, knobs: Record<string, Json>): P[];
  applicable(target: RemedyTarget): Applicability;
  /**
   * Whether these (schema-valid) parameters can act on the job, e.g. a model the knob lists or a
   * factor that moves the knob; absent when every valid parameter set can.
   */
  accepts?(params: P, target: RemedyTarget): Applicability;
  apply(input: RemedyInput<P>): Promise<RemedyPlan>;
}

/** The key outcomes are counted under: the action id and its parameters as canonical JSON. */
export function remedyKey(action: string, params: Record<string, Json>): string {
  const keys = Object.keys(params).sort();
  if (keys.length === 0) return action;
  return `${action}${JSON.stringify(Object.fromEntries(keys.map((k) => [k, params[k]])))}`;
}

/** The action id of a remedy key. */
export function actionOfKey(key: string): string {
  const brace = key.indexOf('{');
  return brace === -1 ? key : key.slice(0, brace);
}
