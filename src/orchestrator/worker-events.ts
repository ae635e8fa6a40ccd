import type { Job, JobError, Json } from '../core/types.js';
import type { FailureDecision } from './failure-hook.js';

/** Events a worker reports; the engine re-emits them to users. */
export interface WorkerEvents {
  'job:started': [job: Job];
  'job:progress': [job: Job, stage: string | undefined, progress: number | undefined];
  'job:completed': [job: Job, result: Json];
  /** An attempt failed; `decision` is what the failure hooks decided (retry, wait, fail, escalate). */
  'job:failed': [job: Job, error: JobError, retryAt: number | null, decision: FailureDecision];
  'job:released': [job: Job];
  'job:lease-lost': [job: Job];
  /** A lease expired without a heartbeat (a dead or blocked worker); the job is as the sweep left it. */
  'job:lease-expired': [job: Job];
  'worker:error': [error: Error];
}
