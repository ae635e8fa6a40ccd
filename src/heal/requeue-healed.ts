import type { Job, JobError } from '../core/types.js';
import type { FailureDecision } from '../orchestrator/failure-hook.js';
import type { HealStore } from '../store/heal-store.js';
import type { HealReport } from './heal-report.js';
import type { HealOutcomes } from './heal-outcomes.js';

/** A heal carried out: the engine's decision, its report, and the notice to send once it is written. */
export interface Carried {
  decision: FailureDecision;
  report: HealReport;
  /** Sends the dead-letter notification of an escalation; does nothing for other decisions. */
  notify: () => void;
}

/**
 * Applies a heal decided off the failure path (a scan, a stuck job, an operator): an escalation
 * is announced; a retry or wait puts the job back in the queue with the remedy's knobs and mark,
 * a running attempt revoked first, a failed or queued job requeued. A job that moved on meanwhile
 * is left alone and its heal abandoned, a fixer's change reverted.
 */
export async function requeueHealed(
  store: Pick<HealStore, 'restartJob' | 'requeueJob'>,
  outcomes: Pick<HealOutcomes, 'abandoned'>,
  { decision, report, notify }: Carried,
  job: Job,
  error: JobError,
  now: number,
): Promise<HealReport> {
  notify();
  if (decision.kind !== 'retry' && decision.kind !== 'wait') return report;
  const write = {
    id: job.id,
    runAt: decision.retryAt,
    knobs: decision.knobs,
    patternId: report.pattern.id,
    error: { ...error, healing: decision.healing! },
  };
  const requeued =
    job.status === 'running'
      ? await store.restartJob({ ...write, token: job.leaseToken }, now)
      : await store.requeueJob(write, now);
  if (requeued) return report;
  await outcomes.abandoned(job.id, 'abandoned', 'the job moved on', now);
  return { ...report, outcome: 'skipped', reason: 'the job moved on before the heal applied' };
}
