import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { SECOND } from '../../src/core/clock.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

describe.each(ENGINES)('a heal decided for an attempt that had lost the job (%s)', (engine) => {
  it('is closed as abandoned, not left pending beside the heal of the attempt that owns the job', async () => {
    // Renewals far apart: the worker learns of the revoked lease only when its failure is refused.
    const { mm } = await createTestEngine(engine, {
      leaseMs: 120 * SECOND,
      heartbeatIntervalMs: 60 * SECOND,
      heal: { backoff: { initialDelayMs: 1, maxDelayMs: 1 }, random: 5 },
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    onTestFinished(() => release());
    let runs = 0;
    mm.define('flaky-upstream', {
      maxAttempts: 5,
      async run() {
        runs += 1;
        if (runs > 1) return 'done';
        await released;
        throw new Error('upstream answered 503 Service Unavailable');
      },
    });
    await mm.start();
    const job = await mm.enqueue('flaky-upstream');
    await vi.waitFor(() => expect(runs).toBe(1));
    const running = (await mm.getJob(job.id))!;
    // Someone else (an operator, the monitor) takes the job back while the first attempt still runs.
    const revoked = await mm.store.monitoring.revokeLease(
      {
        id: job.id,
        token: running.leaseToken,
        error: { message: 'restarted by an operator', attempt: running.attempts, at: Date.now() },
      },
      Date.now(),
    );
    expect(revoked?.status).toBe('queued');
    release();

    await vi.waitFor(
      async () => expect((await mm.getJob(job.id))?.status).toBe('completed'),
      SLOW_MACHINE,
    );
    await vi.waitFor(async () => {
      const heals = await mm.improvements({ jobId: job.id });
      expect(heals).toHaveLength(1);
      expect(heals[0]).toMatchObject({ validationStatus: 'failed', outcome: 'abandoned' });
    }, SLOW_MACHINE);
    // The refused failure was not written: the job's record shows the revocation, not the 503.
    const attempts = await mm.listAttempts(job.id);
    expect(attempts.map((a) => a.error?.message ?? null)).not.toContain(
      'upstream answered 503 Service Unavailable',
    );
  });
});
