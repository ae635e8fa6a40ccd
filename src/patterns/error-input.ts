import type { ErrorInput } from './fingerprint.js';

/** An error to record, with the job attempt it came from when there was one. */
export interface RecordInput extends ErrorInput {
  jobId?: string;
  attempt?: number;
}

/** Causes appended to a message: enough for any real chain, bounded against a cyclic one. */
const MAX_CAUSES = 5;

/**
 * The error fields of what was thrown. An `Error` keeps its message and name off its own
 * enumerable properties, so spreading it would lose them; its `cause` chain is appended as
 * `Caused by:` lines, so the innermost cause decides the pattern and the outer ones stay context.
 */
export function errorInputOf(input: RecordInput): ErrorInput {
  const out: ErrorInput = { message: withCauses(input) };
  for (const key of ['name', 'type', 'stack', 'jobType', 'stage'] as const) {
    const value = input[key];
    if (typeof value === 'string') out[key] = value;
  }
  if (typeof input.code === 'string' || typeof input.code === 'number') out.code = input.code;
  if (typeof input.status === 'number') out.status = input.status;
  return out;
}

function withCauses(input: RecordInput): string {
  let message = input.message;
  let cause: unknown = (input as { cause?: unknown }).cause;
  for (let depth = 0; depth < MAX_CAUSES && cause instanceof Error; depth++) {
    message += `\nCaused by: ${cause.name}: ${cause.message}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return message;
}
