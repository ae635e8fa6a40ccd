import { describe, expect, it, vi } from 'vitest';
import type { Job, Healing } from '../../src/core/types.js';
import type { HealerOptions } from '../../src/heal/healer-options.js';
import { createTestEngine, settledHeals, settledJob } from '../helpers/engines.js';
import { callUpstream, startFaultServer } from '../helpers/fault-server.js';
import { ENGINES } from '../helpers/stores.js';

// Short backoff and a seeded random source: tests wait on conditions, decisions are reproducible.
const HEAL: HealerOptions = { backoff: { initialDelayMs: 5, maxDelayMs: 20 }, random: 7 };

describe.each(ENGINES)('the healer in the engine (%s)', (engine) => {
  it('waits out a 429 for its Retry-After without spending attempts, and validates the heal', async () => {
    const server = await startFaultServer();
    server.route('/limited', (n) =>
      n <= 2
        ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }
        : { status: 200, body: 'ok' },
    );
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    const starts: number[] = [];
    mm.define('call-api', {
      maxAttempts: 1,
      resources: ['openai'],
      async run(_payload, ctx) {
        starts.push(Date.now());
        return callUpstream(`${server.url}/limited`, ctx.signal);
      },
    });
    const job = await mm.enqueue('call-api');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done.status).toBe('completed');
    // maxAttempts 1 and still completed: the waits gave their attempts back.
    expect(done.attempts).toBe(1);
    expect(done.selfHealed).toBe(true);
    expect(server.hits.get('/limited')).toBe(3);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000);
    const [last, first, ...rest] = await settledHeals(mm, job.id);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({
      action: 'wait_for_rate_limit',
      outcome: 'failure',
      patternNew: true,
    });
    expect(last).toMatchObject({
      action: 'wait_for_rate_limit',
      outcome: 'success',
      patternNew: false,
    });
    expect(last!.changesApplied).toMatchObject({ decision: 'wait', retryAfterMs: 1000 });
    // The outcome is counted on the pattern just after the heal is settled.
    const pattern = await vi.waitFor(async () => {
      const stored = await mm.patterns.get(done.healingPatternId!);
      expect(stored).toMatchObject({ category: 'rate_limit', successCount: 1, failureCount: 1 });
      return stored;
    });
    expect(pattern!.lastUsed).not.toBeNull();
    expect(pattern!.confidence).toBeGreaterThan(0);
  });

  it('raises a declared timeout knob within its bounds until a slow upstream answers in time; the handler sees ctx.healing', async () => {
    const server = await startFaultServer();
    server.route('/slow', () => ({ status: 200, body: 'rendered', delayMs: 300 }));
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    const seen: { timeoutMs: unknown; healing: Healing | null }[] = [];
    mm.define('render', {
      maxAttempts: 5,
      knobs: { timeoutMs: { kind: 'number', default: 100, min: 50, max: 1000, integer: true } },
      async run(_payload, ctx) {
        seen.push({ timeoutMs: ctx.knobs.timeoutMs, healing: ctx.healing });
        return callUpstream(`${server.url}/slow`, ctx.signal);
      },
    });
    const job = await mm.enqueue('render');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done.status).toBe('completed');
    expect(Number(done.knobs.timeoutMs)).toBeGreaterThanOrEqual(300);
    expect(Number(done.knobs.timeoutMs)).toBeLessThanOrEqual(1000);
    expect(seen[0]).toEqual({ timeoutMs: 100, healing: null });
    const last = seen.at(-1)!;
    expect(last.healing).toMatchObject({
      action: 'increase_timeout',
      patternId: done.healingPatternId,
    });
    const rows = await settledHeals(mm, job.id);
    // Never the same remedy twice on one job for one pattern.
    const keys = rows.map((i) => i.remedy);
    expect(new Set(keys).size).toBe(keys.length);
    expect(rows[0]).toMatchObject({ validationStatus: 'validated', outcome: 'success' });
  });

  it('retries a 503 with backoff and restarts past a hung request', async () => {
    const server = await startFaultServer();
    server.route('/flaky', (n) =>
      n === 1
        ? { status: 503, body: 'overloaded' }
        : n === 2
          ? 'hang'
          : { status: 200, body: 'ok' },
    );
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    mm.define('sync', {
      maxAttempts: 4,
      timeoutMs: 300,
      async run(_payload, ctx) {
        return callUpstream(`${server.url}/flaky`, ctx.signal);
      },
    });
    const job = await mm.enqueue('sync');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done.status).toBe('completed');
    expect(server.hits.get('/flaky')).toBe(3);
    const rows = await settledHeals(mm, job.id);
    expect(rows.map((i) => i.outcome)).toEqual(['success', 'changed']);
    expect(rows[1]!.detected.category).toBe('api_failure');
    expect(rows[0]!.detected.category).toBe('timeout');
  });

  it('escalates within the heal budget: dead-letters the job and delivers the webhook, retrying a failed delivery', async () => {
    const upstream = await startFaultServer();
    upstream.route('/down', () => ({ status: 503, body: 'down' }));
    const hooks = await startFaultServer();
    hooks.route('/escalations', (n) => (n === 1 ? { status: 500 } : { status: 204 }));
    const notified: string[] = [];
    const { mm } = await createTestEngine(engine, {
      heal: {
        ...HEAL,
        maxHealsPerJob: 2,
        escalation: {
          webhookUrl: `${hooks.url}/escalations`,
          webhookBackoffMs: 10,
          notify: (e) => void notified.push(e.jobId),
        },
      },
    });
    mm.define('sync', {
      maxAttempts: 10,
      run: (_p, ctx) => callUpstream(`${upstream.url}/down`, ctx.signal),
    });
    const job = await mm.enqueue('sync');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done.status).toBe('failed');
    expect(done.lastError?.escalation).toMatch(/heal budget of 2/);
    // The escalation is announced once the worker has seen its failure write land, which can be
    // a moment after another reader sees the job failed.
    await vi.waitFor(() => expect(notified).toEqual([job.id]), { timeout: 10_000 });
    await mm.healer.idle();
    expect(hooks.hits.get('/escalations')).toBe(2);
    expect(JSON.parse(hooks.posts.at(-1)!.body)).toMatchObject({
      event: 'job.escalated',
      jobId: job.id,
      category: 'api_failure',
    });
    const rows = await settledHeals(mm, job.id);
    expect(rows.map((i) => [i.action === 'escalate', i.validationStatus])).toEqual([
      [true, 'failed'],
      [false, 'failed'],
      [false, 'failed'],
    ]);
  });

  it('learns that a poison error is fixed by nothing and then escalates it on the first attempt', async () => {
    const { mm } = await createTestEngine(engine, {
      heal: { ...HEAL, maxHealsPerJob: 2, giveUpAfter: 3 },
    });
    mm.define('import', {
      maxAttempts: 5,
      concurrency: 1,
      run: () =>
        // Worded so that neither a rule nor the wording of an invalid input gives it away.
        Promise.reject(new Error('import stopped: region eu-x has no tenant (code 7)')),
    });
    await mm.start();
    // One job after the other, as the same bad configuration would hit them over a day.
    const jobs: Job[] = [];
    const done: Job[] = [];
    for (let i = 0; i < 8; i++) {
      jobs.push(await mm.enqueue('import', { i }));
      done.push(await settledJob(mm, jobs.at(-1)!.id));
    }
    expect(done.every((job) => job.status === 'failed')).toBe(true);
    const attempts = done.map((job) => job.attempts);
    // The first jobs spend their heal budget; once enough heals failed, later jobs stop at once.
    expect(attempts.slice(-3)).toEqual([1, 1, 1]);
    expect(attempts.reduce((a, b) => a + b, 0)).toBeLessThan(8 * 5);
    const [lastHeal] = await mm.improvements({ jobId: jobs.at(-1)!.id });
    expect(lastHeal).toMatchObject({ action: 'escalate' });
    expect(lastHeal!.changesApplied.learned).toBe(true);
  });

  it('fails an unknown error worded as invalid configuration at its first attempt', async () => {
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    mm.define('import', {
      maxAttempts: 5,
      run: () =>
        Promise.reject(new Error('Invalid configuration: missing field "region" in settings.yaml')),
    });
    await mm.start();
    const job = await settledJob(mm, (await mm.enqueue('import')).id);
    expect(job).toMatchObject({ status: 'failed', attempts: 1 });
    const [heal] = await mm.improvements({ jobId: job.id });
    expect(heal).toMatchObject({ action: 'fail_fast' });
  });

  it('trips the intensity limit of a pattern and escalates its jobs', async () => {
    const upstream = await startFaultServer();
    upstream.route('/down', () => ({ status: 503, body: 'down' }));
    const { mm } = await createTestEngine(engine, {
      heal: { ...HEAL, intensity: { maxFailures: 2, windowMs: 60_000 }, giveUpAfter: 1000 },
    });
    mm.define('sync', {
      maxAttempts: 20,
      concurrency: 1,
      run: (_p, ctx) => callUpstream(`${upstream.url}/down`, ctx.signal),
    });
    const job = await mm.enqueue('sync');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done.status).toBe('failed');
    expect(done.lastError?.escalation).toMatch(/intensity window/);
    // Three failed heals exceed a limit of two; the fourth failure is escalated.
    const rows = await settledHeals(mm, job.id);
    expect(rows.map((i) => i.outcome)).toEqual(['abandoned', 'failure', 'failure', 'failure']);
  });
});
