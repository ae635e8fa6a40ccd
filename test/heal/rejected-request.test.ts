import { describe, expect, it, vi } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import type { Job } from '../../src/core/types.js';
import type { HealerOptions } from '../../src/heal/healer-options.js';
import { createTestEngine, settledHeals, settledJob } from '../helpers/engines.js';
import { callUpstream, startFaultServer } from '../helpers/fault-server.js';
import { ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

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

/** An upstream that, in words no rule knows, passes a request only with a batch of at most 10. */
async function startWindowServer() {
  const server = await startFaultServer();
  const sizes: number[] = [];
  server.route('/window', (_n, query) => {
    sizes.push(Number(query.get('size')));
    return Number(query.get('size')) <= 10
      ? { status: 200, body: 'ok' }
      : { status: 422, body: 'tenant policy W17: chunk window exceeded' };
  });
  /** Defines job type `sync`, which sends a batch of its `batchSize` knob. */
  const define = (mm: MegaMind) =>
    mm.define('sync', {
      maxAttempts: 5,
      concurrency: 1,
      knobs: BATCH,
      run: (_p, ctx) =>
        callUpstream(`${server.url}/window?size=${ctx.knobs.batchSize}`, ctx.signal),
    });
  return { server, sizes, define };
}

describe.each(ENGINES)('a request the upstream rejects as sent (%s)', (engine) => {
  it('probes the declared knob on a 422 no rule explains, keeps the change that worked, and fails fast where nothing can change', async () => {
    const { define, server } = await startWindowServer();
    // New jobs keep the declared batch size here, so each later job shows the heal memory at work.
    const { mm } = await createTestEngine(engine, { heal: { ...HEAL, learnedKnobs: false } });
    define(mm);
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

  it('starts the next jobs of a type with the batch size that healed two of its jobs, in every process, until forgotten', async () => {
    const { define, sizes } = await startWindowServer();
    const { mm, db } = await createTestEngine(engine, { heal: HEAL });
    define(mm);
    await mm.start();
    const healed = await oneByOne(mm, 'sync', 2);
    // Two jobs are healed (the first by probing, the second straight to the size that worked) ...
    expect(healed.map((job) => [job.status, job.attempts])).toEqual([
      ['completed', 3],
      ['completed', 2],
    ]);
    const learned = healed[1]!.knobs.batchSize;
    expect(learned).toBe(healed[0]!.knobs.batchSize);
    // ... which adopts the size once the second heal is validated (just after the job completes) ...
    await vi.waitFor(
      () => expect(mm.healer.knobsFor('sync')).toEqual({ batchSize: learned }),
      SLOW_MACHINE,
    );
    // ... and then the type starts there: no failure, no heal.
    for (const job of await oneByOne(mm, 'sync', 3)) {
      expect(job).toMatchObject({ attempts: 1, selfHealed: false });
      expect(job.knobs.batchSize).toBe(learned);
      expect(await mm.improvements({ jobId: job.id })).toEqual([]);
    }
    // A job's own value wins over the learned one (and is healed like any other).
    const own = await mm.enqueue('sync', {}, { knobs: { batchSize: 40 } });
    const ownDone = await settledJob(mm, own.id);
    expect(ownDone.attempts).toBeGreaterThan(1);
    expect(sizes).toContain(40);
    // Another engine on the same database starts the type's jobs the same way.
    const second = await createTestEngine(engine, { heal: HEAL }, db);
    define(second.mm);
    await mm.stop();
    await second.mm.start();
    await vi.waitFor(
      () => expect(second.mm.healer.knobsFor('sync')).toEqual({ batchSize: learned }),
      SLOW_MACHINE,
    );
    const [there] = await oneByOne(second.mm, 'sync', 1);
    expect(there).toMatchObject({ status: 'completed', attempts: 1 });
    // Forgotten, jobs start from the declared default again.
    await second.mm.healer.forgetLearnedKnobs('sync');
    expect(second.mm.healer.knobsFor('sync')).toBeUndefined();
    const [again] = await oneByOne(second.mm, 'sync', 1);
    expect(again!.attempts).toBe(2);
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
