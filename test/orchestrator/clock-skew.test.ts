import { describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { faultyStore } from '../helpers/faulty-store.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';

/** A wall clock off by `offset` ms, which the test may change mid-run (an NTP step). */
function skewedClock(offset: { ms: number }): Clock {
  return { now: () => Date.now() + offset.ms };
}

const CASES = [
  {
    name: 'a worker 30 s behind keeps its leases against a correct peer',
    worker: -30_000,
    peer: 0,
    stepTo: undefined,
  },
  {
    name: 'a peer 30 s ahead does not steal a live lease',
    worker: 0,
    peer: 30_000,
    stepTo: undefined,
  },
  {
    name: 'a worker whose clock steps 1 h forward does not re-run its own live job',
    worker: 0,
    peer: 0,
    stepTo: 3_600_000,
  },
];

describe.each(ENGINES)('clock skew (%s)', (engine) => {
  it.each(CASES)('$name', async ({ worker, peer, stepTo }) => {
    const db = await createTestDatabase(engine);
    const workerOffset = { ms: worker };
    let renewals = 0;
    const store = faultyStore(db.open(), {
      heartbeat: (real, writes, now) => (renewals++, real.heartbeat(writes, now)),
    });
    // Long enough that a loaded machine renews in time; skew and steps are far larger than it.
    // The monitor is off: its stuck detector judges progress stamps by its own clock, which is the
    // monitor's concern; these cases are about leases.
    const lease = { leaseMs: 2500, heartbeatIntervalMs: 100, monitor: false };
    const { mm: a } = await createTestEngine(
      engine,
      { ...lease, store, clock: skewedClock(workerOffset), workerId: 'a' },
      db,
    );
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    a.define('long', { run: async () => (await gate, 'by a') });
    const job = await a.enqueue('long', null, { runAt: 0 });
    const started = waitForEvents(a, 'job:started');
    await a.start();
    await started;

    const { mm: b } = await createTestEngine(
      engine,
      { ...lease, clock: skewedClock({ ms: peer }), workerId: 'b' },
      db,
    );
    let ranOnB = 0;
    b.define('long', { run: () => void ranOnB++ });
    await b.start();
    if (stepTo !== undefined) workerOffset.ms = stepTo;
    // Several leases' worth of renewals, with a peer sweeping every 50 ms all along.
    const from = renewals;
    await vi.waitFor(() => expect(renewals - from).toBeGreaterThanOrEqual(60), {
      timeout: 30_000,
      interval: 50,
    });
    finish();
    await vi.waitFor(
      async () =>
        expect(await b.getJob(job.id)).toMatchObject({
          status: 'completed',
          result: 'by a',
          attempts: 1,
        }),
      { timeout: 10_000 },
    );
    expect(await b.listAttempts(job.id)).toEqual([]);
    expect(ranOnB).toBe(0);
  });
});
