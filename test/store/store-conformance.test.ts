import { describe, expect, it, vi } from 'vitest';
import type { ExpiredLease, NewJob, Store } from '../../src/store/store.js';
import type { Job, JobError } from '../../src/core/types.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    type: 'render',
    payload: { n: 1 },
    priority: 0,
    runAt: T0,
    maxAttempts: 3,
    idempotencyKey: null,
    knobs: {},
    ...overrides,
  };
}

const claim = (store: Store, now = T0, limit = 10, owner = 'w1', leaseMs = 10_000) =>
  store.claimJobs({ types: ['render'], owner, leaseMs, limit, now });

/** Checks a lease runs `leaseMs` on the store's clock (this machine's, for both engines here) from a moment in [before, after]. */
function expectLease(job: Job | undefined, leaseMs: number, before: number, after: number): void {
  expect(job!.leaseExpiresAt).toBeGreaterThanOrEqual(before + leaseMs - 1);
  expect(job!.leaseExpiresAt).toBeLessThanOrEqual(after + leaseMs + 1);
}

/** Sweeps until a lease given `leaseMs: 1` has run out on the store's clock. */
async function expireSoon(store: Store): Promise<ExpiredLease[]> {
  let expired: ExpiredLease[] = [];
  await vi.waitFor(async () => {
    expired = await store.expireLeases(T0 + 9_000);
    expect(expired).not.toEqual([]);
  });
  return expired;
}

const boom = (attempt: number): JobError => ({ message: 'boom', name: 'Error', attempt, at: T0 });

describe.each(ENGINES)('store conformance (%s)', (engine) => {
  it('migrates twice without applying anything the second time', async () => {
    const { store } = await createTestStore(engine);
    const again = await store.migrate();
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toContain('0001_init');
  });

  it('inserts jobs and reads them back with every field', async () => {
    const { store } = await createTestStore(engine);
    const [inserted] = await store.insertJobs(
      [newJob({ payload: { prompt: 'hi', list: [1, 2] }, knobs: { model: 'a' } })],
      T0,
    );
    expect(inserted!.created).toBe(true);
    const job = await store.getJob(inserted!.job.id);
    expect(job).toMatchObject({
      type: 'render',
      payload: { prompt: 'hi', list: [1, 2] },
      status: 'queued',
      attempts: 0,
      maxAttempts: 3,
      leaseToken: 0,
      knobs: { model: 'a' },
      selfHealed: false,
      createdAt: T0,
    });
    // The job an insert answers is the job a read returns, to the last field.
    expect(inserted!.job).toEqual(job);
    const [keyed] = await store.insertJobs(
      [newJob({ idempotencyKey: 'k-1', priority: 5, payload: null })],
      T0,
    );
    expect(keyed!.job).toEqual(await store.getJob(keyed!.job.id));
    expect(await store.getJob('not-a-job')).toBeUndefined();
  });

  it('returns the existing job for a repeated idempotency key, within and across batches', async () => {
    const { store } = await createTestStore(engine);
    const first = await store.insertJobs(
      [newJob({ idempotencyKey: 'k1' }), newJob({ idempotencyKey: 'k1' })],
      T0,
    );
    expect(first.map((r) => r.created)).toEqual([true, false]);
    expect(first[1]!.job.id).toBe(first[0]!.job.id);
    const [again] = await store.insertJobs(
      [newJob({ idempotencyKey: 'k1', payload: { other: true } })],
      T0 + 1,
    );
    expect(again!.created).toBe(false);
    expect(again!.job.payload).toEqual({ n: 1 });
    expect(await store.countJobs()).toBe(1);
  });

  it('claims by priority, then due time, then insertion order, and skips future jobs', async () => {
    const { store } = await createTestStore(engine);
    const jobs = await store.insertJobs(
      [
        newJob({ payload: 'low-old', runAt: T0 - 10 }),
        newJob({ payload: 'high', priority: 5 }),
        newJob({ payload: 'low-a' }),
        newJob({ payload: 'low-b' }),
        newJob({ payload: 'future', priority: 10, runAt: T0 + 60_000 }),
      ],
      T0,
    );
    expect(jobs).toHaveLength(5);
    const before = Date.now();
    const claimed = await claim(store, T0, 10);
    expectLease(claimed[0], 10_000, before, Date.now());
    expect(claimed.map((j) => j.payload)).toEqual(['high', 'low-old', 'low-a', 'low-b']);
    // A claim charges no attempt: only a handler that starts does.
    expect(
      claimed.every((j) => j.status === 'running' && j.attempts === 0 && j.leaseToken === 1),
    ).toBe(true);
    expect(await claim(store, T0 + 60_000)).toHaveLength(1);
  });

  it('never hands the same job to two claimers', async () => {
    const { store, db } = await createTestStore(engine);
    const other = db.open();
    await store.insertJobs(
      Array.from({ length: 60 }, (_, i) => newJob({ payload: i })),
      T0,
    );
    const results = await Promise.all([
      claim(store, T0, 7, 'a'),
      claim(other, T0, 7, 'b'),
      claim(store, T0, 7, 'a'),
      claim(other, T0, 7, 'b'),
      claim(store, T0, 50, 'a'),
      claim(other, T0, 50, 'b'),
    ]);
    await other.close();
    const ids = results.flat().map((j) => j.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it('only claims the requested types', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob({ type: 'other' })], T0);
    expect(await claim(store)).toEqual([]);
  });

  it('completes with the current token and refuses a stale one', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob(), newJob()], T0);
    const [a, b] = await claim(store);
    const accepted = await store.completeJobs(
      [
        { id: a!.id, token: a!.leaseToken, result: { ok: true } },
        { id: b!.id, token: b!.leaseToken + 1, result: { ok: false } },
      ],
      T0 + 5,
    );
    expect([...accepted]).toEqual([a!.id]);
    expect(await store.getJob(a!.id)).toMatchObject({
      status: 'completed',
      result: { ok: true },
      progress: 100,
      finishedAt: T0 + 5,
      leaseOwner: null,
    });
    expect(await store.getJob(b!.id)).toMatchObject({ status: 'running', result: null });
    // Completing twice is refused: a job completes exactly once.
    expect(
      (await store.completeJobs([{ id: a!.id, token: a!.leaseToken, result: 2 }], T0 + 6)).size,
    ).toBe(0);
  });

  it('renews a lease with a heartbeat that carries stage and progress', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob()], T0);
    const [job] = await claim(store);
    const before = Date.now();
    const ok = await store.heartbeat(
      [
        {
          id: job!.id,
          token: job!.leaseToken,
          leaseMs: 20_000,
          stage: 'Setting up database foundation',
          progress: 25,
        },
      ],
      T0 + 4000,
    );
    const after = Date.now();
    expect(ok.has(job!.id)).toBe(true);
    const renewed = await store.getJob(job!.id);
    expect(renewed).toMatchObject({
      stage: 'Setting up database foundation',
      progress: 25,
      heartbeatAt: T0 + 4000,
    });
    expectLease(renewed, 20_000, before, after);
    const stale = await store.heartbeat(
      [{ id: job!.id, token: 99, leaseMs: 10_000, progress: 50 }],
      T0 + 5000,
    );
    expect(stale.size).toBe(0);
    expect((await store.getJob(job!.id))!.progress).toBe(25);
  });

  it('saves checkpoints only under the current lease', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob()], T0);
    const [job] = await claim(store);
    expect(
      await store.saveCheckpoint(
        { id: job!.id, token: job!.leaseToken, data: { step: 2 } },
        T0 + 1,
      ),
    ).toBe(true);
    expect(
      await store.saveCheckpoint(
        { id: job!.id, token: job!.leaseToken - 1, data: { step: 9 } },
        T0 + 2,
      ),
    ).toBe(false);
    expect((await store.getJob(job!.id))!.checkpoint).toEqual({ step: 2 });
  });

  it('records a failed attempt, schedules the retry, and fails for good without one', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob()], T0);
    const [first] = await claim(store);
    await store.failJobs(
      [{ id: first!.id, token: first!.leaseToken, error: boom(1), retryAt: T0 + 1000 }],
      T0,
    );
    expect(await store.getJob(first!.id)).toMatchObject({
      status: 'queued',
      runAt: T0 + 1000,
      lastError: { message: 'boom', attempt: 1 },
    });
    expect(await claim(store, T0 + 999)).toEqual([]);
    const [second] = await claim(store, T0 + 1000);
    expect(second).toMatchObject({ attempts: 1, leaseToken: 2 });
    await store.failJobs(
      [{ id: second!.id, token: second!.leaseToken, error: boom(2), retryAt: null }],
      T0 + 1001,
    );
    expect(await store.getJob(first!.id)).toMatchObject({
      status: 'failed',
      finishedAt: T0 + 1001,
    });
    const history = await store.listAttempts(first!.id);
    expect(history.map((a) => [a.attempt, a.leaseToken, a.outcome, a.owner])).toEqual([
      [1, 1, 'failed', 'w1'],
      [2, 2, 'failed', 'w1'],
    ]);
    expect(history[0]!.error).toMatchObject({ message: 'boom' });
  });

  it('refuses a failure written with a stale token', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob()], T0);
    const [job] = await claim(store);
    expect(
      (await store.failJobs([{ id: job!.id, token: 7, error: boom(1), retryAt: null }], T0)).size,
    ).toBe(0);
    expect((await store.getJob(job!.id))!.status).toBe('running');
    expect(await store.listAttempts(job!.id)).toEqual([]);
  });

  it('requeues a job whose lease expired, then fails it once its attempts are used up', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob({ maxAttempts: 2 })], T0);
    const [first] = await claim(store, T0, 10, 'dead-worker', 60_000);
    await store.heartbeat(
      [{ id: first!.id, token: first!.leaseToken, leaseMs: 60_000, started: true }],
      T0,
    );
    // Leases are timed by the store's clock: a caller's `now` far ahead expires nothing.
    expect(await store.expireLeases(T0 + 1e9)).toEqual([]);
    await store.heartbeat([{ id: first!.id, token: first!.leaseToken, leaseMs: 1 }], T0);
    const expired = await expireSoon(store);
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      requeued: true,
      started: true,
      job: {
        status: 'queued',
        attempts: 1,
        lastError: { kind: 'lease_expired', code: 'ERR_LEASE_EXPIRED' },
      },
    });
    // The dead worker wakes up: its writes carry the old token and are refused.
    expect(
      (
        await store.completeJobs(
          [{ id: first!.id, token: first!.leaseToken, result: null }],
          T0 + 1002,
        )
      ).size,
    ).toBe(0);
    const [second] = await claim(store, T0 + 9_000, 10, 'w2', 60_000);
    expect(second).toMatchObject({ attempts: 1, leaseToken: 2, leaseOwner: 'w2' });
    await store.heartbeat(
      [{ id: second!.id, token: second!.leaseToken, leaseMs: 1, started: true }],
      T0 + 1002,
    );
    const final = await expireSoon(store);
    expect(final[0]).toMatchObject({
      requeued: false,
      started: true,
      job: { status: 'failed', attempts: 2 },
    });
    expect((await store.listAttempts(first!.id)).map((a) => [a.outcome, a.owner])).toEqual([
      ['lease_expired', 'dead-worker'],
      ['lease_expired', 'w2'],
    ]);
  });

  it('tells when the earliest running lease expires', async () => {
    const { store } = await createTestStore(engine);
    expect(await store.msUntilNextLeaseExpiry()).toBeNull();
    await store.insertJobs([newJob(), newJob()], T0);
    await claim(store, T0, 1, 'a', 50_000);
    await claim(store, T0 + 1e9, 1, 'b', 10_000);
    // The earliest is b's, counted on the store's clock whatever `now` its claimer passed.
    const msUntil = await store.msUntilNextLeaseExpiry();
    expect(msUntil).toBeGreaterThan(0);
    expect(msUntil).toBeLessThanOrEqual(10_000);
  });

  it('releases a running job without counting the attempt', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob()], T0);
    const [job] = await claim(store);
    const ok = await store.releaseJobs(
      [{ id: job!.id, token: job!.leaseToken, runAt: T0 }],
      T0 + 10,
    );
    expect(ok.has(job!.id)).toBe(true);
    expect(await store.getJob(job!.id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      leaseOwner: null,
    });
    const [again] = await claim(store, T0 + 10);
    expect(again).toMatchObject({ attempts: 0, leaseToken: 2 });
    // Started, then released: the attempt is given back all the same.
    await store.heartbeat(
      [{ id: again!.id, token: again!.leaseToken, leaseMs: 1000, started: true }],
      T0 + 11,
    );
    expect(await store.getJob(again!.id)).toMatchObject({ attempts: 1 });
    await store.releaseJobs([{ id: again!.id, token: again!.leaseToken, runAt: T0 }], T0 + 12);
    expect(await store.getJob(again!.id)).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('charges an attempt once when its handler starts, and never for a lease that expired unstarted', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob({ maxAttempts: 1 })], T0);
    // Prefetched by a worker that died before starting it: it comes back whole, with no history.
    const [prefetched] = await claim(store, T0, 1, 'dead-worker', 1);
    const expired = await expireSoon(store);
    expect(expired[0]).toMatchObject({
      requeued: true,
      started: false,
      job: { status: 'queued', attempts: 0, lastError: null },
    });
    expect(await store.listAttempts(prefetched!.id)).toEqual([]);
    const [started] = await claim(store, T0 + 9_000);
    for (const at of [T0 + 1003, T0 + 1004]) {
      await store.heartbeat(
        [{ id: started!.id, token: started!.leaseToken, leaseMs: 1000, started: true }],
        at,
      );
    }
    expect(await store.getJob(started!.id)).toMatchObject({ attempts: 1 });
    await store.completeJobs(
      [{ id: started!.id, token: started!.leaseToken, result: 'ok' }],
      T0 + 1005,
    );
    expect(await store.getJob(started!.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('cancels queued and running jobs, refusing the running attempt afterwards', async () => {
    const { store } = await createTestStore(engine);
    const [queued, running] = await store.insertJobs([newJob({ runAt: T0 + 1e6 }), newJob()], T0);
    const [job] = await claim(store);
    expect(job!.id).toBe(running!.job.id);
    expect(await store.cancelJob(queued!.job.id, T0)).toBe(true);
    expect(await store.cancelJob(job!.id, T0)).toBe(true);
    expect(await store.cancelJob(job!.id, T0)).toBe(false);
    expect(
      (await store.heartbeat([{ id: job!.id, token: job!.leaseToken, leaseMs: 1000 }], T0)).size,
    ).toBe(0);
    expect((await store.getJob(job!.id))!.status).toBe('cancelled');
  });

  it('lists and counts jobs by status and type, newest first', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs([newJob({ payload: 1 }), newJob({ payload: 2, type: 'other' })], T0);
    await store.insertJobs([newJob({ payload: 3 })], T0 + 1);
    expect((await store.listJobs()).map((j) => j.payload)).toEqual([3, 2, 1]);
    expect((await store.listJobs({ type: 'render' })).map((j) => j.payload)).toEqual([3, 1]);
    expect((await store.listJobs({ limit: 1, offset: 1 })).map((j) => j.payload)).toEqual([2]);
    expect(await store.countJobs({ status: 'queued' })).toBe(3);
    expect(await store.countJobs({ type: 'other' })).toBe(1);
  });

  it('wakes a subscriber when jobs are inserted', async () => {
    const { store, db } = await createTestStore(engine);
    const other = db.open();
    const woken: (readonly string[])[] = [];
    const unsubscribe = await other.onJobsAvailable((types) => woken.push(types));
    await store.insertJobs([newJob()], T0);
    await expect
      .poll(() => woken.some((types) => types.length === 0 || types.includes('render')), {
        timeout: 5000,
      })
      .toBe(true);
    await unsubscribe();
    await other.close();
  });
});
