import { describe, expect, it, vi } from 'vitest';
import { ManualClock, MINUTE, SECOND } from '../../src/core/clock.js';
import type {
  DispatchedFinding,
  PredictedLateFinding,
  SlowFinding,
  StuckFinding,
} from '../../src/monitor/finding.js';
import { ManualScheduler } from '../../src/monitor/scheduler.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);
const SCAN = 10 * SECOND;

async function engineWithManualTime(engine: 'sqlite' | 'postgres') {
  const clock = new ManualClock(T0);
  const scheduler = new ManualScheduler(clock);
  // A long lease: the handlers below move the clock, and the lease must not run out meanwhile.
  const { mm } = await createTestEngine(engine, {
    clock,
    scheduler,
    leaseMs: 60 * MINUTE,
    heartbeatIntervalMs: 50,
    monitor: { scanIntervalMs: SCAN },
  });
  const handed: DispatchedFinding[] = [];
  mm.monitor.on('finding', (finding) => handed.push(finding));
  return { mm, clock, scheduler, handed };
}

describe.each(ENGINES)('monitor detection on the injected clock (%s)', (engine) => {
  it('finds a job stuck within stuckAfterMs plus one scan interval, hands it on once and restarts it', async () => {
    const { mm, scheduler, handed } = await engineWithManualTime(engine);
    const aborted: string[] = [];
    mm.define('hangs', {
      maxAttempts: 1,
      stuckAfterMs: MINUTE,
      async run(_payload, ctx) {
        await ctx.stage('Setting up database foundation', 25);
        await new Promise((resolve) =>
          ctx.signal.addEventListener('abort', resolve, { once: true }),
        );
        aborted.push(ctx.id);
      },
    });
    await mm.start();
    const job = await mm.enqueue('hangs');
    await vi.waitFor(async () =>
      expect((await mm.getJob(job.id))!.stage).toBe('Setting up database foundation'),
    );
    const { progressAt } = (await mm.getJob(job.id))!;

    while (handed.length === 0) await scheduler.advance(SECOND);
    const stuck = handed[0] as StuckFinding;
    expect(stuck).toMatchObject({
      kind: 'stuck',
      jobId: job.id,
      stage: 'Setting up database foundation',
      progress: 25,
      stuckAfterMs: MINUTE,
    });
    expect(stuck.summary).toContain("stuck at 'Setting up database foundation' (25%)");
    expect(stuck.detectedAt - (progressAt! + MINUTE)).toBeGreaterThanOrEqual(0);
    expect(stuck.detectedAt - (progressAt! + MINUTE)).toBeLessThanOrEqual(SCAN);

    await vi.waitFor(async () =>
      expect(await mm.getJob(job.id)).toMatchObject({
        status: 'failed',
        lastError: { code: 'ERR_JOB_STUCK' },
      }),
    );
    await vi.waitFor(() => expect(aborted).toEqual([job.id]));
    await scheduler.advance(5 * MINUTE);
    expect(handed.filter((f) => f.kind === 'stuck')).toHaveLength(1);
    const health = await mm.monitor.health();
    expect(health).toMatchObject({
      isLeader: true,
      leader: { alive: true },
      findings: { stuck: { handled: 1 } },
    });
    expect(health.lastScan!.candidates).toBe(0);
  });

  it('learns durations from successful runs and flags a job predicted late, then slow, per attempt and per stage', async () => {
    const { mm, clock, scheduler, handed } = await engineWithManualTime(engine);
    let release = () => {};
    mm.define('render', {
      stages: [
        { name: 'Draft', percent: 10 },
        { name: 'Polish', percent: 60 },
      ],
      async run(payload, ctx) {
        await ctx.stage('Draft', 10);
        if (payload === 'slow') return new Promise<void>((resolve) => (release = resolve));
        clock.advance(4 * SECOND);
        await ctx.stage('Polish', 60);
        clock.advance(6 * SECOND);
      },
    });
    await mm.start();
    // One at a time, so that no other run moves the clock while one is timed.
    for (let i = 0; i < 20; i++) {
      const done = waitForEvents(mm, 'job:completed');
      await mm.enqueue('render', i);
      await done;
    }
    await scheduler.advance(SCAN); // flushes the learned durations
    mm.monitor.refreshLearnedDurations();

    const slow = await mm.enqueue('render', 'slow');
    await vi.waitFor(async () => expect((await mm.getJob(slow.id))!.stage).toBe('Draft'));
    await scheduler.advance(SCAN);
    const predicted = handed.find(
      (f): f is PredictedLateFinding & { id: number } => f.kind === 'predicted_late',
    );
    expect(predicted).toMatchObject({
      jobId: slow.id,
      basis: 'learned',
      samples: 20,
      expectedMs: 10 * SECOND,
      thresholdMs: 15 * SECOND,
    });
    expect(predicted!.predictedTotalMs).toBe(predicted!.elapsedMs * 10);
    expect(predicted!.predictedFinishAt).toBe(
      predicted!.detectedAt - predicted!.elapsedMs + predicted!.predictedTotalMs,
    );
    expect(handed.some((f) => f.kind === 'slow' && f.scope === 'attempt')).toBe(false);
    const stageSlow = handed.find(
      (f): f is SlowFinding & { id: number } => f.kind === 'slow' && f.scope === 'stage',
    );
    expect(stageSlow).toMatchObject({
      jobId: slow.id,
      stage: 'Draft',
      expectedMs: 4 * SECOND,
      basis: 'learned',
    });

    await scheduler.advance(SCAN);
    const attemptSlow = handed.find(
      (f): f is SlowFinding & { id: number } => f.kind === 'slow' && f.scope === 'attempt',
    );
    expect(attemptSlow).toMatchObject({
      jobId: slow.id,
      expectedMs: 10 * SECOND,
      thresholdMs: 15 * SECOND,
      samples: 20,
    });
    expect(attemptSlow!.elapsedMs).toBeGreaterThan(15 * SECOND);
    await scheduler.advance(3 * SCAN);
    expect(handed.filter((f) => f.kind !== 'failed')).toHaveLength(3);
    const finished = waitForEvents(mm, 'job:completed');
    release();
    await finished;
  });
});
