import { z } from 'zod';
import type { Remedy } from '../remedy.js';

type RetryParams = Record<string, never>;

/** Run the job again at once, unchanged. */
export const retry: Remedy<RetryParams> = {
  id: 'retry',
  params: z.strictObject({}) as z.ZodType<RetryParams>,
  variants: () => [{}],
  applicable: () => ({ ok: true }),
  apply: async ({ job }) => ({ kind: 'retry', delayMs: 0, changes: { attempt: job.attempts } }),
};
