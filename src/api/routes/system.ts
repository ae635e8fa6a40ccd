import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { OrchestratorError } from '../../core/errors.js';
import { JOB_STATUSES, type JobStatus } from '../../core/types.js';
import { partOr501, type ApiContext } from '../api-context.js';
import { ImprovementListQuery } from '../contracts.js';
import type { LoggedEvent } from '../event-log.js';
import { answer, parse, type ApiEnv } from '../http.js';
import { openApiDocument } from '../openapi.js';

/** How often an idle event stream sends a comment, so proxies keep it open. */
const KEEP_ALIVE_MS = 15_000;

/** Stats, improvements, monitor health, live events, metrics, health check and the OpenAPI document. */
export function systemRoutes(app: Hono<ApiEnv>, ctx: ApiContext): void {
  const store = () => ctx.engine.store;

  app.get('/healthz', async (c) => {
    await store().countJobs({ status: 'running' });
    return answer(c, { status: 'ok', store: store().name });
  });

  app.get('/metrics', ctx.guard('read'), async (c) => {
    const text = await ctx.metrics.registry.metrics();
    return c.text(text, 200, { 'Content-Type': ctx.metrics.registry.contentType });
  });

  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));

  app.get('/api/stats', ctx.guard('read'), async (c) => {
    const [statistics, counts] = await Promise.all([
      store().healingStatistics(),
      Promise.all(JOB_STATUSES.map((status) => store().countJobs({ status }))),
    ]);
    const jobs = Object.fromEntries(JOB_STATUSES.map((status, i) => [status, counts[i]])) as Record<
      JobStatus,
      number
    >;
    return answer(c, { ...statistics, jobs });
  });

  app.get('/api/improvements', ctx.guard('read'), async (c) => {
    const q = parse(ImprovementListQuery, c.req.query(), 'query');
    const improvements = await store().listImprovements(q);
    return answer(c, { improvements, limit: q.limit, offset: q.offset });
  });

  app.get('/api/monitor/health', ctx.guard('read'), async (c) => {
    return answer(c, await partOr501(ctx, 'monitor').health());
  });

  app.get('/api/events', ctx.guard('read'), (c) => {
    const header = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const lastId = header === undefined ? ctx.events.lastId : Number(header);
    if (!Number.isSafeInteger(lastId) || lastId < 0)
      throw new OrchestratorError(
        'ERR_INVALID_ARGUMENT',
        'Last-Event-ID: must be a whole number >= 0',
      );
    return streamSSE(c, async (stream) => {
      const queue: LoggedEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = ctx.events.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        // An id from a previous run of the server replays the whole ring (see EventLog.since).
        let seen = lastId > ctx.events.lastId ? 0 : lastId;
        queue.unshift(...ctx.events.since(lastId));
        while (!stream.aborted && !stream.closed) {
          const event = queue.shift();
          if (event === undefined) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              setTimeout(resolve, KEEP_ALIVE_MS).unref();
            });
            wake = undefined;
            if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
            continue;
          }
          // A live event may also be in the replay taken just after subscribing.
          if (event.id <= seen) continue;
          seen = event.id;
          await stream.writeSSE({
            id: String(event.id),
            event: event.type,
            data: JSON.stringify(event),
          });
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
