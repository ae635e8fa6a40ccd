import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { coerceError, isOrchestratorError, type ErrorCode } from '../core/errors.js';
import { redact } from '../patterns/redact.js';

/** HTTP statuses Hono raises itself, as our codes. */
const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'ERR_INVALID_ARGUMENT',
  401: 'ERR_UNAUTHORIZED',
  403: 'ERR_FORBIDDEN',
  404: 'ERR_NOT_FOUND',
  413: 'ERR_PAYLOAD_TOO_LARGE',
  429: 'ERR_RATE_LIMITED',
};

/**
 * The one place an error becomes an answer: an `OrchestratorError` answers the status of its code
 * with its (redacted) message; anything unexpected answers 500 with no detail, and is reported.
 * Never a stack trace.
 */
export function errorHandler(
  onError: (error: Error) => void,
): (error: Error, c: Context) => Response {
  return (thrown, c) => {
    const body = (code: string, message: string, status: number) =>
      c.json({ error: { code, message: redact(message) } }, status as ContentfulStatusCode);
    if (isOrchestratorError(thrown)) {
      if (thrown.status >= 500 && thrown.status !== 501 && thrown.status !== 503) onError(thrown);
      return body(thrown.code, thrown.message, thrown.status);
    }
    if (thrown instanceof HTTPException) {
      const code = HTTP_CODES[thrown.status] ?? 'ERR_INTERNAL';
      return body(code, thrown.message || code, thrown.status);
    }
    onError(coerceError(thrown));
    return body('ERR_INTERNAL', 'internal error', 500);
  };
}
