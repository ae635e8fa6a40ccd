import type { RunningJob } from '../../store/store.js';
import type { AttemptRef } from '../finding.js';
import type { ResolvedMonitorOptions } from '../monitor-options.js';
import type { Thresholds } from '../thresholds.js';

/** What the scan detectors look at: one snapshot of the running jobs and the thresholds. */
export interface ScanContext {
  now: number;
  /** When the previous scan ran, or null for the first one of this leader. */
  previousScanAt: number | null;
  jobs: readonly RunningJob[];
  thresholds: Thresholds;
  options: ResolvedMonitorOptions;
}

/** The attempt a running job is on. */
export function attemptOf(job: RunningJob): AttemptRef {
  return {
    jobId: job.id,
    jobType: job.type,
    attempt: job.attempts,
    leaseToken: job.leaseToken,
    stage: job.stage,
    progress: job.progress,
  };
}
