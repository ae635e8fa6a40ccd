import { z } from 'zod';
import type { Remedy } from '../remedy.js';

type BackoffParams = { scale?: number };

/**
 * Run the job again after an exponentially growing, jittered delay; `scale` stretches the delay
 * for upstreams that need longer to recover.
 */
export const retryWithBackoff: Remedy<BackoffParams> = {
  id: 'retry_with_backoff',
  params: z.strictObject({
    scale: z.number().min(0.1).max(100).optional(),
  }) as z.ZodType<BackoffParams>,
  variants: () => [{}],
  applicable: () => ({ ok: true }),
  async apply({ job, params, services }) {
    const delayMs = Math.round(services.backoffMs(job.attempts) * (params.scale ?? 1));
    return { kind: 'retry', delayMs, changes: { delayMs, attempt: job.attempts } };
  },
};
