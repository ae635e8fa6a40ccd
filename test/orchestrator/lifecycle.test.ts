import { describe, expect, it, vi } from 'vitest';
import { DelayJobError, NonRetryableError } from '../../src/core/errors.js';
import { ManualClock } from '../../src/core/clock.js';
import { ExponentialBackoff } from '../../src/orchestrator/retry-policy.js';
import type { Json } from '../../src/core/types.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { SLOW_MACHINE } from '../helpers/wait.js';
import { ENGINES } from '../helpers/stores.js';

// Retries come back at once so tests wait on conditions, not on backoff.
const immediateRetry = {
  retryPolicy: new ExponentialBackoff({ initialDelayMs: 1, maxDelayMs: 1 }),
};

describe.each(ENGINES)('job lifecycle (%s)', (engine) => {
  it('runs a job through its stages to completion and stores the result', async () => {
    const { mm } = await createTestEngine(engine);
    const progress: [string | undefined, number | undefined][] = [];
    mm.on('job:progress', (_job, stage, percent) => progress.push([stage, percent]));
    mm.define<{ name: string }>('generate', {
      stages: [
        { name: 'Setting up database foundation', percent: 25 },
        { name: 'Generating code', percent: 75 },
      ],
      async run(payload, ctx) {
        await ctx.stage('Setting up database foundation', 25);
        await ctx.stage('Generating code', 75);
        return { greeting: `hello ${payload.name}`, attempt: ctx.attempt };
      },
    });
    const job = await mm.enqueue('generate', { name: 'ada' });
    expect(job.status).toBe('queued');
    const done = waitForEvents(mm, 'job:completed');
    await mm.start();
    await done;
    const stored = await mm.getJob(job.id);
    expect(stored).toMatchObject({
      status: 'completed',
      result: { greeting: 'hello ada', attempt: 1 },
      progress: 100,
      stage: 'Generating code',
      attempts: 1,
    });
    expect(progress).toEqual([
      ['Setting up database foundation', 25],
      ['Generating code', 75],
    ]);
  });

  it('retries a failing job with the error recorded, and resumes from its checkpoint', async () => {
    const { mm } = await createTestEngine(engine, immediateRetry);
    const seen: Json[] = [];
    mm.define('flaky', {
      maxAttempts: 3,
      async run(_payload, ctx) {
        seen.push(ctx.lastCheckpoint);
        await ctx.stage('Uploading', 40);
        await ctx.checkpoint({ uploaded: ctx.attempt });
        if (ctx.attempt < 3)
          throw Object.assign(new Error(`upstream closed on attempt ${ctx.attempt}`), {
            code: 'ECONNRESET',
          });
        return 'ok';
      },
    });
    const job = await mm.enqueue('flaky');
    const done = waitForEvents(mm, 'job:completed');
    await mm.start();
    await done;
    expect(seen).toEqual([null, { uploaded: 1 }, { uploaded: 2 }]);
    const stored = await mm.getJob(job.id);
    expect(stored).toMatchObject({
      status: 'completed',
      attempts: 3,
      lastError: {
        message: 'upstream closed on attempt 2',
        code: 'ECONNRESET',
        stage: 'Uploading',
        attempt: 2,
      },
    });
    const attempts = await mm.listAttempts(job.id);
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error?.code])).toEqual([
      [1, 'failed', 'ECONNRESET'],
      [2, 'failed', 'ECONNRESET'],
    ]);
    expect(attempts[0]!.error!.stack).toContain('upstream closed on attempt 1');
  });

  it('fails for good after maxAttempts, and at once on a NonRetryableError', async () => {
    const { mm } = await createTestEngine(engine, immediateRetry);
    let runs = 0;
    mm.define('always-fails', {
      maxAttempts: 2,
      run: () => {
        runs++;
        throw new Error('nope');
      },
    });
    mm.define('bad-input', {
      maxAttempts: 5,
      run: () => {
        throw new NonRetryableError('payload has no prompt');
      },
    });
    const a = await mm.enqueue('always-fails');
    const b = await mm.enqueue('bad-input');
    const failures: [string, number | null][] = [];
    mm.on('job:failed', (job, _error, retryAt) => failures.push([job.type, retryAt]));
    await mm.start();
    await vi.waitFor(async () => {
      expect((await mm.getJob(a.id))!.status).toBe('failed');
      expect((await mm.getJob(b.id))!.status).toBe('failed');
    }, SLOW_MACHINE);
    expect(runs).toBe(2);
    expect((await mm.getJob(b.id))!.attempts).toBe(1);
    expect(failures.filter(([type]) => type === 'bad-input')).toEqual([['bad-input', null]]);
  });

  it('puts a job back without counting an attempt when the handler asks for a delay', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('polite', {
      run: (_payload, ctx) => {
        if (ctx.attempt === 1 && !ctx.lastCheckpoint) {
          return ctx.checkpoint({ delayed: true }).then(() => {
            throw new DelayJobError(20);
          });
        }
        return 'done';
      },
    });
    const job = await mm.enqueue('polite');
    const done = waitForEvents(mm, 'job:completed');
    await mm.start();
    await done;
    const stored = await mm.getJob(job.id);
    expect(stored).toMatchObject({ status: 'completed', attempts: 1, leaseToken: 2 });
    expect((await mm.listAttempts(job.id)).map((a) => a.outcome)).toEqual(['released']);
  });

  it('aborts an attempt that exceeds its timeout and records it as a timeout', async () => {
    const { mm } = await createTestEngine(engine);
    let aborted = false;
    mm.define('slow', {
      timeoutMs: 50,
      maxAttempts: 1,
      run: (_payload, ctx) =>
        new Promise((resolve) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            resolve(null);
          }),
        ),
    });
    const job = await mm.enqueue('slow');
    const failed = waitForEvents(mm, 'job:failed');
    await mm.start();
    await failed;
    expect(aborted).toBe(true);
    expect(await mm.getJob(job.id)).toMatchObject({
      status: 'failed',
      lastError: {
        code: 'ERR_JOB_TIMEOUT',
        kind: 'timeout',
        message: 'job exceeded its timeout of 50 ms',
      },
    });
  });

  it('times an attempt out by its timeoutMs knob and names the value it ran under', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('tuned', {
      timeoutMs: 5000,
      maxAttempts: 1,
      knobs: { timeoutMs: { kind: 'number', default: 40, min: 10, max: 1000, integer: true } },
      run: (_payload, ctx) =>
        new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(null))),
    });
    const job = await mm.enqueue('tuned', null, { knobs: { timeoutMs: 30 } });
    const failed = waitForEvents(mm, 'job:failed');
    await mm.start();
    await failed;
    expect((await mm.getJob(job.id))?.lastError).toMatchObject({
      code: 'ERR_JOB_TIMEOUT',
      message: 'job exceeded its timeout of 30 ms',
    });
  });

  it('gives handlers their knobs: declared defaults, overridden per job', async () => {
    const { mm } = await createTestEngine(engine);
    const seen: unknown[] = [];
    mm.define('llm', {
      concurrency: 2,
      knobs: {
        model: { kind: 'choice', default: 'gpt-4o', options: ['gpt-4o', 'gpt-4o-mini'] },
        batchSize: { kind: 'number', default: 50, min: 1, max: 100, integer: true },
      },
      run: (_payload, ctx) => void seen.push(ctx.knobs),
    });
    await mm.enqueue('llm', null, { priority: 1 });
    await mm.enqueue('llm', null, { knobs: { model: 'gpt-4o-mini', batchSize: 10 } });
    const done = waitForEvents(mm, 'job:completed', 2);
    await mm.start();
    await done;
    expect(seen).toContainEqual({ model: 'gpt-4o', batchSize: 50 });
    expect(seen).toContainEqual({ model: 'gpt-4o-mini', batchSize: 10 });
    await expect(mm.enqueue('llm', null, { knobs: { batchSize: 0 } })).rejects.toThrow(
      'knob "batchSize" of job type "llm" must be within [1, 100], got 0',
    );
    await expect(mm.enqueue('llm', null, { knobs: { temperature: 1 } })).rejects.toThrow(
      'declares no knob "temperature"',
    );
  });

  it('cancels a running job: its signal aborts and its completion is refused', async () => {
    const { mm } = await createTestEngine(engine);
    let signal: AbortSignal | undefined;
    mm.define('long', {
      run: (_p, ctx) =>
        new Promise((resolve) => {
          signal = ctx.signal;
          ctx.signal.addEventListener('abort', () => resolve('late'));
        }),
    });
    const job = await mm.enqueue('long');
    const completed: string[] = [];
    const refused: string[] = [];
    mm.on('job:completed', (done) => completed.push(done.id));
    mm.on('job:lease-lost', (lost) => refused.push(lost.id));
    const started = waitForEvents(mm, 'job:started');
    await mm.start();
    await started;
    expect(await mm.cancel(job.id)).toBe(true);
    expect(signal!.aborted).toBe(true);
    // The handler returns 'late' once aborted; the worker must drop that completion, not store it.
    await vi.waitFor(() => expect(refused).toEqual([job.id]), SLOW_MACHINE);
    expect(completed).toEqual([]);
    expect(await mm.getJob(job.id)).toMatchObject({ status: 'cancelled', result: null });
    expect(await mm.cancel(job.id)).toBe(false);
  });

  it('runs delayed jobs when due and higher priorities first', async () => {
    // Time is the test's: the delayed job is due only when the clock is moved, however slow the machine.
    const clock = new ManualClock(Date.now());
    const { mm } = await createTestEngine(engine, { clock });
    const order: Json[] = [];
    mm.define('ordered', { concurrency: 1, run: (payload) => void order.push(payload) });
    const delayed = await mm.enqueue('ordered', 'delayed', { delayMs: 300 });
    await mm.enqueueMany([
      { type: 'ordered', payload: 'low' },
      { type: 'ordered', payload: 'high', options: { priority: 10 } },
      { type: 'ordered', payload: 'mid', options: { priority: 5 } },
    ]);
    const first = waitForEvents(mm, 'job:completed', 3);
    await mm.start();
    await first;
    expect(order).toEqual(['high', 'mid', 'low']);
    expect(await mm.getJob(delayed.id)).toMatchObject({ status: 'queued' });
    clock.advance(299);
    // Polls run on the test's clock too: move it a poll at a time until the job has run.
    await vi.waitFor(() => {
      clock.advance(50);
      expect(order).toEqual(['high', 'mid', 'low', 'delayed']);
    });
    const stored = await mm.getJob(delayed.id);
    expect(stored!.startedAt! - stored!.createdAt).toBeGreaterThanOrEqual(300);
  });

  it('returns the same job for a repeated idempotency key and runs it once', async () => {
    const { mm } = await createTestEngine(engine);
    let runs = 0;
    mm.define('charge', { run: () => void runs++ });
    const first = await mm.enqueue('charge', { amount: 5 }, { idempotencyKey: 'order-17' });
    const second = await mm.enqueue('charge', { amount: 5 }, { idempotencyKey: 'order-17' });
    expect(second.id).toBe(first.id);
    const done = waitForEvents(mm, 'job:completed');
    await mm.start();
    await done;
    const third = await mm.enqueue('charge', { amount: 5 }, { idempotencyKey: 'order-17' });
    expect(third).toMatchObject({ id: first.id, status: 'completed' });
    expect(runs).toBe(1);
    expect(await mm.store.countJobs()).toBe(1);
  });
});
