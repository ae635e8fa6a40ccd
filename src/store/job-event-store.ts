/** Jobs that reached a final state (completed, failed, cancelled), as another process sees them. */
export interface JobEventStore {
  /**
   * Calls `listener` with the ids of jobs that finished — in any process — after `since` (ms):
   * NOTIFY from a trigger on PostgreSQL, the WAL watch and a cursor on SQLite. An id may be
   * reported more than once; the listener reads the job to see what happened.
   */
  onJobsFinished(
    since: number,
    listener: (ids: readonly string[]) => void,
  ): Promise<() => Promise<void>>;
}
