/**
 * Every error Mega Mind raises on purpose carries a stable string `code`, so the API can map it
 * to an HTTP status, the CLI to an exit code, and the fingerprinter can group on it.
 */
export const ERROR_CODES = {
  ERR_INVALID_ARGUMENT: { status: 400, message: 'Invalid argument' },
  ERR_UNKNOWN_JOB_TYPE: { status: 400, message: 'Unknown job type' },
  ERR_DUPLICATE_JOB_TYPE: { status: 409, message: 'Job type already defined' },
  ERR_INVALID_PAYLOAD: { status: 400, message: 'Payload does not fit the job type' },
  ERR_PAYLOAD_NOT_SERIALIZABLE: { status: 400, message: 'Payload is not JSON-serialisable' },
  ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'Payload is larger than the limit' },
  ERR_RESULT_NOT_SERIALIZABLE: {
    status: 500,
    message: 'Handler returned a result that is not plain JSON',
  },
  ERR_STORE_TIMEOUT: { status: 503, message: 'The database did not answer in time' },
  ERR_STORE_BUSY: { status: 503, message: 'The database is locked by another process' },
  ERR_CORRUPT_JOB: { status: 500, message: 'A stored job row cannot be read' },
  ERR_INVALID_DATABASE_URL: { status: 400, message: 'Invalid database URL' },
  ERR_DATABASE_UNREACHABLE: { status: 503, message: 'Database unreachable' },
  ERR_DATABASE_NOT_FOUND: { status: 404, message: 'No Mega Mind database there' },
  ERR_MISSING_DEPENDENCY: { status: 500, message: 'An optional dependency is not installed' },
  ERR_STORE_MIGRATION_FAILED: { status: 500, message: 'Migration failed' },
  ERR_STORE_MIGRATION_CHECKSUM: { status: 500, message: 'Applied migration was edited' },
  ERR_STORE_CLOSED: { status: 503, message: 'Store is closed' },
  ERR_JOB_NOT_FOUND: { status: 404, message: 'Job not found' },
  ERR_STALE_LEASE: { status: 409, message: 'Lease is no longer held' },
  ERR_NOT_STARTED: { status: 409, message: 'Engine is not started' },
  ERR_JOB_FAILED: { status: 409, message: 'Job failed' },
  ERR_WAIT_TIMEOUT: { status: 504, message: 'Job did not finish in time' },
  ERR_JOB_TIMEOUT: { status: 500, message: 'Job exceeded its timeout' },
  ERR_LEASE_LOST: { status: 409, message: 'Lease lost' },
  ERR_JOB_STUCK: { status: 500, message: 'Job made no progress and was restarted' },
  ERR_JOB_CANCELLED: { status: 409, message: 'Job cancelled' },
  ERR_SHUTDOWN: { status: 503, message: 'Worker is shutting down' },
  ERR_UNAUTHORIZED: { status: 401, message: 'Missing or unknown API key' },
  ERR_FORBIDDEN: { status: 403, message: 'The API key may not do this' },
  ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  ERR_PATTERN_NOT_FOUND: { status: 404, message: 'Pattern not found' },
  ERR_RATE_LIMITED: { status: 429, message: 'Too many requests' },
  ERR_NOT_IMPLEMENTED: { status: 501, message: 'Not available in this server' },
  ERR_INTERNAL: { status: 500, message: 'Internal error' },
} as const;

/** A stable error code; see {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

const BRAND = Symbol.for('megamind.OrchestratorError');

/** Base class of every error Mega Mind raises on purpose. */
export class OrchestratorError extends Error {
  readonly code: ErrorCode;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = 'OrchestratorError';
    this.code = code;
  }

  /** HTTP status the API answers with for this error. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

/**
 * True for any {@link OrchestratorError}, even one created by another copy of this package,
 * where `instanceof` would fail.
 */
export function isOrchestratorError(value: unknown): value is OrchestratorError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/** Shorthand for the common "this argument is wrong" error. */
export function invalidArgument(message: string): OrchestratorError {
  return new OrchestratorError('ERR_INVALID_ARGUMENT', message);
}

const NON_RETRYABLE = Symbol.for('megamind.NonRetryableError');
const DELAY = Symbol.for('megamind.DelayJobError');

/** Thrown by a handler to fail the job at once, without further attempts. */
export class NonRetryableError extends Error {
  readonly [NON_RETRYABLE] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** True for a {@link NonRetryableError} from any copy of this package. */
export function isNonRetryableError(value: unknown): value is NonRetryableError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[NON_RETRYABLE] === true
  );
}

/**
 * Thrown by a handler to put the job back for later without counting a failed attempt,
 * e.g. when an upstream says "come back in 30 s".
 */
export class DelayJobError extends Error {
  readonly [DELAY] = true;
  readonly delayMs: number;

  constructor(delayMs: number, message = `delayed by ${delayMs} ms`) {
    super(message);
    this.name = 'DelayJobError';
    this.delayMs = delayMs;
  }
}

/** True for a {@link DelayJobError} from any copy of this package. */
export function isDelayJobError(value: unknown): value is DelayJobError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[DELAY] === true
  );
}

/** Turns anything thrown into an `Error`, once, so the rest of the code can rely on its shape. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}
