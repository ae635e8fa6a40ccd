import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import { SECOND } from '../../src/core/clock.js';
import type { Job } from '../../src/core/types.js';
import { createTestEngine, settledJob } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

// Renewals far apart: the worker learns of the revoked lease only when its failure is refused.
const SLOW_RENEWALS = { leaseMs: 120 * SECOND, heartbeatIntervalMs: 60 * SECOND };
const HEAL = { backoff: { initialDelayMs: 1, maxDelayMs: 1 }, random: 5 };

/** A promise a handler waits on, released by the test (and when it ends). */
function gate(): { released: Promise<void>; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  onTestFinished(() => release());
  return { released, release };
}

/**
 * Defines `flaky-upstream`, whose runs (counted from 1) pass, fail with a 503, or wait for
 * `released` and then fail, as `script` says.
 */
function flakyUpstream(
  mm: MegaMind,
  script: (run: number) => 'pass' | 'fail' | 'hold',
  released: Promise<void>,
): { runs: number } {
  const upstream = { runs: 0 };
  mm.define('flaky-upstream', {
    maxAttempts: 5,
    async run() {
      const step = script(++upstream.runs);
      if (step === 'pass') return 'done';
      if (step === 'hold') await released;
      throw new Error('upstream answered 503 Service Unavailable');
    },
  });
  return upstream;
}

/** Takes a running job back, as an operator or the monitor would, bumping its lease token. */
async function revokeRunning(mm: MegaMind, id: string): Promise<Job | undefined> {
  const running = (await mm.getJob(id))!;
  return mm.store.monitoring.revokeLease(
    {
      id,
      token: running.leaseToken,
      error: { message: 'restarted by an operator', attempt: running.attempts, at: Date.now() },
    },
    Date.now(),
  );
}

describe.each(ENGINES)('a heal decided for an attempt that had lost the job (%s)', (engine) => {
  it('is closed as abandoned, not left pending beside the heal of the attempt that owns the job', async () => {
    const { mm } = await createTestEngine(engine, { ...SLOW_RENEWALS, heal: HEAL });
    const { released, release } = gate();
    // The first run waits for the test, then fails; the next one passes.
    const upstream = flakyUpstream(mm, (run) => (run > 1 ? 'pass' : 'hold'), released);
    await mm.start();
    const job = await mm.enqueue('flaky-upstream');
    await vi.waitFor(() => expect(upstream.runs).toBe(1));
    // Someone else (an operator, the monitor) takes the job back while the first attempt still runs.
    expect((await revokeRunning(mm, job.id))?.status).toBe('queued');
    release();

    expect((await settledJob(mm, job.id)).status).toBe('completed');
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

  it('sends no dead-letter notification for an escalation whose failure was refused', async () => {
    const notified: string[] = [];
    const { mm } = await createTestEngine(engine, {
      ...SLOW_RENEWALS,
      heal: {
        ...HEAL,
        maxHealsPerJob: 1,
        escalation: { notify: (escalation) => void notified.push(escalation.reason) },
      },
    });
    const { released, release } = gate();
    // The second failure spends the heal budget of one: the healer escalates it.
    const script = (run: number) => (run === 3 ? 'pass' : run === 2 ? 'hold' : 'fail');
    const upstream = flakyUpstream(mm, script, released);
    await mm.start();
    const job = await mm.enqueue('flaky-upstream');
    await vi.waitFor(() => expect(upstream.runs).toBe(2), SLOW_MACHINE);
    expect((await revokeRunning(mm, job.id))?.status).toBe('queued');
    release();
    expect((await settledJob(mm, job.id)).status).toBe('completed');
    await vi.waitFor(async () => {
      const heals = await mm.improvements({ jobId: job.id });
      expect(heals.map((heal) => heal.action)).toContain('escalate');
      expect(heals.every((heal) => heal.validationStatus !== 'pending')).toBe(true);
    }, SLOW_MACHINE);
    await mm.healer!.idle();
    // The escalation never happened (its write was refused), so nobody was told of it.
    expect(notified).toEqual([]);
  });
});
