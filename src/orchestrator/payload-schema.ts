import type { z } from 'zod';
import { invalidArgument, NonRetryableError, OrchestratorError } from '../core/errors.js';

/** A zod schema of a job type's payload: the output is what the handler receives. */
export type PayloadSchema<P> = z.ZodType<P, unknown>;

/** `payload.items[2].name`: where in a value an issue is, as a person would write it. */
function pathOf(path: readonly PropertyKey[], root: string): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    root,
  );
}

/** Every issue of a failed parse on one line, each naming its path from `root`. */
export function describeIssues(error: z.ZodError, root = 'payload'): string {
  return error.issues.map((issue) => `${pathOf(issue.path, root)}: ${issue.message}`).join('; ');
}

/** True for anything with zod's `safeParse`, so a schema from another copy of zod works too. */
export function isPayloadSchema(value: unknown): value is PayloadSchema<unknown> {
  return typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function';
}

/** Parses at enqueue: a payload that does not fit is the caller's mistake (`ERR_INVALID_PAYLOAD`). */
export function parseAtEnqueue(
  schema: PayloadSchema<unknown>,
  payload: unknown,
  where: string,
  type: string,
): unknown {
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    throw new OrchestratorError(
      'ERR_INVALID_PAYLOAD',
      `${where}payload of "${type}" does not fit its schema: ${describeIssues(parsed.error)}`,
    );
  return parsed.data;
}

/**
 * Parses before a run: a stored payload that does not fit (written by an older version, or by SQL)
 * will not fit on the next attempt either, so the job fails at once.
 */
export function parseBeforeRun(
  schema: PayloadSchema<unknown>,
  payload: unknown,
  type: string,
): unknown {
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    throw new NonRetryableError(
      `payload of "${type}" does not fit its schema: ${describeIssues(parsed.error)}`,
    );
  return parsed.data;
}

/** Refuses a `payloadSchema` that is not a zod schema. */
export function assertPayloadSchema(type: string, schema: unknown): void {
  if (schema !== undefined && !isPayloadSchema(schema))
    throw invalidArgument(`job type "${type}": payloadSchema must be a zod schema`);
}
