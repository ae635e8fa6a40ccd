import type { Job } from '../../core/types.js';
import type { RecentAttempt } from '../../store/store.js';
import type { LeaseLostFinding } from '../finding.js';

/** The finding for an attempt whose lease expired, from its attempt record (any process's sweep). */
export function leaseLostFromAttempt(record: RecentAttempt, detectedAt: number): LeaseLostFinding {
  const stage = record.error?.stage ?? null;
  return {
    kind: 'lease_lost',
    key: `lease_lost:${record.jobId}:${record.attempt}`,
    summary: `${record.type} job ${record.jobId} lost its lease${stage ? ` in '${stage}'` : ''} (attempt ${record.attempt}, worker ${record.owner ?? 'unknown'} stopped renewing it)`,
    detectedAt,
    jobId: record.jobId,
    jobType: record.type,
    attempt: record.attempt,
    leaseToken: record.leaseToken,
    stage,
    leaseOwner: record.owner,
    expiredAt: record.at,
  };
}

/** The same finding from this process's own sweep (the `job:lease-expired` event). */
export function leaseLostFromEvent(job: Job, detectedAt: number): LeaseLostFinding {
  const attempt = job.lastError?.attempt ?? job.attempts;
  return leaseLostFromAttempt(
    {
      id: 0,
      jobId: job.id,
      type: job.type,
      attempt,
      // The sweep does not bump the token: the expired attempt held the job's current one.
      leaseToken: job.leaseToken,
      owner: /^lease of (.*) expired/.exec(job.lastError?.message ?? '')?.[1] ?? null,
      outcome: 'lease_expired',
      error: job.lastError,
      at: job.lastError?.at ?? detectedAt,
    },
    detectedAt,
  );
}
