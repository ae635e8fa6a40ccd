import type { Job, JobError, Pattern } from '../core/types.js';
import type { PatternBook } from '../patterns/pattern-book.js';

/**
 * Records a failed attempt in the pattern book, or, without `error`, an expired lease: the job was
 * stuck in its stage (the stage and attempt of its last error when it had one).
 */
export function recordInBook(
  patterns: Pick<PatternBook, 'record' | 'stuck'>,
  job: Job,
  error: JobError | undefined,
  now: number,
): Promise<{ pattern: Pattern }> {
  if (error)
    return patterns.record(
      {
        message: error.message,
        name: error.name,
        code: error.code,
        stack: error.stack,
        stage: error.stage ?? job.stage ?? undefined,
        jobType: job.type,
        jobId: job.id,
        attempt: error.attempt,
      },
      now,
    );
  return patterns.stuck(
    job.type,
    job.lastError?.stage ?? job.stage ?? undefined,
    job.progress,
    now,
    {
      jobId: job.id,
      attempt: job.lastError?.attempt ?? job.attempts,
    },
  );
}
