import type { Job, JobError, Json, Pattern } from '../core/types.js';
import type { ActionId } from '../knowledge/actions.js';
import type { FailureDecision } from '../orchestrator/failure-hook.js';
import { redact } from '../patterns/redact.js';
import type { HealChoice } from './heal-planner.js';
import type { RemedyPlan } from './remedy.js';

/** What the healer concluded and did about one failed or stuck job. */
export interface HealReport {
  jobId: string;
  jobType: string;
  /** The attempt that failed or got stuck. */
  attempt: number;
  detected: {
    /** The redacted error message. */
    message: string;
    category: string;
    template: string;
    rootCause: string | null;
    /** Where the remedies came from: a built-in rule, a similar pattern, an LLM, or the engine (stuck jobs). */
    analysis: 'rule' | 'similar' | 'llm' | 'synthetic' | 'operator';
  };
  pattern: { id: string; signature: string; new: boolean };
  /** The remedy applied, or null when the job was failed or escalated. */
  applied: {
    action: ActionId;
    params: Record<string, Json>;
    confidence: number;
    changes: Record<string, Json>;
  } | null;
  /** What happens to the job: run again (spending an attempt or not), fail, escalate, or nothing. */
  decision: 'retry' | 'wait' | 'fail' | 'escalate' | 'none';
  /** When the job runs again. */
  retryAt: number | null;
  /** Why the job was failed, escalated or skipped. */
  reason: string | null;
  /** What to register so that more remedies could act (a knob, a reset hook, a fixer). */
  needs: string[];
  /** `pending` until the next attempt says whether the remedy worked. */
  outcome: 'pending' | 'failed' | 'escalated' | 'skipped';
  improvementId: string | null;
  /** Time taken to choose, in ms: budget, bounds, applicability and sampling, from memory. */
  decisionMs: number;
  /** Time the whole heal took, in ms: recording the pattern, settling the last heal, choosing, applying, logging. */
  healMs: number;
}

/** The report of a job the healer looked at and left alone. */
export function skippedReport(job: Job, reason: string): HealReport {
  return {
    jobId: job.id,
    jobType: job.type,
    attempt: job.attempts,
    detected: {
      message: job.lastError?.message ?? '',
      category: 'other',
      template: '',
      rootCause: null,
      analysis: 'rule',
    },
    pattern: { id: job.healingPatternId ?? '', signature: '', new: false },
    applied: null,
    decision: 'none',
    retryAt: null,
    reason,
    needs: [],
    outcome: 'skipped',
    improvementId: null,
    decisionMs: 0,
    healMs: 0,
  };
}

/** Everything a report of one heal is made from. */
export interface HealFacts {
  job: Job;
  error: JobError;
  pattern: Pattern;
  source: HealReport['detected']['analysis'];
  choice: HealChoice;
  plan: RemedyPlan;
  decision: FailureDecision;
  improvementId: string;
  decisionMs: number;
  healMs: number;
}

/** The report of a heal that was carried out. */
export function reportOf(facts: HealFacts): HealReport {
  const { job, error, pattern, choice, plan, decision } = facts;
  return {
    jobId: job.id,
    jobType: job.type,
    attempt: job.attempts,
    detected: {
      message: redact(error.message).slice(0, 2000),
      category: pattern.category,
      template: pattern.template,
      rootCause: pattern.rootCause,
      analysis: facts.source,
    },
    pattern: { id: pattern.id, signature: pattern.patternKey, new: pattern.occurrenceCount === 1 },
    applied:
      choice.kind === 'remedy'
        ? {
            action: choice.candidate.action,
            params: choice.candidate.params,
            confidence: choice.confidence,
            changes: plan.changes,
          }
        : null,
    decision: decision.kind,
    retryAt: decision.kind === 'retry' || decision.kind === 'wait' ? decision.retryAt : null,
    reason: choice.kind === 'terminal' ? choice.reason : (plan.reason ?? null),
    needs: choice.needs,
    outcome:
      decision.kind === 'escalate' ? 'escalated' : decision.kind === 'fail' ? 'failed' : 'pending',
    improvementId: facts.improvementId,
    decisionMs: facts.decisionMs,
    healMs: facts.healMs,
  };
}
