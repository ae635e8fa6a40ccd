import { describe, expect, it } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import type { Job } from '../../src/core/types.js';
import type { HealerOptions } from '../../src/heal/healer-options.js';
import { createTestEngine, settledHeals, settledJob } from '../helpers/engines.js';
import { callUpstream, startFaultServer } from '../helpers/fault-server.js';
import { ENGINES } from '../helpers/stores.js';

const HEAL: HealerOptions = { backoff: { initialDelayMs: 5, maxDelayMs: 20 }, random: 3 };
const BATCH = {
  batchSize: { kind: 'number', default: 50, min: 1, max: 100, integer: true },
} as const;

/** Runs jobs of a type one after the other, as the same error would hit them over a day. */
async function oneByOne(mm: MegaMind, type: string, count: number): Promise<Job[]> {
  const done: Job[] = [];
  for (let i = 0; i < count; i++) {
    const job = await mm.enqueue(type, { i });
    done.push(await settledJob(mm, job.id));
  }
  return done;
}

describe.each(ENGINES)('a request the upstream rejects as sent (%s)', (engine) => {
  it('probes the declared knob on a 422 no rule explains, keeps the change that worked, and fails fast where nothing can change', async () => {
    const server = await startFaultServer();
    // In words no rule knows: the request passes only with a batch of at most 10.
    server.route('/window', (_n, query) =>
      Number(query.get('size')) <= 10
        ? { status: 200, body: 'ok' }
        : { status: 422, body: 'tenant policy W17: chunk window exceeded' },
    );
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    mm.define('sync', {
      maxAttempts: 5,
      concurrency: 1,
      knobs: BATCH,
      run: (_p, ctx) =>
        callUpstream(`${server.url}/window?size=${ctx.knobs.batchSize}`, ctx.signal),
    });
    mm.define('sync-fixed', {
      maxAttempts: 5,
      concurrency: 1,
      run: (_p, ctx) => callUpstream(`${server.url}/window?size=50`, ctx.signal),
    });
    await mm.start();
    const [first, ...later] = await oneByOne(mm, 'sync', 8);
    expect(first).toMatchObject({ status: 'completed', selfHealed: true });
    expect(Number(first!.knobs.batchSize)).toBeLessThanOrEqual(10);
    const firstHeals = await settledHeals(mm, first!.id);
    expect(firstHeals.every((row) => row.action === 'reduce_batch_size')).toBe(true);
    expect(firstHeals[0]).toMatchObject({ outcome: 'success', validationStatus: 'validated' });
    expect(first!.attempts).toBe(3);
    // Later jobs are set at once to the batch size that healed the first (one failure, one heal);
    // a halving step that happened to work from a smaller batch is chosen less and less.
    const lastHeals = await Promise.all(later.slice(-3).map((job) => settledHeals(mm, job.id)));
    for (const [index, job] of later.slice(-3).entries()) {
      expect(job).toMatchObject({ status: 'completed', attempts: 2 });
      expect(job.knobs.batchSize).toBe(first!.knobs.batchSize);
      expect(lastHeals[index]![0]!.changesApplied.params).toEqual({ to: first!.knobs.batchSize });
    }
    for (const job of later) expect(job.status).toBe('completed');
    // The same error on a type that declares nothing to change is not retried.
    const [fixed] = await oneByOne(mm, 'sync-fixed', 1);
    expect(fixed).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('learns a rejection no declared knob fixes and then fails it on the first attempt', async () => {
    const server = await startFaultServer();
    server.route('/reject', () => ({ status: 400, body: 'unsupported locale "xx-YY"' }));
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    mm.define('sync', {
      maxAttempts: 5,
      concurrency: 1,
      knobs: BATCH,
      run: (_p, ctx) => callUpstream(`${server.url}/reject`, ctx.signal),
    });
    await mm.start();
    const done = await oneByOne(mm, 'sync', 4);
    expect(done.every((job) => job.status === 'failed')).toBe(true);
    // Each of the two batch changes is probed once for the pattern, then the rejection is believed.
    const attempts = done.map((job) => job.attempts);
    expect(attempts.reduce((a, b) => a + b, 0)).toBe(3 + 3);
    expect(attempts.slice(-2)).toEqual([1, 1]);
    const [last] = await settledHeals(mm, done.at(-1)!.id);
    expect(last).toMatchObject({ action: 'fail_fast' });
    expect(last!.changesApplied.learned).toBe(true);
  });

  it('believes a rule that says nothing the job sends is at fault: a code bug fails at once although knobs are declared', async () => {
    const { mm } = await createTestEngine(engine, { heal: HEAL });
    mm.define('sync', {
      maxAttempts: 5,
      knobs: BATCH,
      run: () =>
        Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id')")),
    });
    await mm.start();
    const [done] = await oneByOne(mm, 'sync', 1);
    expect(done).toMatchObject({ status: 'failed', attempts: 1 });
    const [heal] = await settledHeals(mm, done!.id);
    expect(heal).toMatchObject({ action: 'fail_fast' });
  });
});
