import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { routePath } from 'hono/route';
import { systemClock, type Clock } from '../core/clock.js';
import { DASHBOARD_PATH, dashboardRoutes } from '../dashboard/dashboard-routes.js';
import { coerceError, OrchestratorError } from '../core/errors.js';
import type { Job, JobError, Pattern } from '../core/types.js';
import { ApiMetrics } from './api-metrics.js';
import type { ApiContext } from './api-context.js';
import { KeyRing, type ApiKey } from './auth.js';
import { errorHandler } from './error-handler.js';
import { EventLog } from './event-log.js';
import { guard, type ApiEnv } from './http.js';
import { RELAYED_EVENTS, type EnginePort, type HealerPort, type MonitorPort } from './ports.js';
import { RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { functionRoutes } from './routes/functions.js';
import { jobRoutes } from './routes/jobs.js';
import { patternRoutes } from './routes/patterns.js';
import { systemRoutes } from './routes/system.js';

/** What {@link createApp} serves. Only `engine` is required. */
export interface AppDeps {
  /** The engine or the handler-less client: jobs, the store and the pattern book. */
  engine: EnginePort;
  /** Without it the healing functions answer 501. */
  healer?: HealerPort;
  /** Without it the monitor endpoints answer 501. */
  monitor?: MonitorPort;
  /** API keys; without any, every request is served as admin (bind to loopback then). @default [] */
  keys?: readonly ApiKey[];
  /** Per-caller limit on mutating requests. @default 120 per minute */
  rateLimit?: RateLimitOptions;
  /**
   * Origins a browser may call from (CORS), once API keys are configured; without keys only
   * loopback pages may call. @default '*' (keys travel in headers, never in cookies)
   */
  corsOrigin?: string | string[];
  /** Largest accepted request body. @default 1 MiB */
  bodyLimitBytes?: number;
  /**
   * Relay jobs that other processes finish (a `megamind worker` beside this server) to
   * `/api/events`: LISTEN on PostgreSQL, the WAL watch on SQLite (see `MegaMindClient.watch`).
   * @default true
   */
  watchOtherProcesses?: boolean;
  /** Events kept for resuming `/api/events`. @default 1000 */
  eventBufferSize?: number;
  clock?: Clock;
  /** Unexpected errors (answered 500 without detail) are reported here. @default console.error */
  onError?: (error: Error) => void;
}

/** The Hono app of the API, with the parts a server needs besides `fetch`. */
export type MegaMindApp = Hono<ApiEnv> & {
  /** The live-event log: other parts of the server may append to it. */
  readonly events: EventLog;
  /**
   * Settles once jobs that other processes finish reach the live events (see
   * `watchOtherProcesses`); a failure to watch went to `onError` and settles it too.
   */
  readonly watching: Promise<void>;
  /** Stops relaying the engine's events. */
  dispose(): void;
};

/**
 * Creates the HTTP API: REST under `/api/`, the seed's functions under `/functions/v1/`, live
 * events, metrics, the OpenAPI document and the `/self-healing` dashboard. Serve it with
 * `@hono/node-server` or call `app.request()` in tests.
 */
export function createApp(deps: AppDeps): MegaMindApp {
  const clock = deps.clock ?? systemClock;
  const keys = new KeyRing(deps.keys ?? []);
  const limiter = new RateLimiter(clock, deps.rateLimit);
  const events = new EventLog(deps.eventBufferSize);
  const metrics = new ApiMetrics(deps.engine.store);
  const onError =
    deps.onError ??
    ((error: Error) => console.error(`megamind api: ${error.stack ?? error.message}`));
  const ctx: ApiContext = {
    engine: deps.engine,
    healer: deps.healer,
    monitor: deps.monitor,
    clock,
    events,
    metrics,
    keys,
    limiter,
    guard: (role, mutating = false) => guard(keys, limiter, role, mutating),
  };

  const app = new Hono<ApiEnv>();
  app.onError(errorHandler(onError));
  app.notFound((c) =>
    c.json(
      { error: { code: 'ERR_NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  app.use(async (c, next) => {
    const stop = metrics.requestSeconds.startTimer();
    await next();
    const route = routePath(c);
    const labels = { method: c.req.method, route: route === '/*' ? 'unmatched' : route };
    stop(labels);
    metrics.requests.inc({ ...labels, status: String(c.res.status) });
  });
  if (keys.enabled) {
    app.use(
      cors({
        origin: deps.corsOrigin ?? '*',
        allowMethods: ['GET', 'POST', 'PATCH', 'OPTIONS'],
        // What supabase-js sends with functions.invoke, and what an event stream resumes with.
        allowHeaders: ['authorization', 'apikey', 'content-type', 'x-client-info', 'last-event-id'],
        exposeHeaders: ['retry-after'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    bodyLimit({
      maxSize: deps.bodyLimitBytes ?? 1024 * 1024,
      onError: () => {
        throw new OrchestratorError(
          'ERR_PAYLOAD_TOO_LARGE',
          `request body larger than ${deps.bodyLimitBytes ?? 1024 * 1024} bytes`,
        );
      },
    }),
  );
  systemRoutes(app, ctx);
  jobRoutes(app, ctx);
  patternRoutes(app, ctx);
  functionRoutes(app, ctx);
  // The dashboard reads this app's own JSON in-process, presenting the browser's key.
  app.route('/', dashboardRoutes({ api: (path, init) => app.request(path, init), clock }));
  app.get('/', (c) => c.redirect(DASHBOARD_PATH));

  const dispose = relayEvents(deps.engine, events, metrics, clock);
  const watching =
    (deps.watchOtherProcesses ?? true)
      ? deps.engine.watch().catch((error: unknown) => onError(coerceError(error)))
      : Promise.resolve();
  return Object.assign(app, { events, watching, dispose });
}

/** Appends the engine's job and pattern events to the log and counts attempts. */
function relayEvents(
  engine: EnginePort,
  events: EventLog,
  metrics: ApiMetrics,
  clock: Clock,
): () => void {
  const listeners = RELAYED_EVENTS.map((type) => {
    const listener = (first: Job | Pattern, second?: unknown) => {
      if (type === 'job:completed') metrics.attempts.inc({ outcome: 'completed' });
      if (type === 'job:failed') metrics.attempts.inc({ outcome: 'failed' });
      if (type === 'job:lease-expired') metrics.attempts.inc({ outcome: 'lease_expired' });
      if (type === 'pattern:recorded')
        events.append(type, clock.now(), { pattern: first, data: { jobId: (second as Job).id } });
      else if (type === 'job:failed')
        events.append(type, clock.now(), { job: first, data: { error: second as JobError } });
      else events.append(type, clock.now(), { job: first });
    };
    engine.on(type, listener);
    return () => engine.off(type, listener);
  });
  return () => listeners.forEach((off) => off());
}
