import { describe, expect, it, vi } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import { CLIENT_SCRIPT } from '../../src/dashboard/client-script.js';
import { createApp, type MegaMindApp } from '../../src/api/app.js';
import { dashboardRoutes } from '../../src/dashboard/dashboard-routes.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

/** The API, which mounts the dashboard, over this engine (no healer; its monitor is not started). */
function serverFor(
  mm: MegaMind,
  keys: Record<string, 'read' | 'operate' | 'admin'> = {},
): MegaMindApp {
  return createApp({
    engine: mm,
    keys: Object.entries(keys).map(([key, role]) => ({ key, role })),
    clock: mm.clock,
    onError: () => undefined,
  });
}

/** A job held at "Setting up database foundation" (25%) until released, and a failed job with a rate-limit error. */
async function pipelineWithAStuckAndAFailedJob(mm: MegaMind) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  mm.define('generate-app', {
    stages: [
      { name: 'Planning', percent: 10 },
      { name: 'Setting up database foundation', percent: 25 },
    ],
    async run(_payload, ctx) {
      await ctx.stage('Planning', 10);
      await ctx.checkpoint({ planned: true });
      await ctx.stage('Setting up database foundation', 25);
      await held;
    },
  });
  mm.define('call-model', {
    maxAttempts: 1,
    run() {
      throw new Error(
        'model-api answered 429 Too Many Requests: Rate limit reached (retry-after: 2)',
      );
    },
  });
  const reached = new Promise<void>((resolve) =>
    mm.on('job:progress', (_job, stage) => stage === 'Setting up database foundation' && resolve()),
  );
  await mm.start();
  const failed = waitForEvents(mm, 'job:failed');
  const stuck = await mm.enqueue('generate-app', { app: 'blog' });
  const failing = await mm.enqueue('call-model', null);
  await Promise.all([reached, failed]);
  // The pattern is recorded off the worker's path: wait until the book has it.
  await expect.poll(async () => (await mm.patterns.list()).length, SLOW_MACHINE).toBe(1);
  return { stuck, failing, release };
}

describe.each(ENGINES)('the /self-healing dashboard (%s)', (engine) => {
  it('shows statistics, jobs with their stage and progress, learned patterns, and says what is not available yet', async () => {
    const { mm } = await createTestEngine(engine);
    const { stuck, release } = await pipelineWithAStuckAndAFailedJob(mm);
    const response = await serverFor(mm).request('/self-healing');
    const html = await response.text();
    // Read before the job is released: a finished job holds no lease.
    const owner = (await mm.getJob(stuck.id))!.leaseOwner!;
    release();
    expect(response.status).toBe(200);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Setting up database foundation — 25%');
    expect(html).toContain(`/self-healing/jobs/${stuck.id}`);
    expect(html).toContain('rate limit');
    expect(html).toContain('no heals yet');
    expect(html).toContain('Trigger healing scan');
    expect(html).toContain(
      '<div class="card" data-stat="patterns-learned"><dt>Patterns learned</dt><dd>1</dd></div>',
    );
    expect(html).toContain('No healing actions yet.');
    // This server was given no monitor: an honest 501, never made-up figures.
    expect(html).toContain('Monitor health: not available yet.');
    // The node running the stuck job holds its lease.
    expect(html).toContain(`<li data-node="${owner}"><code>${owner}</code> · 1 job</li>`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    // Nothing is loaded from elsewhere: every src and href is a path on this server.
    expect(
      [...html.matchAll(/(?:src|href)="([^"]*)"/g)]
        .map((m) => m[1])
        .filter((url) => !url!.startsWith('/')),
    ).toEqual([]);
  });

  it('answers one region as HTML for the live refresh, and 404 for an unknown one', async () => {
    const { mm } = await createTestEngine(engine);
    const { release } = await pipelineWithAStuckAndAFailedJob(mm);
    const app = serverFor(mm);
    const region = await (await app.request('/self-healing?region=jobs')).text();
    release();
    expect(region).toMatch(/^<section class="panel wide" id="jobs" data-region="jobs"/);
    expect(region).not.toContain('<html');
    expect((await app.request('/self-healing?region=nope')).status).toBe(404);
  });

  it("shows a pattern's page with its root cause, occurrences and edit form, and a job's page with its attempts", async () => {
    const { mm } = await createTestEngine(engine);
    const { stuck, failing, release } = await pipelineWithAStuckAndAFailedJob(mm);
    const app = serverFor(mm);
    const [pattern] = await mm.patterns.list();
    const patternPage = await (await app.request(`/self-healing/patterns/${pattern!.id}`)).text();
    expect(patternPage).toContain(pattern!.rootCause!);
    expect(patternPage).toContain(`/self-healing/jobs/${failing.id}`);
    expect(patternPage).toContain('No remedy has been tried on this pattern yet.');
    expect(patternPage).toContain('id="edit-pattern"');
    const jobPage = await (await app.request(`/self-healing/jobs/${failing.id}`)).text();
    expect(jobPage).toContain('Rate limit reached');
    expect(jobPage).toMatch(/<span class="badge state-failed">failed<\/span>/);
    const stuckPage = await (await app.request(`/self-healing/jobs/${stuck.id}`)).text();
    release();
    expect(stuckPage).toContain('&quot;planned&quot;: true');
    expect((await app.request('/self-healing/patterns/no-such-pattern')).status).toBe(404);
    expect((await app.request('/self-healing/jobs/no-such-job')).status).toBe(404);
  });

  it('shows each healing action with what was detected and whether its pattern was new or known', async () => {
    const { mm } = await createTestEngine(engine, {
      heal: { backoff: { initialDelayMs: 5, maxDelayMs: 20 }, random: 3 },
    });
    let calls = 0;
    mm.define('call-model', {
      maxAttempts: 5,
      run() {
        // The same rate limit twice: the first heal learns the pattern, the second knows it.
        if (++calls <= 2)
          throw new Error('model-api answered 503 Service Unavailable: upstream overloaded');
        return 'ok';
      },
    });
    await mm.start();
    const job = await mm.enqueue('call-model', null);
    await vi.waitFor(
      async () => {
        const heals = await mm.improvements({ jobId: job.id });
        if (heals.length < 2 || heals.some((h) => h.validationStatus === 'pending'))
          throw new Error('heals not settled yet');
      },
      { ...SLOW_MACHINE, interval: 20 },
    );
    const html = await (await serverFor(mm).request('/self-healing?region=heals')).text();
    const rows = [...html.matchAll(/<tr data-improvement-id="[^"]+">([\s\S]*?)<\/tr>/g)].map(
      (m) => m[1]!,
    );
    expect(rows).toHaveLength(2);
    // Newest first: the second heal met a known pattern, the first created it.
    expect(rows[0]).toContain('<span class="badge known">known</span>');
    expect(rows[1]).toContain('<span class="badge new">new</span>');
    for (const row of rows) {
      expect(row).toMatch(/<td class="detected">[^<]*503 Service Unavailable[^<]*<\/td>/);
      expect(row).toContain(`/self-healing/jobs/${job.id}`);
    }
  });

  it('filters patterns by category', async () => {
    const { mm } = await createTestEngine(engine);
    const { release } = await pipelineWithAStuckAndAFailedJob(mm);
    release();
    const app = serverFor(mm);
    const [pattern] = await mm.patterns.list();
    expect(
      await (await app.request(`/self-healing/patterns?category=${pattern!.category}`)).text(),
    ).toContain(`data-pattern-id="${pattern!.id}"`);
    expect(
      await (await app.request('/self-healing/patterns?category=deployment')).text(),
    ).toContain('No patterns in this category.');
  });

  it('asks for an API key when the server has keys, and shows everything to a read key', async () => {
    const { mm } = await createTestEngine(engine);
    const { release } = await pipelineWithAStuckAndAFailedJob(mm);
    release();
    const app = serverFor(mm, { 'read-key-0123456789': 'read' });
    const anonymous = await app.request('/self-healing');
    expect(anonymous.status).toBe(401);
    const prompt = await anonymous.text();
    expect(prompt).toContain('This server needs an API key');
    expect(prompt).toContain('<label for="api-key">API key</label>');
    expect(prompt).not.toContain('Setting up database foundation');
    const wrong = await app.request('/self-healing', { headers: { cookie: 'megamind_key=wrong' } });
    expect(wrong.status).toBe(401);
    const reader = await app.request('/self-healing', {
      headers: { cookie: 'megamind_key=read-key-0123456789' },
    });
    expect(reader.status).toBe(200);
    expect(await reader.text()).toContain('Setting up database foundation');
  });
});

describe('the dashboard assets', () => {
  it('serves its script and stylesheet from this server, and the script is valid JavaScript', async () => {
    const app = dashboardRoutes({ api: () => new Response('{}') });
    const script = await app.request('/self-healing/assets/dashboard.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(() => new Function(CLIENT_SCRIPT)).not.toThrow();
    const css = await app.request('/self-healing/assets/dashboard.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).not.toMatch(/url\(|@import/);
  });
});

describe('the dashboard outside this project', () => {
  it('renders when loaded through tsx from a folder with no tsconfig (as `npx megamind start` does)', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const cwd = mkdtempSync(join(tmpdir(), 'megamind-jsx-'));
    const routes = new URL('../../src/dashboard/dashboard-routes.tsx', import.meta.url).href;
    // The ESM entry of tsx's API, as bin/megamind.js imports it.
    const tsx = new URL('../../node_modules/tsx/dist/esm/api/index.mjs', import.meta.url).href;
    const script = `
      const { tsImport } = await import(${JSON.stringify(tsx)});
      const { dashboardRoutes } = await tsImport(${JSON.stringify(routes)}, ${JSON.stringify(import.meta.url)});
      const app = dashboardRoutes({ api: () => new Response('{"error":{"code":"ERR_NOT_IMPLEMENTED","message":"x"}}', { status: 501 }) });
      const response = await app.request('/self-healing');
      process.stdout.write(response.status + ' ' + (await response.text()).slice(0, 15));`;
    try {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd,
        env: { ...process.env, NODE_PATH: '' },
      }).toString();
      expect(out).toBe('200 <!DOCTYPE html>');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
