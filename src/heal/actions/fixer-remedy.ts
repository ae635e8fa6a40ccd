import { z } from 'zod';
import type { ActionId } from '../../knowledge/actions.js';
import type { Json } from '../../core/types.js';
import type { Fixer, FixerContext } from '../fixers/fixer.js';
import type { Remedy, RemedyPlan } from '../remedy.js';

type FixerParams = Record<string, Json>;

/**
 * An action only a user's code can perform (clear a cache, free disk, rotate credentials, roll
 * back): applicable only when a fixer is registered for it, the pattern or its category. The
 * fixer runs, the job runs again, and the change stands only if that run passes.
 */
export function fixerRemedy(id: ActionId): Remedy<FixerParams> {
  return {
    id,
    params: z.record(z.string(), z.json()) as z.ZodType<FixerParams>,
    variants: () => [{}],
    applicable({ services, pattern }) {
      return services.fixerFor(id, pattern) !== undefined
        ? { ok: true }
        : { ok: false, needs: `register a fixer for action "${id}" (healer option fixers)` };
    },
    async apply({ job, error, pattern, params, services }) {
      const fixer = services.fixerFor(id, pattern);
      if (!fixer)
        return { kind: 'escalate', delayMs: 0, changes: {}, reason: `no fixer for ${id}` };
      return runFixer(fixer, { job, error, pattern, params });
    },
  };
}

/**
 * Runs one fixer and plans the job's re-run at once; the plan carries the fixer's revert, called
 * if that run fails, so a change is kept only when the job passes with it.
 */
export async function runFixer(fixer: Fixer, context: FixerContext): Promise<RemedyPlan> {
  const result = (await fixer.fix(context)) ?? {};
  const plan: RemedyPlan = {
    kind: 'retry',
    delayMs: 0,
    changes: { fixer: fixer.name, ...(result.changes ?? {}) },
  };
  const revert = result.revert;
  return revert ? { ...plan, revert: async () => void (await revert()) } : plan;
}

export const clearCache = fixerRemedy('clear_cache');
export const freeDiskSpace = fixerRemedy('free_disk_space');
export const refreshCredentials = fixerRemedy('refresh_credentials');
export const rollbackDeployment = fixerRemedy('rollback_deployment');
