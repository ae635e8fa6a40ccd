import { isNonRetryableError, OrchestratorError } from '../core/errors.js';
import { assertJson, sanitizeText } from '../core/json.js';
import type { Job, JobError, Json } from '../core/types.js';

/** How an attempt ended, before anything is written. */
export type Outcome = { ok: true; result: Json } | { ok: false; error: Error };

/** Longest text kept from an error's message or stack. */
const MAX_ERROR_TEXT = 32 * 1024;

/**
 * Checks a handler's result here, not in the store: one bad value must fail its own job, never the
 * batch of completions it would travel in.
 */
export function checkResult(job: Job, result: unknown, maxBytes: number): Outcome {
  const value = result ?? null;
  try {
    assertJson(value, 'result', { maxBytes });
    return { ok: true, result: value };
  } catch (error) {
    const reason = (error as Error).message;
    return {
      ok: false,
      error: new OrchestratorError(
        'ERR_RESULT_NOT_SERIALIZABLE',
        `job ${job.id} returned a result that cannot be stored: ${reason}`,
      ),
    };
  }
}

// A result that is not JSON fails the same way on every attempt: running it again only repeats the work.
export function isNonRetryable(error: Error): boolean {
  return (
    isNonRetryableError(error) ||
    (error as { code?: unknown }).code === 'ERR_RESULT_NOT_SERIALIZABLE'
  );
}

// Error text is stored as JSON: stripped of what PostgreSQL refuses and cut to a bounded size, so a
// strange message can never make its own failure unwritable.
const text = (value: string | undefined, max = MAX_ERROR_TEXT) =>
  value === undefined ? undefined : sanitizeText(value.slice(0, max));

/** What is recorded about a failed attempt. */
export function toJobError(
  error: Error,
  job: Job,
  now: number,
  timedOut: boolean,
  timeoutMs: number | undefined,
): JobError {
  const code = (error as { code?: unknown }).code;
  return {
    message: timedOut
      ? `job exceeded its timeout of ${timeoutMs ?? '?'} ms`
      : (text(String(error.message)) as string),
    name: timedOut ? 'TimeoutError' : text(String(error.name), 256),
    code: timedOut ? 'ERR_JOB_TIMEOUT' : code === undefined ? undefined : text(String(code), 256),
    stack: timedOut ? undefined : text(error.stack),
    stage: job.stage ?? undefined,
    attempt: job.attempts,
    at: now,
    kind: timedOut ? 'timeout' : 'thrown',
  };
}
