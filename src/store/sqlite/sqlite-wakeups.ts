import { EventEmitter } from 'node:events';
import { watchForeignWrites } from './wal-watcher.js';

// Every store on the same file in this process shares one emitter, so an insert wakes them all.
const localWakeups = new Map<string, EventEmitter>();

function wakeupsFor(filename: string): EventEmitter {
  let emitter = localWakeups.get(filename);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    localWakeups.set(filename, emitter);
  }
  return emitter;
}

/**
 * How SQLite stores tell workers that jobs may be due: an emitter shared by every store on the same
 * file in this process, and a watch on the file's WAL for writes by other processes. @internal
 */
export class SqliteWakeups {
  readonly #filename: string;
  readonly #emitter: EventEmitter;

  constructor(filename: string) {
    this.#filename = filename;
    this.#emitter = wakeupsFor(filename);
  }

  /** Wakes this process's listeners; an empty list means "look at every type". */
  emit(types: readonly string[]): void {
    this.#emitter.emit('jobs', types);
  }

  /** Calls `listener` on every wake-up until the returned function is called. */
  subscribe(listener: (types: readonly string[]) => void): () => Promise<void> {
    this.#emitter.on('jobs', listener);
    // Other processes on the same file append to its WAL: watching it wakes us without polling.
    const stopWatching =
      this.#filename === ':memory:'
        ? () => {}
        : watchForeignWrites(this.#filename, () => listener([]));
    return async () => {
      this.#emitter.off('jobs', listener);
      stopWatching();
    };
  }
}
