import type { Logger } from '../core/logger.js';
import type { Job, JobError } from '../core/types.js';

/**
 * Logs what a worker did, at a level matching how much a person watching needs it: a finished job
 * is debug (a busy worker finishes thousands), a failed attempt a warning, a job that failed for
 * good an error, and a dead worker's job taken back a warning.
 */
export function logWorkerEvent(logger: Logger, event: string, args: readonly unknown[]): void {
  if (
    (event === 'job:started' || event === 'job:completed') &&
    logger.isLevelEnabled?.('debug') === false
  )
    return;
  const job = args[0] as Job;
  const fields = { jobId: job.id, type: job.type, attempt: job.attempts };
  switch (event) {
    case 'job:started':
      return logger.debug(fields, `job ${job.type} ${job.id} started`);
    case 'job:completed':
      return logger.debug(fields, `job ${job.type} ${job.id} completed`);
    case 'job:failed': {
      const error = args[1] as JobError;
      const retryAt = args[2] as number | null;
      if (retryAt === null)
        return logger.error(
          { ...fields, error },
          `job ${job.type} ${job.id} failed for good: ${error.message}`,
        );
      return logger.warn(
        { ...fields, error, retryAt },
        `job ${job.type} ${job.id} attempt ${job.attempts} failed: ${error.message}`,
      );
    }
    case 'job:lease-expired':
      return logger.warn(
        { ...fields, status: job.status, previousOwner: job.lastError?.message },
        `recovered job ${job.type} ${job.id} from an expired lease (${job.status === 'queued' ? 'queued again' : 'no attempts left'})`,
      );
    case 'job:lease-lost':
      return logger.warn(
        fields,
        `job ${job.type} ${job.id} lost its lease; its result was not written`,
      );
    default:
      return undefined;
  }
}
