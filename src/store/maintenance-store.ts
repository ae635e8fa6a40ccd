import type { JobStatus } from '../core/types.js';

/** Which finished jobs one pruning pass deletes (their attempts go with them). */
export interface JobPruneRule {
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  /** Only this type; null: every type not in `except`. */
  type: string | null;
  except: readonly string[];
  /** Delete those finished before this (ms); null: no age limit. */
  finishedBefore: number | null;
  /** Keep at most this many, newest first, of each type; null: no count limit. */
  keepNewest: number | null;
}

/**
 * Operations on finished jobs: run one again (`megamind retry`), and retention — deleting old
 * finished jobs, error occurrences and improvement logs. Patterns and their counts are never pruned.
 */
export interface MaintenanceStore {
  /**
   * Queues a failed or cancelled job again, due now, with its attempts counted from zero (the
   * attempt history and last error are kept); false if the job is not failed or cancelled.
   */
  retryJob(id: string, now: number): Promise<boolean>;
  /** Deletes the finished jobs a rule selects; returns how many. */
  pruneJobs(rule: JobPruneRule): Promise<number>;
  /** Deletes error occurrences recorded before `before`; returns how many. */
  pruneOccurrences(before: number): Promise<number>;
  /** Deletes improvement logs created before `before` whose validation is settled; returns how many. */
  pruneImprovementLogs(before: number): Promise<number>;
}
