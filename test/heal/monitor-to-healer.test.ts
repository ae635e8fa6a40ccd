import { describe, expect, it, vi } from 'vitest';
import { ManualClock, MINUTE, SECOND } from '../../src/core/clock.js';
import type { Healing } from '../../src/core/types.js';
import type { DispatchedFinding } from '../../src/monitor/finding.js';
import { ManualScheduler } from '../../src/monitor/scheduler.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);
const SCAN = 10 * SECOND;

describe.each(ENGINES)('the monitor hands stuck jobs to the healer (%s)', (engine) => {
  it('restarts a job stuck at its stage through the healer, and the run that follows validates the heal', async () => {
    const clock = new ManualClock(T0);
    const scheduler = new ManualScheduler(clock);
    const { mm } = await createTestEngine(engine, {
      clock,
      scheduler,
      leaseMs: 60 * MINUTE,
      heartbeatIntervalMs: 50,
      monitor: { scanIntervalMs: SCAN },
      heal: { backoff: { initialDelayMs: 1, maxDelayMs: 1 }, random: 5 },
    });
    const handed: DispatchedFinding[] = [];
    mm.monitor.on('finding', (finding) => handed.push(finding));
    const healings: (Healing | null)[] = [];
    mm.define('hangs-once', {
      maxAttempts: 1,
      stuckAfterMs: MINUTE,
      async run(_payload, ctx) {
        healings.push(ctx.healing);
        await ctx.stage('Setting up database foundation', 25);
        // The first attempt waits for something that never answers; the restarted one finishes.
        if (ctx.healing === null)
          await new Promise((resolve) =>
            ctx.signal.addEventListener('abort', resolve, { once: true }),
          );
        return 'done';
      },
    });
    await mm.start();
    const job = await mm.enqueue('hangs-once');
    await vi.waitFor(async () =>
      expect((await mm.getJob(job.id))!.stage).toBe('Setting up database foundation'),
    );
    while (handed.length === 0) await scheduler.advance(SECOND);
    expect(handed[0]).toMatchObject({ kind: 'stuck', jobId: job.id });
    await vi.waitFor(
      async () =>
        expect(await mm.getJob(job.id)).toMatchObject({
          status: 'completed',
          result: 'done',
          selfHealed: true,
        }),
      { timeout: 15_000 },
    );
    // The first attempt saw no healing; the restarted one sees what the healer did.
    expect(healings).toHaveLength(2);
    expect(healings[0]).toBeNull();
    expect(healings[1]).toMatchObject({ patternId: expect.any(String) });
    expect(['resume_from_checkpoint', 'restart_job', 'retry_with_backoff']).toContain(
      healings[1]!.action,
    );
    const [heal] = await vi.waitFor(async () => {
      const rows = await mm.improvements({ jobId: job.id });
      expect(rows[0]?.validationStatus).toBe('validated');
      return rows;
    });
    expect(heal).toMatchObject({
      outcome: 'success',
      detected: { category: 'orchestrator_stuck' },
    });
  });
});
