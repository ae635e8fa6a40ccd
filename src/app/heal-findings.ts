import type { Healer } from '../heal/healer.js';
import type { FindingHandler } from '../monitor/finding-handler.js';
import type { JobStore } from '../store/job-store.js';

/**
 * The monitor's finding handler when the healer is on: a stuck job or a lost lease goes to
 * `healer.healStuck` (its attempt is revoked, fenced by the finding's lease token, and the job
 * queued again with the remedy chosen for the "stuck at stage" pattern); other findings are only
 * recorded, since failed attempts already went through the healer's failure hook.
 */
export function healFindings(healer: Healer, store: Pick<JobStore, 'getJob'>): FindingHandler {
  return async (finding) => {
    if (finding.kind !== 'stuck' && finding.kind !== 'lease_lost') return 'recorded';
    const job = await store.getJob(finding.jobId);
    if (!job) return 'not healed: the job is gone';
    if (job.status === 'running' && job.leaseToken !== finding.leaseToken)
      return 'not healed: a newer attempt runs';
    if (job.status === 'completed' || job.status === 'cancelled')
      return `not healed: the job is ${job.status}`;
    const progress = finding.kind === 'stuck' ? finding.progress : job.progress;
    const report = await healer.healStuck(job, {
      reason: finding.summary,
      stage: finding.stage,
      progress,
    });
    const applied = report.applied
      ? `${report.applied.action} ${JSON.stringify(report.applied.params)}`
      : report.decision;
    return `healed: ${applied} (${report.outcome}${report.reason ? `: ${report.reason}` : ''})`;
  };
}
