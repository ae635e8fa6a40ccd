import { z } from 'zod';
import type { Remedy } from '../remedy.js';

type WaitParams = { fallbackMs?: number; marginMs?: number };

/**
 * Wait until the upstream's Retry-After or rate-limit reset has passed, then run again without
 * spending an attempt: the job did nothing wrong. Queued jobs on the same resource are held
 * until then too, so they do not spend their attempts on the same 429.
 */
export const waitForRateLimit: Remedy<WaitParams> = {
  id: 'wait_for_rate_limit',
  params: z.strictObject({
    fallbackMs: z.number().int().min(0).max(3_600_000).optional(),
    marginMs: z.number().int().min(0).max(60_000).optional(),
  }) as z.ZodType<WaitParams>,
  variants: () => [{}],
  applicable: () => ({ ok: true }),
  async apply({ job, pattern, facts, params, jobType, services, now }) {
    const told = facts.retryAfterMs;
    const base = told ?? params.fallbackMs ?? services.backoffMs(job.attempts);
    // Jitter up to half the wait: every job told the same reset must not come back at the same instant.
    const spreadMs = Math.round(base * 0.5);
    const delayMs = Math.round(base + spreadMs * services.random()) + (params.marginMs ?? 50);
    const resource = services.resourceFor(pattern, jobType.resources);
    // Prevention: the jobs queued on the same resource would only hit the same limit; they come
    // back spread over the same jitter as this one, not all at the reset.
    const until = now + Math.round(base) + (params.marginMs ?? 50);
    const held =
      resource === undefined ? 0 : await services.holdResource(resource, until, now, spreadMs);
    return {
      kind: 'wait',
      delayMs,
      changes: {
        delayMs,
        retryAfterMs: told ?? null,
        resource: resource ?? null,
        until: now + delayMs,
        held,
      },
    };
  },
};
