import type { Job, JobError, Json, Pattern } from '../core/types.js';
import { redact } from '../patterns/redact.js';
import type { HealStore, Improvement } from '../store/heal-store.js';
import type { HealChoice } from './heal-planner.js';
import type { RemedyPlan } from './remedy.js';

/** One heal as it is about to be logged. */
export interface HealEntry {
  job: Job;
  error: JobError;
  pattern: Pattern;
  choice: HealChoice;
  plan: RemedyPlan;
  /** The knob values the failed attempt ran with. */
  knobs: Record<string, Json>;
  /** Where the remedies came from (rule, similar, llm, synthetic, operator). */
  source: string;
  now: number;
}

/**
 * Writes the heal's `ai_improvement_logs` row, pending until the job's next attempt says whether
 * the remedy worked. A terminal decision is settled at once as abandoned: nothing will run again
 * to validate it.
 */
export async function logHeal(store: HealStore, entry: HealEntry): Promise<Improvement> {
  const { job, error, pattern, choice, plan, knobs, source, now } = entry;
  const remedy = choice.kind === 'remedy' ? choice.candidate : undefined;
  const improvement = await store.insertImprovement(
    {
      jobId: job.id,
      jobType: job.type,
      attempt: job.attempts,
      patternId: pattern.id,
      patternNew: pattern.occurrenceCount === 1,
      action: remedy?.action ?? (choice.kind === 'terminal' ? choice.action : 'escalate'),
      remedy: remedy?.key ?? null,
      changesApplied: {
        decision: plan.kind,
        delayMs: Math.round(plan.delayMs),
        params: remedy?.params ?? {},
        ...(choice.kind === 'remedy' && choice.tries !== undefined ? { tries: choice.tries } : {}),
        ...(plan.knobs ? { knobs: plan.knobs } : {}),
        ...plan.changes,
      },
      detected: {
        error: redact(error.message).slice(0, 1000),
        errorName: error.name ?? null,
        category: pattern.category,
        template: pattern.template,
        analysis: source,
        reason: plan.reason ?? null,
      },
      beforeMetrics: {
        attempt: job.attempts,
        maxAttempts: job.maxAttempts,
        progress: job.progress,
        stage: job.stage,
        knobs,
      },
      confidence: choice.kind === 'remedy' ? Math.round(choice.confidence * 1000) / 1000 : 0,
    },
    now,
  );
  if (choice.kind === 'terminal') {
    await store.settleImprovements(
      { jobId: job.id, outcome: 'abandoned', afterMetrics: { decision: plan.kind } },
      now,
    );
  }
  return improvement;
}
