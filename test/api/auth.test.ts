import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { KeyRing } from '../../src/api/auth.js';
import { serveApp } from '../../src/api/serve-app.js';
import { ManualClock } from '../../src/core/clock.js';
import { ENDPOINTS } from '../../src/api/openapi.js';
import { call, createApiEngine, createTestApp, KEYS } from './api-helpers.js';

/** Route, method, and the least role it needs. */
const MATRIX = [
  ['GET', '/api/jobs', 'read'],
  ['GET', '/api/patterns', 'read'],
  ['GET', '/api/stats', 'read'],
  ['GET', '/api/improvements', 'read'],
  ['GET', '/api/pack', 'read'],
  ['GET', '/metrics', 'read'],
  ['POST', '/api/jobs', 'operate'],
  ['POST', '/functions/v1/smart-orchestrator', 'operate'],
  ['POST', '/functions/v1/mega-mind-self-healer', 'operate'],
  ['PATCH', '/api/patterns/0123456789abcdef', 'admin'],
  ['POST', '/api/patterns/0123456789abcdef/disable', 'admin'],
  ['POST', '/api/pack', 'admin'],
] as const;
const RANK = { read: 0, operate: 1, admin: 2 } as const;

describe('API keys and roles', () => {
  it('answers 401 without a key or with a wrong one, 403 to a weaker role, and lets the role through', async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createTestApp(mm);
    for (const [method, path, needed] of MATRIX) {
      const body = method === 'GET' ? undefined : { type: 'ok' };
      expect(
        (await call(app, method, path, { role: null, body })).status,
        `${method} ${path} no key`,
      ).toBe(401);
      expect(
        (
          await call(app, method, path, {
            role: null,
            body,
            headers: { authorization: 'Bearer wrong-key-0123456789abcdef' },
          })
        ).status,
      ).toBe(401);
      for (const role of ['read', 'operate', 'admin'] as const) {
        const res = await call(app, method, path, { role, body });
        if (RANK[role] < RANK[needed]) {
          expect(res.status, `${method} ${path} as ${role}`).toBe(403);
          expect(res.body.error.message).toContain(`role "${needed}"`);
        } else
          expect([200, 201, 400, 404, 501], `${method} ${path} as ${role}`).toContain(res.status);
      }
    }
    expect((await call(app, 'GET', '/healthz', { role: null })).status).toBe(200);
    expect((await call(app, 'GET', '/api/openapi.json', { role: null })).status).toBe(200);
  });

  it('guards every documented endpoint that needs a role: 401 without a key, 403 below its role', async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createTestApp(mm);
    const guarded = ENDPOINTS.filter((e) => e.role !== undefined);
    expect(guarded.length).toBeGreaterThan(20);
    for (const e of guarded) {
      const path = e.path.replace('{id}', '0123456789abcdef');
      const method = e.method.toUpperCase();
      const body = method === 'GET' ? undefined : {};
      expect(
        (await call(app, method, path, { role: null, body })).status,
        `${method} ${path}`,
      ).toBe(401);
      const weaker = e.role === 'admin' ? 'operate' : e.role === 'operate' ? 'read' : undefined;
      if (weaker)
        expect(
          (await call(app, method, path, { role: weaker, body })).status,
          `${method} ${path} as ${weaker}`,
        ).toBe(403);
    }
  });

  it("accepts Supabase's apikey header as well as a bearer token", async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createTestApp(mm);
    expect(
      (await call(app, 'GET', '/api/jobs', { role: null, headers: { apikey: KEYS.read } })).status,
    ).toBe(200);
    expect(
      (
        await call(app, 'GET', '/api/jobs', {
          role: null,
          headers: { apikey: 'nope-nope-nope-nope-nope' },
        })
      ).status,
    ).toBe(401);
  });

  it('answers a browser preflight with CORS headers once keys are configured', async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createTestApp(mm);
    const preflight = await app.request('/functions/v1/mega-mind-self-healer', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, apikey, content-type, x-client-info',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('apikey');
  });

  it('without keys refuses requests a page from another origin makes, and serves loopback pages', async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createTestApp(mm, { keys: [] });
    const evil = await call(app, 'POST', '/api/jobs', {
      role: null,
      body: { type: 'ok' },
      headers: { origin: 'https://evil.example.com' },
    });
    expect(evil.status).toBe(403);
    expect(evil.body.error.message).toMatch(/refused while no API key is configured/);
    expect(
      (
        await call(app, 'POST', '/api/jobs', {
          role: null,
          body: { type: 'ok' },
          headers: { origin: 'http://localhost:5173' },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call(app, 'POST', '/api/jobs', { role: null, body: { type: 'ok' } })).status,
    ).toBe(201);
    expect(await mm.store.countJobs()).toBe(2);
  });

  it('refuses keys too short to be secret', () => {
    expect(() => new KeyRing([{ key: 'short', role: 'admin' }])).toThrow(/at least 16 characters/);
  });

  it('rate-limits mutating requests per key with 429 and Retry-After, not reads', async () => {
    const { mm } = await createApiEngine('sqlite');
    const clock = new ManualClock();
    const app = createTestApp(mm, { clock, rateLimit: { limit: 3, windowMs: 10_000 } });
    for (let i = 0; i < 3; i++)
      expect(
        (await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'ok' } })).status,
      ).toBe(201);
    const limited = await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'ok' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(
      (await call(app, 'POST', '/api/jobs', { role: 'admin', body: { type: 'ok' } })).status,
    ).toBe(201);
    expect((await call(app, 'GET', '/api/jobs', { role: 'operate' })).status).toBe(200);
    clock.advance(10_000);
    expect(
      (await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'ok' } })).status,
    ).toBe(201);
    expect(await mm.store.countJobs()).toBe(5);
  });

  it('without keys serves everyone as admin but only on loopback, and says so', async () => {
    const { mm } = await createApiEngine('sqlite');
    const app = createApp({ engine: mm });
    await expect(serveApp(app, { port: 0, host: '0.0.0.0', authenticated: false })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0 without an API key/,
    );
    const server = await serveApp(app, { port: 0, authenticated: false });
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(server.notice).toMatch(/loopback only/);
      const res = await fetch(`${server.url}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":"ok"}',
      });
      expect(res.status).toBe(201);
    } finally {
      await server.close();
    }
  });
});
