import { describe, expect, it, vi } from 'vitest';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { faultyStore } from '../helpers/faulty-store.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

describe.each(ENGINES)('leases and shutdown (%s)', (engine) => {
  it('aborts a handler whose lease was taken over, and refuses its late writes', async () => {
    const db = await createTestDatabase(engine);
    // a's store calls stall while `paused` (a long GC pause, a frozen VM), then go through late.
    let paused = false;
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const stall = async () => {
      if (paused) await resumed;
    };
    const store = faultyStore(db.open(), {
      heartbeat: async (real, writes, now) => (await stall(), real.heartbeat(writes, now)),
      expireLeases: async (real, now) => (await stall(), real.expireLeases(now)),
      claimJobs: async (real, request) => (await stall(), real.claimJobs(request)),
      saveCheckpoint: async (real, write, now) => (await stall(), real.saveCheckpoint(write, now)),
    });
    const { mm: a } = await createTestEngine(
      engine,
      { store, leaseMs: 600, heartbeatIntervalMs: 50, workerId: 'a' },
      db,
    );
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let signal: AbortSignal | undefined;
    let lateWrite: unknown;
    a.define('render', {
      run: async (_payload, ctx) => {
        signal = ctx.signal;
        await gate;
        lateWrite = await ctx.checkpoint({ late: true }).catch((error: unknown) => error);
        return 'from a';
      },
    });
    const job = await a.enqueue('render');
    const started = waitForEvents(a, 'job:started');
    await a.start();
    await started;
    paused = true;
    // Another node sees a's lease run out on the store's clock, and takes the job over.
    const other = db.open();
    await vi.waitFor(
      async () =>
        expect((await other.expireLeases(Date.now())).map((e) => e.job.id)).toEqual([job.id]),
      SLOW_MACHINE,
    );
    const [takeover] = await other.claimJobs({
      types: ['render'],
      owner: 'b',
      leaseMs: 60_000,
      limit: 1,
      now: Date.now(),
    });
    expect(takeover).toMatchObject({ id: job.id, leaseToken: 2 });
    // a wakes up: its stalled renewals land, and are refused.
    paused = false;
    resume();
    await vi.waitFor(() => expect(signal?.aborted).toBe(true), SLOW_MACHINE);
    release();
    await vi.waitFor(() => expect(lateWrite).toBeDefined(), SLOW_MACHINE);
    expect(lateWrite).toMatchObject({ code: 'ERR_STALE_LEASE' });
    const stored = await other.getJob(job.id);
    expect(stored).toMatchObject({
      status: 'running',
      leaseOwner: 'b',
      checkpoint: null,
      result: null,
    });
    await other.close();
  });

  it('stops gracefully: lets short jobs finish, releases the rest for another worker at once', async () => {
    const db = await createTestDatabase(engine);
    const { mm: first } = await createTestEngine(
      engine,
      { shutdownGraceMs: 200, leaseMs: 60_000 },
      db,
    );
    const aborted: string[] = [];
    first.define('work', {
      concurrency: 2,
      run: (payload, ctx) =>
        payload === 'short'
          ? new Promise((resolve) => setTimeout(() => resolve('done'), 50))
          : new Promise((resolve) =>
              ctx.signal.addEventListener('abort', () => {
                aborted.push(ctx.id);
                resolve(null);
              }),
            ),
    });
    const short = await first.enqueue('work', 'short');
    const long = await first.enqueue('work', 'long');
    const started = waitForEvents(first, 'job:started', 2);
    await first.start();
    await started;
    await first.stop();
    expect(await first.store.getJob(short.id)).toMatchObject({ status: 'completed' });
    expect(aborted).toEqual([long.id]);
    // The lease was released, not left to expire: the job is queued again with its attempt given back.
    expect(await first.store.getJob(long.id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      leaseOwner: null,
    });

    const { mm: second } = await createTestEngine(engine, { leaseMs: 60_000 }, db);
    second.define('work', { run: () => 'picked up' });
    const done = waitForEvents(second, 'job:completed');
    await second.start();
    await done;
    expect(await second.getJob(long.id)).toMatchObject({
      status: 'completed',
      result: 'picked up',
      attempts: 1,
    });
  });
});
