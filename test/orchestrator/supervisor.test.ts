import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { faultyStore } from '../helpers/faulty-store.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';

describe.each(ENGINES)('supervisor (%s)', (engine) => {
  it('runs tasks hung on it on the engine clock: a test drives them by advancing time', async () => {
    const clock = new ManualClock(Date.now());
    const { mm } = await createTestEngine(engine, { clock, pollIntervalMs: 1000 });
    const errors: Error[] = [];
    mm.on('worker:error', (error) => errors.push(error));
    let runs = 0;
    const remove = mm.supervisor.addTask('detector', 5000, () => {
      runs++;
      if (runs === 3) throw new Error('detector broke once');
    });
    expect(() => mm.supervisor.addTask('detector', 10, () => {})).toThrow(
      'supervisor task "detector" already exists',
    );
    expect(mm.supervisor.tasks).toEqual(['lease-sweep', 'detector']);
    expect(runs).toBe(0);
    await mm.start();
    expect(runs).toBe(1);
    clock.advance(4999);
    expect(runs).toBe(1);
    clock.advance(1);
    await vi.waitFor(() => expect(runs).toBe(2));
    clock.advance(5000);
    await vi.waitFor(() =>
      expect([runs, errors.map((e) => e.message)]).toEqual([3, ['detector broke once']]),
    );
    clock.advance(5000);
    await vi.waitFor(() => expect(runs).toBe(4));
    remove();
    clock.advance(20_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(4);
  });

  it('sweeps expired leases once per interval for the whole engine, not once per type', async () => {
    const clock = new ManualClock(Date.now());
    const db = await createTestDatabase(engine);
    let sweeps = 0;
    const store = faultyStore(db.open(), {
      expireLeases: (real, now) => (sweeps++, real.expireLeases(now)),
    });
    const { mm } = await createTestEngine(engine, { store, clock, pollIntervalMs: 1000 }, db);
    const types = ['a', 'b', 'c', 'd', 'e'];
    for (const type of types) mm.define(type, { run: () => 'done' });
    await mm.start();
    expect(sweeps).toBe(1);
    // A worker that died mid-attempt: its lease (1 ms on the store's clock) has run out.
    const [job] = await mm.store.insertJobs(
      [
        {
          type: 'c',
          payload: null,
          priority: 0,
          runAt: clock.now() + 3_600_000,
          maxAttempts: 3,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      clock.now(),
    );
    const [dead] = await mm.store.claimJobs({
      types: ['c'],
      owner: 'dead',
      leaseMs: 1,
      limit: 1,
      now: clock.now() + 3_600_000,
    });
    await mm.store.heartbeat(
      [{ id: dead!.id, token: dead!.leaseToken, leaseMs: 1, started: true }],
      clock.now(),
    );
    const done = waitForEvents(mm, 'job:completed');
    // Nothing sweeps until the test moves the clock by one interval.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sweeps).toBe(1);
    clock.advance(1000);
    await done;
    expect(sweeps).toBe(2);
    expect(await mm.getJob(job!.job.id)).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('reports the leases a sweep ended even when the sweep answered after its deadline', async () => {
    const db = await createTestDatabase(engine);
    let slow = true;
    const store = faultyStore(db.open(), {
      // The first sweep commits, then answers only after the engine stopped waiting for it.
      expireLeases: async (real, now) => {
        const expired = await real.expireLeases(now);
        if (slow) {
          slow = false;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        return expired;
      },
    });
    const { mm } = await createTestEngine(engine, { store, leaseMs: 100 }, db);
    mm.define('report', { maxAttempts: 3, run: () => 'done' });
    const job = await mm.enqueue('report');
    const [dead] = await mm.store.claimJobs({
      types: ['report'],
      owner: 'dead',
      leaseMs: 1,
      limit: 1,
      now: Date.now(),
    });
    await mm.store.heartbeat(
      [{ id: dead!.id, token: dead!.leaseToken, leaseMs: 1, started: true }],
      Date.now(),
    );
    const recovered = new Promise<string>((resolve) =>
      mm.on('job:lease-expired', (expired) => resolve(expired.id)),
    );
    const errors: string[] = [];
    mm.on('worker:error', (error) => errors.push(error.message));
    await mm.start();
    expect(await recovered).toBe(job.id);
    expect(errors.some((message) => message.includes('lease sweep'))).toBe(true);
  });
});
