import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Calls `onWrite` soon after any process appends to the database's write-ahead log. A change to
 * the WAL is the only cross-process signal SQLite gives; watching the folder (not the file) keeps
 * working when the WAL is truncated and recreated at a checkpoint.
 */
export function watchForeignWrites(filename: string, onWrite: () => void): () => void {
  const wal = `${basename(filename)}-wal`;
  let scheduled = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(filename), { persistent: false }, (_event, file) => {
      if (file !== wal || scheduled) return;
      // Coalesce a burst of writes into one wake-up.
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        onWrite();
      });
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // No inotify (or similar): the poll interval still finds the jobs.
    return () => {};
  }
  return () => watcher?.close();
}
