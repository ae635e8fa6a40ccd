import type { Hono } from 'hono';
import { OrchestratorError } from '../../core/errors.js';
import type { Job, JobError, Json } from '../../core/types.js';
import type { EnqueueItem, EnqueueOptions } from '../../app/client.js';
import type { ApiContext } from '../api-context.js';
import { EnqueueBody, IdParam, JobListQuery } from '../contracts.js';
import { answer, parse, readJson, type ApiEnv } from '../http.js';
import type { z } from 'zod';

/** Enqueues jobs described by {@link EnqueueBody}s, all or none, and logs the events. @internal */
export async function enqueueJobs(
  ctx: ApiContext,
  bodies: readonly z.output<typeof EnqueueBody>[],
): Promise<Job[]> {
  const items: EnqueueItem[] = bodies.map((body) => {
    const { runAt, ...rest } = body.options ?? {};
    const options: EnqueueOptions = { ...(rest as EnqueueOptions) };
    if (runAt !== undefined) options.runAt = typeof runAt === 'string' ? Date.parse(runAt) : runAt;
    return { type: body.type, payload: (body.payload ?? null) as Json, options };
  });
  const jobs = await ctx.engine.enqueueMany(items);
  for (const job of jobs) ctx.events.append('job:enqueued', ctx.clock.now(), { job });
  return jobs;
}

/** A job by id, or a 404. @internal */
export async function jobOr404(ctx: ApiContext, id: string): Promise<Job> {
  const job = await ctx.engine.store.getJob(id);
  if (!job) throw new OrchestratorError('ERR_JOB_NOT_FOUND', `no job with id "${id}"`);
  return job;
}

/** `/api/jobs`: list, read, enqueue, cancel, retry. */
export function jobRoutes(app: Hono<ApiEnv>, ctx: ApiContext): void {
  const store = () => ctx.engine.store;

  app.get('/api/jobs', ctx.guard('read'), async (c) => {
    const q = parse(JobListQuery, c.req.query(), 'query');
    const filter = { status: q.status, type: q.type };
    const [jobs, total] = await Promise.all([
      store().listJobs({ ...filter, limit: q.limit, offset: q.offset }),
      store().countJobs(filter),
    ]);
    return answer(c, { jobs, total, limit: q.limit, offset: q.offset });
  });

  app.get('/api/jobs/:id', ctx.guard('read'), async (c) => {
    const { id } = parse(IdParam, c.req.param(), 'path');
    const job = await jobOr404(ctx, id);
    const [attempts, heals] = await Promise.all([
      store().listAttempts(id),
      store().listImprovements({ jobId: id, limit: 100 }),
    ]);
    const errors = attempts.map((a) => a.error).filter((e): e is JobError => e !== null);
    return answer(c, { job, attempts, errors, heals });
  });

  app.post('/api/jobs', ctx.guard('operate', true), async (c) => {
    const body = parse(EnqueueBody, await readJson(c), 'body');
    const [job] = await enqueueJobs(ctx, [body]);
    return answer(c, { job }, 201);
  });

  app.post('/api/jobs/:id/cancel', ctx.guard('operate', true), async (c) => {
    const { id } = parse(IdParam, c.req.param(), 'path');
    await jobOr404(ctx, id);
    const cancelled = await ctx.engine.cancel(id);
    const job = await jobOr404(ctx, id);
    if (cancelled) ctx.events.append('job:cancelled', ctx.clock.now(), { job });
    return answer(c, { cancelled, job });
  });

  app.post('/api/jobs/:id/retry', ctx.guard('operate', true), async (c) => {
    const { id } = parse(IdParam, c.req.param(), 'path');
    const retried = await store().retryJob(id, ctx.clock.now());
    const job = await store().getJob(id);
    if (!job) throw new OrchestratorError('ERR_JOB_NOT_FOUND', `no job with id "${id}"`);
    if (retried) ctx.events.append('job:retried', ctx.clock.now(), { job });
    return answer(c, { job, retried });
  });
}
