import { z } from 'zod';
import type { Remedy, RemedyPlan } from '../remedy.js';

type ConcurrencyParams = Record<string, never>;

/**
 * Halve the job type's concurrency on the resource at once (AIMD; successes grow it back by one)
 * and hand the new limit to the job through its `concurrency` knob.
 */
export const reduceConcurrency: Remedy<ConcurrencyParams> = {
  id: 'reduce_concurrency',
  params: z.strictObject({}) as z.ZodType<ConcurrencyParams>,
  variants: () => [{}],
  applicable({ jobType, knobs }) {
    const knob = jobType.knobs.concurrency;
    if (knob?.kind !== 'number')
      return {
        ok: false,
        needs: `declare a number knob "concurrency" on job type "${jobType.type}"`,
      };
    const current = knobs?.concurrency;
    if (typeof current === 'number' && current <= knob.min) {
      return {
        ok: false,
        needs: `lower the minimum of knob "concurrency" of job type "${jobType.type}" (it is at ${knob.min})`,
      };
    }
    return { ok: true };
  },
  async apply({ job, jobType, knobs, pattern, services, now }): Promise<RemedyPlan> {
    const knob = jobType.knobs.concurrency;
    if (knob?.kind !== 'number')
      return { kind: 'escalate', delayMs: 0, changes: {}, reason: 'no concurrency knob' };
    const resource = services.resourceFor(pattern, jobType.resources) ?? '*';
    const current = typeof knobs.concurrency === 'number' ? knobs.concurrency : knob.default;
    const limit = await services.limits.decrease(
      jobType.type,
      resource,
      current,
      { floor: knob.min, ceiling: knob.default },
      now,
    );
    return {
      kind: 'retry',
      delayMs: services.backoffMs(job.attempts),
      knobs: { concurrency: limit.limit },
      changes: { resource, from: current, to: limit.limit },
    };
  },
};
