import { coerceError } from '../core/errors.js';
import type { Healing, Job, Json } from '../core/types.js';
import type { FailureDecision } from '../orchestrator/failure-hook.js';
import { remedyFor } from './actions/remedies.js';
import type { HealChoice } from './heal-planner.js';
import type { RemedyInput, RemedyPlan } from './remedy.js';
import type { RemedyServices } from './remedy-services.js';

/** What a remedy acts on, less the parameters and services the choice and the healer supply. */
export type ApplyInput = Omit<RemedyInput<Record<string, Json>>, 'params' | 'services'>;

/**
 * Carries out a choice: a terminal one becomes a fail or escalate plan; a remedy runs through its
 * module (or `run`, for a fixer chosen by name). A reset hook or fixer that throws is a failed
 * heal, not a lost job: the job is retried after a backoff and the heal logged with the error.
 */
export async function applyChoice(
  choice: HealChoice,
  input: ApplyInput,
  services: RemedyServices,
  onError: (error: Error) => void,
  run?: () => Promise<RemedyPlan>,
): Promise<RemedyPlan> {
  if (choice.kind === 'terminal') {
    return {
      kind: choice.action === 'fail_fast' ? 'fail' : 'escalate',
      delayMs: 0,
      changes: { learned: choice.learned },
      reason: choice.reason,
    };
  }
  const { action, params } = choice.candidate;
  try {
    const remedy = remedyFor(action, input.pattern, services);
    return await (run ? run() : remedy.apply({ ...input, params, services }));
  } catch (thrown) {
    const error = coerceError(thrown);
    onError(error);
    return {
      kind: 'retry',
      delayMs: services.backoffMs(input.job.attempts),
      changes: { error: error.message.slice(0, 500) },
      reason: `${action} failed: ${error.message}`,
    };
  }
}

/** The engine's decision for a plan: when the job runs again and with which knobs, or its end. */
export function decisionOf(
  choice: HealChoice,
  plan: RemedyPlan,
  job: Job,
  patternId: string,
  now: number,
): FailureDecision {
  const healing: Healing =
    choice.kind === 'remedy'
      ? { patternId, action: choice.candidate.action, params: choice.candidate.params }
      : { patternId };
  if (plan.kind === 'retry' || plan.kind === 'wait') {
    return {
      kind: plan.kind,
      retryAt: now + Math.max(0, Math.round(plan.delayMs)),
      ...(plan.knobs ? { knobs: { ...job.knobs, ...plan.knobs } } : {}),
      healing,
    };
  }
  return plan.kind === 'fail'
    ? { kind: 'fail', healing }
    : { kind: 'escalate', reason: plan.reason ?? 'escalated by the healer', healing };
}
