// Temporary: the contract of src/orchestrator/failure-hook.ts until it lands on main.
import type { Job, JobError, Json } from '../core/types.js';
import type { JobTypeView } from './job-type-view.js';

export interface HealingMark { patternId: string }
export interface FailureContext { job: Job; error: JobError; definition: JobTypeView; now: number; nonRetryable: boolean }
export type FailureDecision =
  | { kind: 'retry'; retryAt: number; knobs?: Record<string, Json>; healing?: HealingMark }
  | { kind: 'wait'; retryAt: number; knobs?: Record<string, Json>; healing?: HealingMark }
  | { kind: 'fail'; healing?: HealingMark }
  | { kind: 'escalate'; reason: string; healing?: HealingMark };
export interface FailureHook {
  onFailure(ctx: FailureContext, next: (ctx: FailureContext) => Promise<FailureDecision>): Promise<FailureDecision>;
}
