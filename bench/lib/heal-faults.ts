import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { MegaMind } from '../../src/app/mega-mind.js';
import type { KnobDefinitions } from '../../src/core/job-type.js';

/** The faults of the benchmark's mix; each is its own job type. */
export const FAULTS = [
  'unavailable',
  'rate-limited',
  'hang',
  'slow',
  'too-large',
  'pool',
  'poison-config',
  'poison-code',
  'unknown-window',
] as const;
/** One of {@link FAULTS}. */
export type Fault = (typeof FAULTS)[number];

/** Every run of one job's handler: when it started and ended, and whether it succeeded. */
export interface JobLedger {
  fault: Fault;
  index: number;
  runs: { start: number; end: number; ok: boolean }[];
}

/** The loopback fault server and the pool, with job types that call them. */
export interface FaultSources {
  define(mm: MegaMind, fault: Fault, maxAttempts: number, ledger: Map<string, JobLedger>): void;
  /** Forgets per-job state and the rate-limit window between policies. */
  reset(): void;
  close(): Promise<void>;
}

/** Requests the rate-limited endpoint accepts per window. */
const RATE_LIMIT = 4;
const WINDOW_MS = 250;

/** Starts the loopback server; `pool` is a deliberately small PostgreSQL pool. */
export async function startFaultSources(pool: pg.Pool): Promise<FaultSources> {
  const calls = new Map<string, number>();
  let windowStart = 0;
  let windowCount = 0;
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const [, route, key = ''] = url.pathname.split('/');
    const n = (calls.get(`${route}/${key}`) ?? 0) + 1;
    calls.set(`${route}/${key}`, n);
    const send = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(body);
    };
    if (route === 'flaky')
      return n <= Number(url.searchParams.get('fails') ?? 1)
        ? send(503, 'upstream overloaded')
        : send(200, 'ok');
    if (route === 'hang') {
      if (n === 1) return void hanging.add(response);
      return send(200, 'ok');
    }
    if (route === 'slow') return void setTimeout(() => send(200, 'ok'), 250);
    if (route === 'batch') {
      const size = Number(url.searchParams.get('size'));
      return size > 25
        ? send(413, `batch of ${size} items exceeds the limit of 25`)
        : send(200, 'ok');
    }
    // A limit no rule knows, in words of its own: only a smaller batch passes (`--unknown`).
    if (route === 'window') {
      const size = Number(url.searchParams.get('size'));
      return size > 10
        ? send(422, `request rejected by tenant policy W17: chunk window exceeded (${size})`)
        : send(200, 'ok');
    }
    if (route === 'limited') {
      const now = Date.now();
      if (now - windowStart >= WINDOW_MS) {
        windowStart = now;
        windowCount = 0;
      }
      if (++windowCount <= RATE_LIMIT) return send(200, 'ok');
      return send(
        429,
        `Rate limit reached for requests. Please try again in ${windowStart + WINDOW_MS - now}ms.`,
      );
    }
    send(404, 'no route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function call(path: string, signal: AbortSignal): Promise<string> {
    const response = await fetch(`${base}${path}`, { signal });
    const body = await response.text();
    if (response.ok) return body;
    const text =
      { 413: 'Payload Too Large', 429: 'Too Many Requests', 503: 'Service Unavailable' }[
        response.status
      ] ?? 'Error';
    throw new Error(`${response.status} ${text}: ${body}`);
  }

  return {
    define(mm, fault, maxAttempts, ledger) {
      const knobs: KnobDefinitions =
        fault === 'slow'
          ? {
              timeoutMs: {
                kind: 'number' as const,
                default: 100,
                min: 50,
                max: 2000,
                integer: true,
              },
            }
          : fault === 'too-large' || fault === 'unknown-window'
            ? {
                batchSize: {
                  kind: 'number' as const,
                  default: 50,
                  min: 1,
                  max: 100,
                  integer: true,
                },
              }
            : fault === 'pool'
              ? {
                  concurrency: {
                    kind: 'number' as const,
                    default: 4,
                    min: 1,
                    max: 8,
                    integer: true,
                  },
                }
              : {};
      const resources =
        {
          'rate-limited': ['openai'],
          unavailable: ['inventory'],
          pool: ['postgres'],
          slow: ['reports'],
        }[fault as string] ?? [];
      mm.define(fault, {
        maxAttempts,
        concurrency: 8,
        knobs,
        resources,
        ...(fault === 'hang' ? { timeoutMs: 500 } : {}),
        async run(payload, ctx) {
          const { i } = payload as { i: number };
          const entry = ledger.get(ctx.id) ?? { fault, index: i, runs: [] };
          ledger.set(ctx.id, entry);
          const start = Date.now();
          try {
            await attempt(fault, ctx.id, i, ctx.knobs, ctx.signal);
            entry.runs.push({ start, end: Date.now(), ok: true });
            return 'ok';
          } catch (error) {
            entry.runs.push({ start, end: Date.now(), ok: false });
            throw error;
          }
        },
      });
    },
    reset() {
      calls.clear();
      windowStart = 0;
      windowCount = 0;
    },
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };

  async function attempt(
    fault: Fault,
    id: string,
    i: number,
    knobs: Readonly<Record<string, unknown>>,
    signal: AbortSignal,
  ): Promise<void> {
    switch (fault) {
      case 'unavailable':
        await call(`/flaky/${id}?fails=${1 + (i % 2)}`, signal);
        return;
      case 'rate-limited':
        await call('/limited', signal);
        return;
      case 'hang':
        await call(`/hang/${id}`, signal);
        return;
      case 'slow':
        // The handler enforces its own timeout knob, as a client with a request timeout would.
        await call(
          '/slow',
          AbortSignal.any([signal, AbortSignal.timeout(Number(knobs.timeoutMs))]),
        ).catch((error: Error) => {
          throw error.name === 'TimeoutError'
            ? Object.assign(new Error('The operation was aborted due to timeout'), {
                name: 'TimeoutError',
                code: 23,
              })
            : error;
        });
        return;
      case 'too-large':
        await call(`/batch?size=${Number(knobs.batchSize)}`, signal);
        return;
      case 'unknown-window':
        await call(`/window?size=${Number(knobs.batchSize)}`, signal);
        return;
      case 'pool':
        await Promise.all(
          Array.from({ length: Number(knobs.concurrency) }, () =>
            pool.query('SELECT pg_sleep(0.04)'),
          ),
        );
        return;
      case 'poison-config':
        throw new Error(
          'Invalid configuration: required setting "region" is missing from the tenant profile',
        );
      case 'poison-code':
        throw new TypeError("Cannot read properties of undefined (reading 'customerId')");
    }
  }
}
