/**
 * Operations on finished jobs: run one again (`megamind retry`), and retention (see
 * `pruneFinished`).
 */
export interface MaintenanceStore {
  /**
   * Queues a failed or cancelled job again, due now, with its attempts counted from zero (the
   * attempt history and last error are kept); false if the job is not failed or cancelled.
   */
  retryJob(id: string, now: number): Promise<boolean>;
}
