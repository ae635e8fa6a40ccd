import { z } from 'zod';
import type { Remedy } from '../remedy.js';

type NoParams = Record<string, never>;
const noParams = z.strictObject({}) as z.ZodType<NoParams>;

/** Run again from the last checkpoint the job saved (the next attempt sees it as `ctx.lastCheckpoint`). */
export const resumeFromCheckpoint: Remedy<NoParams> = {
  id: 'resume_from_checkpoint',
  params: noParams,
  variants: () => [{}],
  applicable: ({ job }) =>
    job === undefined || job.checkpoint !== null
      ? { ok: true }
      : { ok: false, needs: 'call ctx.checkpoint(data) in the handler' },
  apply: async ({ job, services }) => ({
    kind: 'retry',
    delayMs: Math.min(services.backoffMs(job.attempts), 250),
    changes: { fromCheckpoint: true },
  }),
};

/**
 * Start the job afresh on a new lease. On a failed attempt the lease is already gone; on a stuck
 * one `Healer.healStuck` revokes it first, so the old attempt's writes are refused.
 */
export const restartJob: Remedy<NoParams> = {
  id: 'restart_job',
  params: noParams,
  variants: () => [{}],
  applicable: () => ({ ok: true }),
  apply: async () => ({ kind: 'retry', delayMs: 0, changes: { restarted: true } }),
};

/** Stop retrying: the error will not go away by itself. */
export const failFast: Remedy<NoParams> = {
  id: 'fail_fast',
  params: noParams,
  variants: () => [{}],
  applicable: () => ({ ok: true }),
  apply: async () => ({
    kind: 'fail',
    delayMs: 0,
    changes: {},
    reason: 'no remedy is expected to fix this error',
  }),
};

/** Dead-letter the job and notify a human (see `Escalator`). */
export const escalate: Remedy<NoParams> = {
  id: 'escalate',
  params: noParams,
  variants: () => [{}],
  applicable: () => ({ ok: true }),
  apply: async () => ({
    kind: 'escalate',
    delayMs: 0,
    changes: {},
    reason: 'the fix needs someone outside the job',
  }),
};
