import { z } from 'zod';
import type { Remedy, RemedyPlan } from '../remedy.js';

type BreakerParams = Record<string, never>;

/**
 * Open the resource's circuit breaker: every process holds the jobs that use it until the
 * cool-down ends (longer each time it re-opens), and this job runs again after it.
 */
export const openCircuitBreaker: Remedy<BreakerParams> = {
  id: 'open_circuit_breaker',
  params: z.strictObject({}) as z.ZodType<BreakerParams>,
  variants: () => [{}],
  applicable({ jobType, services, pattern }) {
    if (jobType.resources.length === 0)
      return { ok: false, needs: `name the resources job type "${jobType.type}" uses` };
    const resource = pattern ? services.resourceFor(pattern, jobType.resources) : undefined;
    if (resource !== undefined && !services.breakers.tripped(resource)) {
      return {
        ok: false,
        needs: `${services.breakers.threshold} failures in a row on ${resource} (one job's error is no outage)`,
      };
    }
    return { ok: true };
  },
  async apply({ jobType, pattern, services, now }): Promise<RemedyPlan> {
    const resource = services.resourceFor(pattern, jobType.resources);
    if (resource === undefined)
      return { kind: 'escalate', delayMs: 0, changes: {}, reason: 'no resource to break' };
    const breaker = await services.breakers.open(resource, now, pattern.category);
    const delayMs = Math.max(0, breaker.until - now);
    // The job waits out the cool-down like every held job: the resource failed, not the job.
    return {
      kind: 'wait',
      delayMs,
      changes: { resource, until: breaker.until, trips: breaker.trips },
    };
  },
};
