import type { Job, JobError } from '../core/types.js';
import type { PatternBook, RecordedError } from '../patterns/pattern-book.js';

/** Counts a job's error on its pattern in the book, with the job and attempt it came from. */
export function recordFailure(
  patterns: PatternBook,
  job: Job,
  error: JobError,
  now: number,
): Promise<RecordedError> {
  return patterns.record(
    {
      message: error.message,
      name: error.name,
      code: error.code,
      stack: error.stack,
      stage: error.stage,
      jobType: job.type,
      jobId: job.id,
      attempt: error.attempt,
    },
    now,
  );
}

/** What a stuck or lost job looked like when the monitor found it. */
export interface StuckDetails {
  /** Why the job is stuck, e.g. "no heartbeat for 6 min". */
  reason?: string;
  stage?: string | null;
  progress?: number;
}

/**
 * Records a stuck or lost job on the stuck pattern of its type and stage, and returns the error
 * its heal is logged with.
 */
export async function recordStuck(
  patterns: PatternBook,
  job: Job,
  finding: StuckDetails,
  now: number,
): Promise<{ error: JobError; recorded: RecordedError }> {
  const stage = finding.stage ?? job.stage ?? undefined;
  const error: JobError = {
    message: `job of type ${job.type} stuck${finding.reason ? `: ${finding.reason}` : ''}`,
    code: 'stuck',
    stage,
    attempt: job.attempts,
    at: now,
    kind: 'lease_expired',
  };
  const recorded = await patterns.stuck(job.type, stage, finding.progress ?? job.progress, now, {
    jobId: job.id,
    attempt: job.attempts,
  });
  return { error, recorded };
}
