import type { Job, JobError } from '../../core/types.js';
import type { RecentAttempt } from '../../store/store.js';
import type { FailedFinding } from '../finding.js';

/** The finding for a failed attempt, as the `job:failed` event reports it. */
export function failedFromEvent(job: Job, error: JobError, detectedAt: number): FailedFinding {
  return {
    kind: 'failed',
    key: `failed:${job.id}:${error.attempt}`,
    summary: `${job.type} job ${job.id} failed attempt ${error.attempt}${error.stage ? ` in '${error.stage}'` : ''}: ${error.message}`,
    detectedAt,
    jobId: job.id,
    jobType: job.type,
    attempt: error.attempt,
    leaseToken: job.leaseToken,
    stage: error.stage ?? job.stage,
    error,
  };
}

/** The same finding from the attempt record, for failures in processes that run no monitor. */
export function failedFromAttempt(
  record: RecentAttempt,
  detectedAt: number,
): FailedFinding | undefined {
  if (!record.error) return undefined;
  const job = {
    id: record.jobId,
    type: record.type,
    leaseToken: record.leaseToken,
    stage: record.error.stage ?? null,
  } as Job;
  return failedFromEvent(job, { ...record.error, attempt: record.attempt }, detectedAt);
}
