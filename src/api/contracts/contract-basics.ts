/**
 * What every contract shares: the error answer, path ids, paging and JSON values. Times in every
 * contract are ms since the epoch.
 */
import { z } from 'zod';

/** A JSON value. Recursive schemas make poor OpenAPI, so payloads are documented as "any JSON". */
export const JsonValue = z.unknown().describe('any JSON value');

/** Error answer of every endpoint. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('stable code, e.g. ERR_INVALID_ARGUMENT'),
    message: z.string(),
  }),
});

/** A page size: `fallback` when absent, at most `max`. */
export const pageLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
/** How many rows to skip. */
export const offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
/** A path id: non-empty, bounded, printable. */
export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[\w.:@-]+$/, 'must be letters, digits, _ . : @ or -'),
});

/** Free text an operator writes (root cause, prevention). */
export const text = z.string().max(4000);
