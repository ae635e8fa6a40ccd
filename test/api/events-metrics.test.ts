import { describe, expect, it, onTestFinished } from 'vitest';
import { LiveEvent } from '../../src/api/contracts.js';
import { ENDPOINTS } from '../../src/api/openapi.js';
import { createMegaMindClient } from '../../src/app/client.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';
import { workerProcess } from '../helpers/worker-process.js';
import { call, createApiEngine, createTestApp, KEYS, serveTestApp } from './api-helpers.js';

/** Reads server-sent events from a response until `until` returns true for the events so far. */
async function readEvents(
  response: Response,
  until: (events: { id: string; event: string; data: unknown }[]) => boolean,
) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { id: string; event: string; data: unknown }[] = [];
  let buffer = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}:`))
            ?.slice(name.length + 1)
            .trim();
        const data = field('data');
        if (data !== undefined)
          events.push({
            id: field('id') ?? '',
            event: field('event') ?? 'message',
            data: JSON.parse(data),
          });
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

/** A minimal reading of the Prometheus text format: samples by series, and TYPE lines. */
function parsePrometheus(text: string): {
  samples: Map<string, number>;
  types: Map<string, string>;
} {
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP')) continue;
    const type = /^# TYPE (\w+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample =
      /^([a-zA-Z_:][\w:]*(?:\{(?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\})?) (-?[\d.e+-]+|NaN|\+Inf|-Inf)$/.exec(
        line,
      );
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    samples.set(sample[1]!, Number(sample[2]));
  }
  return { samples, types };
}

describe.each(ENGINES)('live events and metrics (%s)', (engine) => {
  it('streams an event when a job changes, over a real socket, and resumes after Last-Event-ID', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const server = await serveTestApp(app);
    const headers = { authorization: `Bearer ${KEYS.read}` };
    const stream = await fetch(`${server.url}/api/events`, { headers });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const completed = waitForEvents(mm, 'job:completed');
    await mm.start();
    await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'ok' } });
    const live = await readEvents(stream, (events) =>
      events.some((e) => e.event === 'job:completed'),
    );
    await completed;
    const names = live.map((e) => e.event);
    // The worker may claim the job before the API logs its enqueueing: only started → completed is ordered.
    expect([...names].sort()).toEqual(['job:completed', 'job:enqueued', 'job:started']);
    expect(names.indexOf('job:started')).toBeLessThan(names.indexOf('job:completed'));
    for (const e of live) expect(LiveEvent.parse(e.data).job?.type).toBe('ok');

    const resumed = await fetch(`${server.url}/api/events`, {
      headers: { ...headers, 'Last-Event-ID': live[0]!.id },
    });
    const replay = await readEvents(resumed, (events) => events.length >= 2);
    expect(replay.map((e) => e.id)).toEqual([live[1]!.id, live[2]!.id]);
    const bad = await fetch(`${server.url}/api/events`, {
      headers: { ...headers, 'Last-Event-ID': 'yesterday' },
    });
    expect(bad.status).toBe(400);
  });

  it('streams the jobs a worker in another process finishes, and resumes them after Last-Event-ID', async () => {
    const db = await createTestDatabase(engine);
    await workerProcess(db);
    // As `megamind start --no-demo` beside a `megamind worker`: this engine runs none of the jobs.
    const { mm } = await createTestEngine(engine, {}, db);
    await mm.start();
    const app = createTestApp(mm);
    // Once listening, the server follows jobs that other processes finish.
    const server = await serveTestApp(app);
    const headers = { authorization: `Bearer ${KEYS.read}` };
    const stream = await fetch(`${server.url}/api/events`, { headers });
    const ok = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'double', payload: { n: 21 } },
    });
    const doomed = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'doomed' },
    });
    const live = await readEvents(
      stream,
      (events) => events.filter((e) => e.event !== 'job:enqueued').length >= 2,
    );
    const finished = live
      .filter((e) => e.event !== 'job:enqueued')
      .map((e) => LiveEvent.parse(e.data))
      .sort((a, b) => a.type.localeCompare(b.type));
    expect(finished).toMatchObject([
      { type: 'job:completed', job: { id: ok.body.job.id, result: { doubled: 42 } } },
      {
        type: 'job:failed',
        job: { id: doomed.body.job.id, status: 'failed' },
        data: { error: { message: 'the upstream said no' } },
      },
    ]);

    // While nobody listens, a job is enqueued elsewhere and the other process finishes it.
    const lastSeen = live[live.length - 1]!.id;
    const client = createMegaMindClient({ store: db.open(), closeStore: true });
    onTestFinished(() => client.close());
    const missed = await client.enqueue('double', { n: 1 });
    await client.result(missed.id, { timeoutMs: SLOW_MACHINE.timeout });
    await expect
      .poll(() => app.events.since(Number(lastSeen)).length, SLOW_MACHINE)
      .toBeGreaterThan(0);
    const resumed = await fetch(`${server.url}/api/events`, {
      headers: { ...headers, 'Last-Event-ID': lastSeen },
    });
    const replay = await readEvents(resumed, (events) => events.length >= 1);
    expect(replay.map((e) => [e.event, (e.data as { job: { id: string } }).job.id])).toEqual([
      ['job:completed', missed.id],
    ]);
    expect(Number(replay[0]!.id)).toBe(Number(lastSeen) + 1);
  });

  it('serves Prometheus text with jobs by state, attempts, heals and patterns', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'boom' } });
    await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'ok', options: { delayMs: 60_000 } },
    });
    const failed = waitForEvents(mm, 'job:failed');
    await mm.start();
    await failed;
    await mm.patterns.record({ message: 'connect ECONNREFUSED 10.0.0.1:5432' }, Date.now());
    const res = await call(app, 'GET', '/metrics', { role: 'read' });
    expect(res.headers.get('content-type')).toContain('text/plain');
    const { samples, types } = parsePrometheus(res.body as string);
    expect(types.get('megamind_jobs')).toBe('gauge');
    expect(samples.get('megamind_jobs{status="failed"}')).toBe(1);
    expect(samples.get('megamind_jobs{status="queued"}')).toBe(1);
    expect(samples.get('megamind_job_attempts_total{outcome="failed"}')).toBe(1);
    expect(samples.get('megamind_heals{outcome="validated"}')).toBe(0);
    expect([...samples.keys()].some((k) => k.startsWith('megamind_patterns{category='))).toBe(true);
    expect(
      samples.get('megamind_http_requests_total{method="POST",route="/api/jobs",status="201"}'),
    ).toBe(2);
    expect(types.get('megamind_heal_scan_duration_seconds')).toBe('histogram');
  });
});

describe('OpenAPI document', () => {
  it('documents every route of the app, generated from the contracts', async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createTestApp(mm);
    const doc = (await call(app, 'GET', '/api/openapi.json', { role: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    // The dashboard's HTML pages (and `/`, which sends people there) are not part of the JSON API.
    const api = app.routes.filter(
      (r) => r.method !== 'ALL' && r.path !== '/' && !r.path.startsWith('/self-healing'),
    );
    const served = new Set(
      api.map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`));
    expect([...served].sort()).toEqual([...documented].sort());
    expect(
      doc.paths['/api/jobs'].post.requestBody.content['application/json'].schema.properties.type,
    ).toMatchObject({ type: 'string' });
    expect(doc.paths['/api/jobs'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
      'status',
      'type',
      'limit',
      'offset',
    ]);
  });
});
