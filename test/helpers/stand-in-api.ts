import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { MegaMindClient } from '../../src/app/client.js';
import { JOB_STATUSES, type JobStatus } from '../../src/core/types.js';

/**
 * The least of the HTTP API (issue 11) the dashboard reads, for testing the dashboard before the
 * API is merged: jobs and patterns as JSON, live events over SSE, optional keys with roles, and
 * 501 for everything whose backend is not built here (stats, improvements, healer, edits; the
 * monitor too unless one is given).
 * It answers the same shapes as the API's contracts.
 */
export function standInApi(
  engine: MegaMindClient,
  options: { keys?: Record<string, 'read' | 'operate' | 'admin'>; monitor?: { health(): Promise<unknown> } } = {},
): Hono {
  const app = new Hono();
  const keys = options.keys ?? {};
  const roleOf = (c: Context): 'read' | 'operate' | 'admin' | undefined => {
    if (Object.keys(keys).length === 0) return 'admin';
    const key = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    return key === undefined ? undefined : keys[key];
  };
  const notAvailable = (c: Context, what: string) => c.json({ error: { code: 'ERR_NOT_IMPLEMENTED', message: `${what} is not running in this server` } }, 501);
  app.use('/api/*', async (c, next) => {
    if (!roleOf(c)) return c.json({ error: { code: 'ERR_UNAUTHORIZED', message: 'send an API key as "Authorization: Bearer <key>"' } }, 401);
    await next();
  });
  app.use('/functions/*', async (c, next) => {
    const role = roleOf(c);
    if (!role) return c.json({ error: { code: 'ERR_UNAUTHORIZED', message: 'send an API key' } }, 401);
    if (role === 'read') return c.json({ error: { code: 'ERR_FORBIDDEN', message: 'this needs a key with role "operate"; yours has "read"' } }, 403);
    await next();
  });

  app.get('/api/jobs', async (c) => {
    const status = c.req.query('status') as JobStatus | undefined;
    const filter = status && JOB_STATUSES.includes(status) ? { status } : {};
    const limit = Number(c.req.query('limit') ?? 50);
    const [jobs, total] = await Promise.all([engine.listJobs({ ...filter, limit }), engine.countJobs(filter)]);
    return c.json({ jobs, total, limit, offset: 0 });
  });
  app.get('/api/jobs/:id', async (c) => {
    const job = await engine.getJob(c.req.param('id'));
    if (!job) return c.json({ error: { code: 'ERR_JOB_NOT_FOUND', message: `no job ${c.req.param('id')}` } }, 404);
    const attempts = await engine.listAttempts(job.id);
    return c.json({ job, attempts, errors: attempts.flatMap((a) => (a.error ? [a.error] : [])), heals: [] });
  });
  app.get('/api/patterns', async (c) => {
    const patterns = await engine.patterns.list({ category: c.req.query('category') || undefined, limit: Number(c.req.query('limit') ?? 50) });
    return c.json({ patterns: patterns.map((p) => ({ ...p, disabled: false })), limit: 50, offset: 0 });
  });
  app.get('/api/patterns/:id', async (c) => {
    const pattern = await engine.patterns.get(c.req.param('id'));
    if (!pattern) return c.json({ error: { code: 'ERR_PATTERN_NOT_FOUND', message: `no pattern ${c.req.param('id')}` } }, 404);
    return c.json({ pattern: { ...pattern, disabled: false }, occurrences: await engine.patterns.occurrences(pattern.id, 20) });
  });
  app.get('/api/stats', (c) => notAvailable(c, 'healing statistics'));
  app.get('/api/improvements', (c) => notAvailable(c, 'the improvement log'));
  app.get('/api/monitor/health', async (c) => (options.monitor ? c.json((await options.monitor.health()) as object) : notAvailable(c, 'the monitor')));
  app.patch('/api/patterns/:id', (c) => notAvailable(c, 'pattern editing'));
  app.post('/functions/v1/mega-mind-self-healer', (c) => notAvailable(c, 'the healer'));

  let lastId = 0;
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const send = (type: string) => () => void stream.writeSSE({ id: String(++lastId), event: type, data: JSON.stringify({ type }) });
      const types = ['job:started', 'job:progress', 'job:completed', 'job:failed', 'pattern:recorded'] as const;
      const listeners = types.map((type) => [type, send(type)] as const);
      for (const [type, listener] of listeners) engine.on(type, listener);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      for (const [type, listener] of listeners) engine.off(type, listener);
    }),
  );
  return app;
}
