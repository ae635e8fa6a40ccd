import { OrchestratorError } from '../../core/errors.js';

/**
 * How long one try may block the event loop waiting for another process's lock (SQLite's own
 * busy handler sleeps synchronously); longer waits happen between tries, asynchronously.
 */
export const SYNC_BUSY_MS = 25;

const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  );
};

/**
 * Runs a synchronous SQLite call, retrying while another process holds the lock, with backoff on
 * timers so the worker keeps heartbeating meanwhile. After `totalMs` it gives up with
 * ERR_STORE_BUSY naming the file: never a raw SQLITE_BUSY.
 */
export async function retryWhileBusy<T>(
  call: () => T | Promise<T>,
  totalMs: number,
  filename: string,
): Promise<T> {
  const giveUpAt = Date.now() + totalMs;
  for (let delay = 5; ; delay = Math.min(200, delay * 2)) {
    try {
      return await call();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() + delay > giveUpAt) {
        throw new OrchestratorError(
          'ERR_STORE_BUSY',
          `the SQLite database ${filename} stayed locked by another process for more than ${totalMs} ms`,
          {
            cause: error,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Runs the synchronous `call` with SQLite's own busy wait raised to `totalMs`: for calls off the
 * worker's path, which may hold several statements outside one transaction and so are not safe to
 * retry.
 */
export function withBusyTimeout<T>(
  call: () => T,
  setBusyTimeout: (ms: number) => void,
  totalMs: number,
): T {
  setBusyTimeout(totalMs);
  try {
    return call();
  } finally {
    setBusyTimeout(SYNC_BUSY_MS);
  }
}

/**
 * Wraps every method of `target` so that its synchronous part runs {@link withBusyTimeout}: for
 * concerns off the worker's path (the pattern book, job-type descriptions).
 */
export function withLongBusyWait<T extends object>(
  target: T,
  setBusyTimeout: (ms: number) => void,
  totalMs: number,
): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        withBusyTimeout(
          () => (value as (...a: unknown[]) => unknown).apply(object, args),
          setBusyTimeout,
          totalMs,
        );
    },
  });
}
