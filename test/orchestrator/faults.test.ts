import { describe, expect, it, vi } from 'vitest';
import { createMegaMind } from '../../src/app/mega-mind.js';
import type { Job } from '../../src/core/types.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { delay, faultyStore } from '../helpers/faulty-store.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';

describe.each(ENGINES)('faults inside one engine (%s)', (engine) => {
  it('keeps every job claimed during a slow lease renewal: none is left to its lease, none is charged twice', async () => {
    const db = await createTestDatabase(engine);
    const slow = faultyStore(db.open(), {
      heartbeat: async (real, writes, now) => (await delay(50), real.heartbeat(writes, now)),
    });
    // Renewals every 60 ms that each take 50 ms overlap all the time; the lease leaves room for
    // a loaded machine's stalls, which are not what this test is about.
    const mm = createMegaMind({
      store: slow,
      leaseMs: 3000,
      heartbeatIntervalMs: 60,
      pollIntervalMs: 50,
    });
    const expired: Job[] = [];
    mm.on('job:lease-expired', (job) => expired.push(job));
    mm.define('short', { concurrency: 4, run: (payload) => payload });
    await mm.enqueueMany(Array.from({ length: 1500 }, (_, i) => ({ type: 'short', payload: i })));
    const done = waitForEvents(mm, 'job:completed', 1500);
    await mm.start();
    await done;
    await mm.stop();
    await slow.close();
    const check = db.open();
    expect(await check.countJobs({ status: 'completed' })).toBe(1500);
    const jobs = await check.listJobs({ limit: 1500 });
    expect(jobs.filter((job) => job.attempts !== 1)).toEqual([]);
    expect(expired).toEqual([]);
    await check.close();
  });

  it('retries a transient store error inside ctx.stage() and ctx.checkpoint() instead of failing the attempt', async () => {
    const db = await createTestDatabase(engine);
    let failures = 0;
    const flaky = () => {
      if (failures++ % 2 === 0)
        throw Object.assign(new Error('Connection terminated unexpectedly'), {
          code: 'ECONNRESET',
        });
    };
    const store = faultyStore(db.open(), {
      heartbeat: async (real, writes, now) => (
        writes.length === 1 && flaky(),
        real.heartbeat(writes, now)
      ),
      saveCheckpoint: async (real, write, now) => (flaky(), real.saveCheckpoint(write, now)),
    });
    const { mm } = await createTestEngine(engine, { store, leaseMs: 5000 }, db);
    mm.define('steps', {
      maxAttempts: 1,
      async run(_p, ctx) {
        await ctx.stage('one', 10);
        await ctx.checkpoint({ step: 1 });
        await ctx.stage('two', 60);
        await ctx.checkpoint({ step: 2 });
        return 'ok';
      },
    });
    const job = await mm.enqueue('steps');
    const done = waitForEvents(mm, 'job:completed');
    await mm.start();
    await done;
    expect(failures).toBeGreaterThanOrEqual(8);
    expect(await mm.getJob(job.id)).toMatchObject({
      status: 'completed',
      attempts: 1,
      stage: 'two',
      checkpoint: { step: 2 },
      result: 'ok',
    });
  });

  it('keeps renewing leases while a stopping worker lets its jobs finish: a live peer never takes them', async () => {
    const db = await createTestDatabase(engine);
    const { mm: a } = await createTestEngine(
      engine,
      { leaseMs: 1000, heartbeatIntervalMs: 100, shutdownGraceMs: 30_000, workerId: 'a' },
      db,
    );
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    a.define('work', { run: async () => (await gate, 'by a') });
    const job = await a.enqueue('work');
    const started = waitForEvents(a, 'job:started');
    await a.start();
    await started;
    const { mm: b } = await createTestEngine(
      engine,
      { leaseMs: 1000, heartbeatIntervalMs: 100, workerId: 'b' },
      db,
    );
    let ranOnB = 0;
    b.define('work', { run: () => void ranOnB++ });
    await b.start();
    const stopping = a.stop();
    // Let several leases' worth of time pass, proven by renewals that landed after stop() began.
    const stopAt = Date.now();
    await vi.waitFor(
      async () => expect((await b.getJob(job.id))!.heartbeatAt).toBeGreaterThan(stopAt + 3000),
      { timeout: 20_000, interval: 50 },
    );
    finish();
    await stopping;
    expect(await b.getJob(job.id)).toMatchObject({
      status: 'completed',
      result: 'by a',
      attempts: 1,
    });
    expect(await b.listAttempts(job.id)).toEqual([]);
    expect(ranOnB).toBe(0);
  });

  it('returns from stop() although a handler ignores its signal forever', async () => {
    const { mm } = await createTestEngine(engine, { leaseMs: 500, shutdownGraceMs: 100 });
    mm.define('stubborn', { run: () => new Promise(() => {}) });
    const job = await mm.enqueue('stubborn');
    const started = waitForEvents(mm, 'job:started');
    await mm.start();
    await started;
    await mm.stop();
    // The attempt was given back under its lease: another worker may run it at once.
    expect(await mm.store.getJob(job.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('holds a slot until a timed-out handler really returns: concurrency 1 is never exceeded', async () => {
    const { mm } = await createTestEngine(engine, { leaseMs: 2000 });
    let running = 0;
    let most = 0;
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    mm.define('single', {
      concurrency: 1,
      timeoutMs: 100,
      maxAttempts: 1,
      async run(payload) {
        running++;
        most = Math.max(most, running);
        // The first ignores its signal and outlives its timeout.
        if (payload === 'first') await gate;
        running--;
        return payload;
      },
    });
    const first = await mm.enqueue('single', 'first', { priority: 1 });
    await mm.enqueue('single', 'second');
    const failed = waitForEvents(mm, 'job:failed');
    await mm.start();
    await failed;
    expect(await mm.getJob(first.id)).toMatchObject({
      status: 'failed',
      lastError: { code: 'ERR_JOB_TIMEOUT' },
    });
    // Plenty of polls for the second job to start, if its slot were (wrongly) free.
    await delay(300);
    expect(most).toBe(1);
    const done = waitForEvents(mm, 'job:completed');
    finish();
    await done;
    expect(most).toBe(1);
  });

  it('wakes and claims across 70 job types with long names in one statement each', async () => {
    const db = await createTestDatabase(engine);
    const types = Array.from(
      { length: 70 },
      (_, i) => `type-${String(i).padStart(2, '0')}-${'x'.repeat(110)}`,
    );
    const claims: number[] = [];
    // While the "dead worker" below takes its jobs, this worker must not win the race to them.
    let paused = false;
    const store = faultyStore(db.open(), {
      claimJobs: (real, request) => (
        claims.push(request.types.length),
        paused ? Promise.resolve([]) : real.claimJobs(request)
      ),
    });
    const { mm } = await createTestEngine(
      engine,
      { store, leaseMs: 400, heartbeatIntervalMs: 100, pollIntervalMs: 60_000 },
      db,
    );
    for (const type of types) mm.define(type, { run: () => 'done' });
    await mm.start();
    // Every claim round asks for all 70 types at once (a wake-up at start may add a round).
    expect(claims.length).toBeGreaterThanOrEqual(1);
    expect(claims.every((types) => types === 70)).toBe(true);
    // One enqueueMany across every type: its wake-up must fit NOTIFY's 8,000 bytes.
    const jobs = await mm.enqueueMany(types.map((type) => ({ type, payload: null })));
    await vi.waitFor(
      async () => expect(await mm.store.countJobs({ status: 'completed' })).toBe(70),
      { timeout: 20_000 },
    );
    // A dead worker's 70 jobs come back through a sweep whose wake-up names every type.
    const other = db.open();
    paused = true;
    await other.insertJobs(
      types.map((type) => ({
        type,
        payload: 2,
        priority: 0,
        runAt: 0,
        maxAttempts: 3,
        idempotencyKey: null,
        knobs: {},
      })),
      Date.now(),
    );
    const dead = await other.claimJobs({
      types,
      owner: 'dead',
      leaseMs: 1,
      limit: 70,
      now: Date.now(),
    });
    expect(dead).toHaveLength(70);
    // Running now, they cannot be claimed until the sweep: this worker may listen again, and must,
    // for the sweep's wake-up is what brings them to it.
    paused = false;
    // The sweep's wake-up names 70 long types: it must fit NOTIFY too, or the sweep itself fails.
    // (The 1 ms lease runs out on the store's clock: sweep until it has.)
    await vi.waitFor(async () => expect(await other.expireLeases(Date.now())).toHaveLength(70));
    await vi.waitFor(
      async () => expect(await mm.store.countJobs({ status: 'completed' })).toBe(140),
      { timeout: 20_000 },
    );
    expect(jobs).toHaveLength(70);
    await other.close();
  });
});
