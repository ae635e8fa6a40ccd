/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Path of the database file, or `:memory:`. */
  filename: string;
  /**
   * How long a call waits for another process's lock before failing with ERR_STORE_BUSY. The wait
   * happens between short tries, on timers: it never blocks the event loop for more than 25 ms.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /** Refuse to create the file or its folder (commands that only read). @default false */
  mustExist?: boolean;
  /**
   * Durability of enqueues: `full` flushes each enqueue to disk before it returns, so an OS crash
   * or power loss cannot lose an acknowledged job; `normal` leaves that to the next checkpoint.
   * Every other write (claims, heartbeats, completions) uses `normal`: after an OS crash they may
   * roll back to the previous state, which leases and retries already handle.
   * @default 'full'
   */
  enqueueSync?: 'full' | 'normal';
}
