import { describe, expect, it, vi } from 'vitest';
import { createMegaMind } from '../../src/app/mega-mind.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { waitForEvents } from '../helpers/engines.js';
import { createTestDatabase, ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';

const target = {
  host: new URL(TEST_DATABASE_URL).hostname,
  port: Number(new URL(TEST_DATABASE_URL).port || 5432),
};

// A worker whose every connection goes through a proxy that can make them half-open: the server
// never answers, nothing errors. Short timeouts so the test is quick; defaults are 10 s and 5 s.
async function workerBehindProxy(options: { leaseMs: number; pollIntervalMs?: number }) {
  const db = await createTestDatabase('postgres');
  const direct = db.open();
  await direct.migrate();
  const proxy = await startTcpProxy(target);
  const store = new PostgresStore({
    connectionString: proxy.url(TEST_DATABASE_URL),
    schema: db.schema,
    poolSize: 4,
    queryTimeoutMs: 300,
    connectTimeoutMs: 300,
    listenHealthCheckMs: 200,
  });
  const mm = createMegaMind({
    store,
    leaseMs: options.leaseMs,
    pollIntervalMs: options.pollIntervalMs ?? 100,
    shutdownGraceMs: 500,
  });
  mm.on('worker:error', () => {});
  return { mm, proxy, direct, store };
}

describe.runIf(ENGINES.includes('postgres'))('lost PostgreSQL replies', () => {
  it('does not wedge: claims, completions and ctx.stage() resume after a half-open outage, and stop() returns', async () => {
    const { mm, proxy, direct, store } = await workerBehindProxy({ leaseMs: 1500 });
    const stageErrors: unknown[] = [];
    mm.define('steps', {
      concurrency: 4,
      async run(payload, ctx) {
        for (let i = 1; i <= 3; i++)
          await ctx
            .stage(`step ${i}`, i * 30)
            .catch((error: unknown) => (stageErrors.push(error), Promise.reject(error)));
        return payload;
      },
    });
    await mm.start();
    const before = await direct.insertJobs(
      [
        {
          type: 'steps',
          payload: 'before',
          priority: 0,
          runAt: 0,
          maxAttempts: 5,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      Date.now(),
    );
    await vi.waitFor(
      async () => expect((await direct.getJob(before[0]!.job.id))!.status).toBe('completed'),
      { timeout: 10_000 },
    );

    // Every open connection goes silent, then so does every new one, for longer than a lease.
    proxy.blackhole();
    const during = await direct.insertJobs(
      Array.from({ length: 8 }, (_, i) => ({
        type: 'steps',
        payload: `during ${i}`,
        priority: 0,
        runAt: 0,
        maxAttempts: 5,
        idempotencyKey: null,
        knobs: {},
      })),
      Date.now(),
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    proxy.heal();

    // Once the network is back, every job completes: nothing hangs in a claim, a stage or a batch.
    await vi.waitFor(async () => expect(await direct.countJobs({ status: 'completed' })).toBe(9), {
      timeout: 20_000,
    });
    for (const { job } of during) expect((await direct.getJob(job.id))!.result).toBe(job.payload);
    await mm.stop();
    await store.close();
    await direct.close();
  });

  it('stop() returns within grace + lease while every reply is withheld', async () => {
    const { mm, proxy, direct, store } = await workerBehindProxy({ leaseMs: 1000 });
    mm.define('slow', {
      run: (_p, ctx) =>
        new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(null))),
    });
    await direct.insertJobs(
      [
        {
          type: 'slow',
          payload: null,
          priority: 0,
          runAt: 0,
          maxAttempts: 5,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      Date.now(),
    );
    const started = waitForEvents(mm, 'job:started');
    await mm.start();
    await started;
    proxy.blackhole();
    await mm.stop(); // bounded: vitest's timeout would fail the test if it hung
    await store.close();
    await direct.close();
  });

  it('notices a half-open LISTEN connection and reconnects, so wake-ups keep working without polling', async () => {
    // Polling once a minute: only a live LISTEN connection can make the job run within the test.
    const { mm, proxy, direct, store } = await workerBehindProxy({
      leaseMs: 2000,
      pollIntervalMs: 60_000,
    });
    mm.define('woken', { run: (payload) => payload });
    await mm.start();
    proxy.freezeOpen();
    const [inserted] = await direct.insertJobs(
      [
        {
          type: 'woken',
          payload: 'hello',
          priority: 0,
          runAt: 0,
          maxAttempts: 3,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      Date.now(),
    );
    await vi.waitFor(
      async () => expect((await direct.getJob(inserted!.job.id))!.status).toBe('completed'),
      { timeout: 15_000 },
    );
    await mm.stop();
    await store.close();
    await direct.close();
  });
});
