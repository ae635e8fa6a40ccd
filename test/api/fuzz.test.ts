import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HealerPort, MonitorPort } from '../../src/api/ports.js';
import { call, createApiEngine, createTestApp, KEYS } from './api-helpers.js';

const healer: HealerPort = {
  heal: async () => ({ scanned: 0, results: [] }),
  applyRemedy: async (r) => ({
    jobId: r.jobId,
    detected: 'manual',
    pattern: null,
    applied: r.action,
    outcome: 'pending',
  }),
  applyFixer: async (r) => ({
    jobId: r.jobId,
    detected: 'manual',
    pattern: null,
    applied: r.fixer,
    outcome: 'pending',
  }),
};
const monitor: MonitorPort = {
  health: async () => ({ status: 'ok', checkedAt: 0 }),
  findings: async () => [],
};

const ROUTES = [
  '/healthz',
  '/metrics',
  '/api/openapi.json',
  '/api/jobs',
  '/api/jobs/:id',
  '/api/jobs/:id/cancel',
  '/api/jobs/:id/retry',
  '/api/patterns',
  '/api/patterns/:id',
  '/api/patterns/:id/disable',
  '/api/patterns/:id/enable',
  '/api/pack',
  '/api/improvements',
  '/api/stats',
  '/api/monitor/health',
  '/functions/v1/mega-mind-self-healer',
  '/functions/v1/proactive-monitor',
  '/functions/v1/universal-error-teacher',
  '/functions/v1/auto-fix-engine',
  '/functions/v1/self-heal',
  '/functions/v1/smart-orchestrator',
  '/functions/v1/:id',
  '/api/:id',
  '/:id',
];

const segment = fc.oneof(
  fc.uuid(),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '..',
    '%00',
    '%2e%2e',
    "'; DROP TABLE ai_generation_jobs; --",
    'x'.repeat(5000),
    '0123456789abcdef',
    '😀',
    '%',
  ),
);
const path = fc
  .tuple(fc.constantFrom(...ROUTES), segment)
  .map(([route, id]) =>
    route.replace(
      ':id',
      encodeURIComponent(id).replace(/%25/g, fc.sample(fc.constantFrom('%', '%25'), 1)[0]!),
    ),
  );
const queryString = fc
  .dictionary(
    fc.constantFrom(
      'limit',
      'offset',
      'status',
      'type',
      'category',
      'orderBy',
      'weight',
      'jobId',
      'x',
      '',
    ),
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('-1', '0', '1e309', 'NaN', '9999999999', 'failed', 'queued'),
    ),
    { maxKeys: 4 },
  )
  .map((q) => new URLSearchParams(q).toString());
const plausibleBody = fc.oneof(
  fc.record(
    {
      type: fc.constantFrom('ok', 'boom', 'nope', ''),
      payload: fc.jsonValue({ maxDepth: 3 }),
      options: fc.option(
        fc.record(
          {
            priority: fc.oneof(fc.integer(), fc.double()),
            delayMs: fc.oneof(fc.nat(), fc.double()),
            maxAttempts: fc.integer(),
            knobs: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      mode: fc.constantFrom('auto', 'analyze', 'learn', 'teach', 'x'),
      jobId: fc.oneof(fc.uuid(), fc.string()),
      error: fc.record(
        {
          message: fc.string({ maxLength: 300 }),
          code: fc.oneof(fc.string(), fc.integer()),
          status: fc.integer(),
        },
        { requiredKeys: [] },
      ),
      pattern: fc.string(),
      rootCause: fc.oneof(fc.string(), fc.constant(null)),
      remedies: fc.array(fc.constantFrom('retry', 'escalate', 'x')),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    jobs: fc.array(fc.record({ type: fc.constantFrom('ok', 'nope') }), { maxLength: 3 }),
  }),
  fc.record({
    format: fc.constant('megamind-pattern-pack'),
    version: fc.constant(1),
    id: fc.stringMatching(/^[0-9a-f]{64}$/),
    createdAt: fc.integer(),
    patterns: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  }),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  plausibleBody.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '{"type":',
    'null',
    '[]',
    '"x"',
    '\u0000',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{}}}',
  ),
  fc.nat({ max: 3 }).map((n) => `{"payload":"${'x'.repeat(n * 700_000)}","type":"ok"}`),
);
const auth = fc.oneof(
  fc.constantFrom<Record<string, string>>(
    {},
    { authorization: `Bearer ${KEYS.read}` },
    { authorization: `Bearer ${KEYS.operate}` },
    { authorization: `Bearer ${KEYS.admin}` },
    { apikey: KEYS.admin },
  ),
  fc.string({ maxLength: 60 }).map((s) => ({ authorization: s.replace(/[\r\n\0]/g, '') })),
  fc.string({ maxLength: 60 }).map((s) => ({
    apikey: s.replace(/[\r\n\0]/g, ''),
    'last-event-id': s.replace(/[\r\n\0]/g, ''),
  })),
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD'),
  path,
  query: queryString,
  body,
  headers: auth,
  contentType: fc.constantFrom(
    'application/json',
    'text/plain',
    '',
    'application/x-www-form-urlencoded',
  ),
});

describe('fuzzing the API', () => {
  it('answers 10,000 random and malformed requests without a 5xx or a stack trace, and stays healthy', async () => {
    const { mm } = await createApiEngine('sqlite');
    const errors: Error[] = [];
    const app = createTestApp(mm, {
      healer,
      monitor,
      rateLimit: { limit: 1_000_000 },
      onError: (e) => errors.push(e),
    });
    let requests = 0;
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        // An event stream never ends by itself; it is tested on its own.
        if (r.path === '/api/events') return;
        const headers: Record<string, string> = { ...r.headers };
        if (r.contentType) headers['content-type'] = r.contentType;
        const hasBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
        const url = `http://localhost${r.path.startsWith('/') ? '' : '/'}${r.path}${r.query ? `?${r.query}` : ''}`;
        let response: Response;
        try {
          response = await app.request(url, {
            method: r.method,
            headers,
            body: hasBody ? r.body : undefined,
          });
        } catch (error) {
          if (error instanceof TypeError) return; // the URL or a header cannot even be built into a Request
          throw error;
        }
        requests++;
        statuses.add(response.status);
        const text = await response.text();
        expect(response.status, `${r.method} ${url} → ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
      }),
      { numRuns: 10_000, seed: 20261130 },
    );
    expect(requests).toBeGreaterThan(9_000);
    // The requests reached past validation into every kind of answer.
    for (const status of [200, 201, 400, 401, 403, 404, 413]) expect(statuses).toContain(status);
    expect(errors).toEqual([]);
    expect((await call(app, 'GET', '/healthz', { role: null })).status).toBe(200);
    expect(
      (await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'ok' } })).status,
    ).toBe(201);
  }, 300_000);
});
