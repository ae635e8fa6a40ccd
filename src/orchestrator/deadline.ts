import { OrchestratorError } from '../core/errors.js';

/**
 * Settles like `promise`, or rejects with ERR_STORE_TIMEOUT after `ms`: a store call that never
 * answers (a reply lost on a half-open connection) must not hang whoever waits for it. The
 * abandoned promise is left to settle on its own; its outcome is ignored.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  if (!(ms > 0)) {
    promise.catch(() => {});
    return Promise.reject(
      new OrchestratorError('ERR_STORE_TIMEOUT', `${what}: no time left to wait for the database`),
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new OrchestratorError(
            'ERR_STORE_TIMEOUT',
            `${what}: the database did not answer within ${Math.round(ms)} ms`,
          ),
        ),
      ms,
    );
    timer.unref();
  });
  promise.catch(() => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves after `ms` without keeping the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
