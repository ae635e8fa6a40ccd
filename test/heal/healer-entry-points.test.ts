import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import type { HealerOptions } from '../../src/heal/healer-options.js';
import { createTestEngine, settledHeals, settledJob } from '../helpers/engines.js';
import { startFaultServer } from '../helpers/fault-server.js';
import { ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';

const HEAL: HealerOptions = { backoff: { initialDelayMs: 5, maxDelayMs: 20 }, random: 3 };

describe.each(ENGINES)('the healer entry points (%s)', (engine) => {
  it('reconnects through the reset hook after the Postgres connection was killed with pg_terminate_backend', async () => {
    let client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    client.on('error', () => {});
    await client.connect();
    const resets: string[] = [];
    const { mm } = await createTestEngine(engine, {
      heal: {
        ...HEAL,
        resetHooks: {
          postgres: async ({ resource, action }) => {
            resets.push(`${resource}:${action}`);
            await client.end().catch(() => {});
            client = new pg.Client({ connectionString: TEST_DATABASE_URL });
            client.on('error', () => {});
            await client.connect();
          },
        },
      },
    });
    mm.define('report', {
      maxAttempts: 4,
      resources: ['postgres'],
      run: async () => Number((await client.query('SELECT 41 + 1 AS answer')).rows[0].answer),
    });
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await admin.end();
    const job = await mm.enqueue('report');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done).toMatchObject({ status: 'completed', result: 42, selfHealed: true });
    expect(resets.length).toBeGreaterThanOrEqual(1);
    const rows = await settledHeals(mm, job.id);
    expect(rows[0]).toMatchObject({ validationStatus: 'validated' });
    expect(['reconnect', 'reset_connection_pool']).toContain(rows[0]!.action);
    expect(rows[0]!.detected.category).toBe('database_connection');
    await client.end();
  });

  it('heal() finds a failed job, applies the remedy the knob allows, and the next run validates it', async () => {
    const { mm, db } = await createTestEngine(engine, {});
    const knobs = {
      batchSize: { kind: 'number' as const, default: 100, min: 1, max: 100, integer: true },
    };
    // An upstream that refuses bodies of more than 50 items: only a smaller batch gets through.
    const run = (_payload: unknown, ctx: { knobs: Readonly<Record<string, unknown>> }) => {
      const size = Number(ctx.knobs.batchSize);
      if (size > 50)
        throw new Error(`413 Payload Too Large: batch of ${size} items exceeds the limit`);
      return `exported ${size}`;
    };
    mm.define('export', { maxAttempts: 1, knobs, run });
    const job = await mm.enqueue('export');
    await mm.start();
    expect((await settledJob(mm, job.id)).status).toBe('failed');
    await mm.stop();
    // Later, an engine with the healer scans the failed jobs.
    const { mm: healing } = await createTestEngine(engine, { heal: HEAL }, db);
    healing.define('export', { maxAttempts: 1, knobs, run });
    const [report, ...more] = await healing.heal();
    expect(more).toEqual([]);
    expect(report).toMatchObject({
      jobId: job.id,
      detected: { category: 'api_failure' },
      pattern: { new: false },
      applied: { action: 'reduce_batch_size' },
      decision: 'retry',
      outcome: 'pending',
    });
    expect((await healing.getJob(job.id))!.status).toBe('queued');
    await healing.start();
    const done = await settledJob(healing, job.id);
    expect(done.status).toBe('completed');
    expect(Number(done.knobs.batchSize)).toBeLessThanOrEqual(50);
    expect((await settledHeals(healing, job.id))[0]).toMatchObject({
      validationStatus: 'validated',
      action: 'reduce_batch_size',
    });
    // A job asked for by id that is not failed is reported as skipped.
    expect(await healing.heal({ jobId: job.id })).toMatchObject([
      { outcome: 'skipped', reason: 'the job is completed, not failed' },
    ]);
  });

  it("healStuck() revokes a dead worker's lease and runs the job again; the old attempt's writes are refused", async () => {
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    mm.define('render', { stages: [{ name: 'Rendering', percent: 25 }], run: () => 'rendered' });
    const job = await mm.enqueue('render');
    await mm.ready();
    await mm.store.describeJobTypes(
      [
        {
          type: 'render',
          stages: [],
          knobs: {},
          resources: [],
          expectedDurationMs: null,
          stuckAfterMs: 1000,
          timeoutMs: null,
          maxAttempts: 3,
          concurrency: 1,
          describedAt: 0,
        },
      ],
      Date.now(),
    );
    const [stuck] = await mm.store.claimJobs({
      types: ['render'],
      owner: 'dead-worker',
      leaseMs: 3_600_000,
      limit: 1,
      now: Date.now(),
    });
    const report = await mm.healer.healStuck(stuck!, {
      reason: 'no heartbeat for 6 min',
      stage: 'Rendering',
      progress: 25,
    });
    expect(report).toMatchObject({
      detected: { category: 'orchestrator_stuck', analysis: 'synthetic' },
      decision: 'retry',
      outcome: 'pending',
    });
    expect(['resume_from_checkpoint', 'restart_job', 'retry_with_backoff']).toContain(
      report.applied?.action,
    );
    expect(
      await mm.store.completeJobs(
        [{ id: stuck!.id, token: stuck!.leaseToken, result: 'late' }],
        Date.now(),
      ),
    ).toEqual(new Set());
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done).toMatchObject({ status: 'completed', result: 'rendered', selfHealed: true });
    expect((await settledHeals(mm, job.id))[0]).toMatchObject({
      validationStatus: 'validated',
      outcome: 'success',
    });
  });

  it('runs a registered fixer for a build error only fixers can act on, and validates it by the next run', async () => {
    let cacheCleared = false;
    const fix = vi.fn(() => {
      cacheCleared = true;
      return { changes: { cleared: '.next/cache' } };
    });
    const { mm } = await createTestEngine(engine, {
      heal: {
        ...HEAL,
        fixers: [{ name: 'clear-next-cache', action: 'clear_cache', category: 'build', fix }],
      },
    });
    mm.define('build', {
      maxAttempts: 3,
      run: () => {
        if (!cacheCleared) throw new Error("Module not found: Can't resolve './generated/schema'");
        return 'built';
      },
    });
    const job = await mm.enqueue('build');
    await mm.start();
    expect((await settledJob(mm, job.id)).status).toBe('completed');
    expect(fix).toHaveBeenCalledTimes(1);
    expect((await settledHeals(mm, job.id))[0]).toMatchObject({
      action: 'clear_cache',
      validationStatus: 'validated',
      changesApplied: { fixer: 'clear-next-cache', cleared: '.next/cache' },
    });
  });

  it('hands a wrong API key to a person at once, unless a credentials refresh is registered: then it is tried first', async () => {
    const wrongKey =
      '401 Incorrect API key provided: sk-proj-AbCd****************wxYZ. You can find your API key at https://platform.openai.com/account/api-keys.';
    let key = 'stale';
    const define = (mm: Awaited<ReturnType<typeof createTestEngine>>['mm']) =>
      mm.define('summarise', {
        maxAttempts: 3,
        resources: ['openai'],
        run: () => {
          if (key !== 'fresh') throw Object.assign(new Error(wrongKey), { status: 401 });
          return 'summary';
        },
      });
    const { mm: bare } = await createTestEngine(engine, { heal: HEAL });
    define(bare);
    const lost = await bare.enqueue('summarise');
    await bare.start();
    const unfixed = await settledJob(bare, lost.id);
    expect(unfixed).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await settledHeals(bare, lost.id))[0]).toMatchObject({ action: 'escalate' });

    const fix = vi.fn(() => {
      key = 'fresh';
      return { changes: { key: 'rotated' } };
    });
    const { mm } = await createTestEngine(engine, {
      heal: { ...HEAL, fixers: [{ name: 'vault', action: 'refresh_credentials', fix }] },
    });
    define(mm);
    const job = await mm.enqueue('summarise');
    await mm.start();
    expect(await settledJob(mm, job.id)).toMatchObject({ status: 'completed', attempts: 2 });
    expect(fix).toHaveBeenCalledTimes(1);
    expect((await settledHeals(mm, job.id))[0]).toMatchObject({
      action: 'refresh_credentials',
      validationStatus: 'validated',
      changesApplied: { fixer: 'vault', key: 'rotated' },
    });
  });

  it('performs a knob action through the fixer registered for it, on a type that declares no such knob', async () => {
    let memoryMb = 512;
    const fix = vi.fn(() => {
      memoryMb = 2048;
      return { changes: { memoryMb } };
    });
    const { mm } = await createTestEngine(engine, {
      heal: { ...HEAL, fixers: [{ name: 'raise-pod-memory', action: 'increase_memory', fix }] },
    });
    mm.define('render', {
      maxAttempts: 3,
      run: () => {
        if (memoryMb < 1024)
          throw new Error(
            'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
          );
        return 'rendered';
      },
    });
    const job = await mm.enqueue('render');
    await mm.start();
    expect((await settledJob(mm, job.id)).status).toBe('completed');
    expect(fix).toHaveBeenCalledTimes(1);
    expect((await settledHeals(mm, job.id))[0]).toMatchObject({
      action: 'increase_memory',
      validationStatus: 'validated',
      changesApplied: { fixer: 'raise-pod-memory', memoryMb: 2048 },
    });
  });

  it('never chooses a remedy only a fixer can perform when none is registered, and says what to register', async () => {
    const { mm: bare } = await createTestEngine(engine, { heal: HEAL });
    bare.define('build', {
      maxAttempts: 3,
      run: () => Promise.reject(new Error("Module not found: Can't resolve './generated/schema'")),
    });
    const reports: { action?: string; needs: string[] }[] = [];
    bare.healer.on('heal', (r) => reports.push({ action: r.applied?.action, needs: r.needs }));
    const failing = await bare.enqueue('build');
    await bare.start();
    expect((await settledJob(bare, failing.id)).status).toBe('failed');
    expect(reports[0]!.action).toBeUndefined();
    expect(reports[0]!.needs).toContain(
      'clear_cache: register a fixer for action "clear_cache" (healer option fixers)',
    );
  });

  it('asks an LLM on loopback about an unknown error and applies the knob change it proposes', async () => {
    const llm = await startFaultServer();
    const answer = JSON.stringify({
      root_cause: 'The document is longer than the model accepts.',
      solution: 'Send a shorter context.',
      prevention: 'Chunk documents.',
      transient: false,
      remedies: [{ action: 'reduce_context', knob: 'maxContextTokens', value: 2000 }],
    });
    llm.route('/v1/chat/completions', () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [
          { index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' },
        ],
      }),
    }));
    const { mm } = await createTestEngine(engine, {
      heal: {
        ...HEAL,
        llm: { baseURL: `${llm.url}/v1`, apiKey: 'k', model: 'm', timeoutMs: 5000 },
      },
    });
    mm.define('summarise', {
      maxAttempts: 3,
      knobs: {
        maxContextTokens: { kind: 'number', default: 8000, min: 500, max: 16000, integer: true },
      },
      run: (_payload, ctx) => {
        if (Number(ctx.knobs.maxContextTokens) > 3000)
          throw new Error(
            `summary came back empty for a document of ${String(ctx.knobs.maxContextTokens)} units`,
          );
        return 'summary';
      },
    });
    const job = await mm.enqueue('summarise');
    await mm.start();
    const done = await settledJob(mm, job.id);
    expect(done).toMatchObject({ status: 'completed', knobs: { maxContextTokens: 2000 } });
    const [heal] = await settledHeals(mm, job.id);
    expect(heal).toMatchObject({
      action: 'reduce_context',
      validationStatus: 'validated',
      detected: { analysis: 'llm' },
    });
    expect(llm.hits.get('/v1/chat/completions')).toBe(1);
  });
});
