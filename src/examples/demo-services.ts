import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom, type Random } from '../core/random.js';

/** How often each kind of fault happens, as a probability per request of the route it hits. */
export interface FaultRates {
  /** Model API answers 503 "overloaded". */
  overloaded: number;
  /** Model API answers 200 with JSON cut off mid-way. */
  truncated: number;
  /** Model API closes the connection without answering (the client sees ECONNRESET). */
  modelReset: number;
  /** Database migration never answers: the job hangs at "Setting up database foundation". */
  hang: number;
  /** Registry closes the connection during a push. */
  registryReset: number;
}

/** What {@link startDemoServices} takes. Every field is optional. */
export interface DemoServicesOptions {
  /** Seed of the fault sequence: the same seed gives the same faults in the same request order. @default 42 */
  seed?: number;
  /** Model API requests allowed per window; one more answers 429 with Retry-After. @default 4 per 2000 ms */
  rateLimit?: { requests: number; windowMs: number };
  faults?: Partial<FaultRates>;
  /** Model API time per generated file, so large apps take long. @default 150 */
  msPerFile?: number;
  /** The build runs out of heap when files × batchSize exceeds this. @default 2500 */
  heapBudget?: number;
  /**
   * Apps whose first migration never answers, whatever the fault rates (a lock a dead session still
   * holds): their job is sure to get stuck at 25% once, and goes through when restarted.
   * @default []
   */
  hangOnce?: readonly string[];
}

/** The loopback services a demo job calls. */
export interface DemoServices {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests answered so far, by route and answer (`model:429`, `db:hang`, …). */
  readonly counts: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** @default fault rates of the demo: each kind shows up within a few dozen jobs. */
export const DEFAULT_FAULT_RATES = {
  overloaded: 0.06,
  truncated: 0.05,
  modelReset: 0.04,
  hang: 0.12,
  registryReset: 0.08,
} as const satisfies FaultRates;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  try {
    const parsed = JSON.parse(text || '{}') as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * Starts a model API, a database, a build runner and a registry on one loopback port, each
 * misbehaving the way real ones do: the model API rate-limits (429 + Retry-After), is overloaded
 * (503), cuts its JSON short and drops connections; a migration sometimes never answers; the build
 * runs out of heap when asked to hold too much at once; the registry drops pushes. Which request
 * misbehaves comes from a seeded generator, so a run can be repeated.
 */
export async function startDemoServices(options: DemoServicesOptions = {}): Promise<DemoServices> {
  const random: Random = seededRandom(options.seed ?? 42);
  const faults: FaultRates = { ...DEFAULT_FAULT_RATES, ...options.faults };
  const limit = options.rateLimit ?? { requests: 4, windowMs: 2000 };
  const msPerFile = options.msPerFile ?? 150;
  const heapBudget = options.heapBudget ?? 2500;
  const hangOnce = new Set(options.hangOnce ?? []);
  const counts: Record<string, number> = {};
  const count = (key: string) => void (counts[key] = (counts[key] ?? 0) + 1);
  let window = { start: Date.now(), used: 0 };

  const model = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const now = Date.now();
    if (now - window.start >= limit.windowMs) window = { start: now, used: 0 };
    if (++window.used > limit.requests) {
      const retryAfter = Math.max(1, Math.ceil((window.start + limit.windowMs - now) / 1000));
      count('model:429');
      json(
        response,
        429,
        {
          error: {
            type: 'rate_limit_exceeded',
            message: `Rate limit reached: ${limit.requests} requests per ${limit.windowMs} ms`,
          },
        },
        { 'retry-after': String(retryAfter) },
      );
      return;
    }
    const roll = random();
    if (roll < faults.overloaded) {
      count('model:503');
      json(response, 503, {
        error: { type: 'overloaded', message: 'The model is overloaded. Please try again later.' },
      });
      return;
    }
    if (roll < faults.overloaded + faults.modelReset) {
      count('model:reset');
      request.socket.destroy();
      return;
    }
    const files = typeof body.files === 'number' ? body.files : 1;
    await sleep(files * msPerFile);
    const answer = JSON.stringify({
      model: body.model ?? 'unknown',
      choices: [{ text: `export const files = ${files};` }],
      usage: { completion_tokens: files * 120 },
    });
    if (roll < faults.overloaded + faults.modelReset + faults.truncated) {
      count('model:truncated');
      response.writeHead(200, { 'content-type': 'application/json' });
      // Cut inside the generated text, the way a stream stopped at max_tokens ends.
      response.end(answer.slice(0, answer.indexOf('export') + 12));
      return;
    }
    count('model:ok');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(answer);
  };

  const routes: Record<
    string,
    (request: IncomingMessage, response: ServerResponse) => Promise<void>
  > = {
    'POST /v1/completions': model,
    'POST /db/migrate': async (request, response) => {
      const body = await readBody(request);
      const app = String(body.app);
      // A sure hang takes no draw: the seeded sequence of the other faults stays the same.
      if (hangOnce.delete(app) || random() < faults.hang) {
        count('db:hang');
        return; // never answers; the client gives up when its job is aborted
      }
      count('db:ok');
      await sleep(20);
      json(response, 200, { applied: ['0001_init', '0002_users'] });
    },
    'POST /build': async (request, response) => {
      const body = await readBody(request);
      const files = Number(body.files ?? 1);
      const batchSize = Number(body.batchSize ?? 1);
      if (files * batchSize > heapBudget) {
        count('build:oom');
        json(response, 500, {
          error:
            'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
          detail: `bundling ${files} modules in batches of ${batchSize}`,
        });
        return;
      }
      count('build:ok');
      await sleep(30);
      json(response, 200, { artifact: `app-${files}.tar.gz` });
    },
    'PUT /registry/push': async (request, response) => {
      await readBody(request);
      if (random() < faults.registryReset) {
        count('registry:reset');
        request.socket.destroy();
        return;
      }
      count('registry:ok');
      json(response, 201, { digest: `sha256:${Math.floor(random() * 1e12).toString(16)}` });
    },
  };

  const server = createServer((request, response) => {
    const route = routes[`${request.method} ${request.url}`];
    if (!route) return json(response, 404, { error: `no route ${request.method} ${request.url}` });
    route(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
