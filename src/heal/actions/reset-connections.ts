import { z } from 'zod';
import type { Remedy } from '../remedy.js';
import type { JobTypeView } from '../job-type-view.js';
import type { RemedyServices } from '../remedy-services.js';

type ResetParams = Record<string, never>;

function resourcesWithHook(jobType: JobTypeView, services: RemedyServices): string[] {
  return jobType.resources.filter((resource) => services.resetHook(resource) !== undefined);
}

function resetRemedy(id: 'reconnect' | 'reset_connection_pool'): Remedy<ResetParams> {
  return {
    id,
    params: z.strictObject({}) as z.ZodType<ResetParams>,
    variants: () => [{}],
    applicable({ jobType, services }) {
      if (resourcesWithHook(jobType, services).length > 0) return { ok: true };
      const names = jobType.resources.length > 0 ? jobType.resources.join(' or ') : '<resource>';
      return { ok: false, needs: `register a reset hook for ${names} (healer option resetHooks)` };
    },
    async apply({ job, jobType, pattern, services }) {
      const hooked = resourcesWithHook(jobType, services);
      const attributed = services.resourceFor(pattern, jobType.resources);
      const resource =
        attributed !== undefined && hooked.includes(attributed) ? attributed : hooked[0]!;
      await services.resetHook(resource)!({ resource, action: id });
      return {
        kind: 'retry',
        delayMs: Math.min(services.backoffMs(job.attempts), 250),
        changes: { resource, hook: 'called' },
      };
    },
  };
}

/** Drop the failed connection through the resource's reset hook, then run again. */
export const reconnect = resetRemedy('reconnect');
/** Rebuild the resource's pool through its reset hook, then run again. */
export const resetConnectionPool = resetRemedy('reset_connection_pool');
