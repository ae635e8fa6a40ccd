import type Database from 'better-sqlite3';
import type { JobEventStore } from '../job-event-store.js';
import { watchForeignWrites } from './wal-watcher.js';

// The finished part of ai_generation_jobs_leased (no lease), in updated_at order (migration 0055).
const FINISHED_SINCE = `
SELECT id, updated_at FROM ai_generation_jobs INDEXED BY ai_generation_jobs_leased
WHERE status <> 'queued' AND lease_expires_at IS NULL AND updated_at >= ? AND status <> 'running'
ORDER BY updated_at LIMIT 1000`;

/**
 * Finished jobs in SQLite: a cursor on updated_at, read whenever the WAL is written — by any
 * process, this one included. @internal
 */
export class SqliteJobEvents implements JobEventStore {
  #filename: string;
  #stmt: (sql: string) => Database.Statement;

  constructor(filename: string, stmt: (sql: string) => Database.Statement) {
    this.#filename = filename;
    this.#stmt = stmt;
  }

  async onJobsFinished(
    since: number,
    listener: (ids: readonly string[]) => void,
  ): Promise<() => Promise<void>> {
    let cursor = since;
    // Rows at the cursor's millisecond were reported already; later rows at the same ms are not.
    let atCursor = new Set<string>();
    const read = () => {
      let rows: { id: string; updated_at: number }[];
      try {
        rows = this.#stmt(FINISHED_SINCE).all(cursor) as { id: string; updated_at: number }[];
      } catch {
        return; // closed: the subscriber is going away
      }
      const fresh = rows.filter((row) => !(row.updated_at === cursor && atCursor.has(row.id)));
      if (fresh.length === 0) return;
      const last = fresh[fresh.length - 1]!.updated_at;
      atCursor = new Set([
        ...(last === cursor ? atCursor : []),
        ...fresh.filter((row) => row.updated_at === last).map((row) => row.id),
      ]);
      cursor = last;
      listener(fresh.map((row) => row.id));
    };
    const stopWatching =
      this.#filename === ':memory:' ? () => {} : watchForeignWrites(this.#filename, read);
    return async () => stopWatching();
  }
}
