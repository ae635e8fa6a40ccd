import { describe, expect, it } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import { ExponentialBackoff } from '../../src/orchestrator/retry-policy.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

// Retries come back at once so tests wait on conditions, not on backoff.
const immediateRetry = {
  retryPolicy: new ExponentialBackoff({ initialDelayMs: 1, maxDelayMs: 1 }),
};

function waitForRecorded(mm: MegaMind, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    mm.on('pattern:recorded', () => {
      if (++seen === count) resolve();
    });
  });
}

describe.each(ENGINES)('pattern learning in the engine (%s)', (engine) => {
  it('counts a job failing with ECONNREFUSED three times on one pattern, with three occurrences linked to the job', async () => {
    const { mm } = await createTestEngine(engine, immediateRetry);
    mm.define('sync-orders', {
      maxAttempts: 3,
      async run(_payload, ctx) {
        await ctx.stage('Connecting to the warehouse database', 10);
        throw Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${5433 + ctx.attempt}`), {
          code: 'ECONNREFUSED',
        });
      },
    });
    const job = await mm.enqueue('sync-orders');
    const recorded = waitForRecorded(mm, 3);
    // Learning runs in the failure chain, before the write: wait for the last failure to land too.
    const failedForGood = new Promise<void>((resolve) =>
      mm.on('job:failed', (_job, _error, retryAt) => retryAt === null && resolve()),
    );
    const events: string[] = [];
    mm.on('pattern:recorded', (pattern, failed) =>
      events.push(`${failed.id}:${pattern.signature}`),
    );
    await mm.start();
    await Promise.all([recorded, failedForGood]);
    const patterns = await mm.patterns.list();
    expect(patterns).toHaveLength(1);
    const [pattern] = patterns;
    expect(pattern!.occurrenceCount).toBe(3);
    expect(['network', 'database_connection']).toContain(pattern!.category);
    expect(pattern!.source).toBe('rule');
    expect(new Set(events)).toEqual(new Set([`${job.id}:${pattern!.signature}`]));
    const occurrences = await mm.patterns.occurrences(pattern!.id);
    expect(occurrences.map((o) => [o.jobId, o.attempt])).toEqual([
      [job.id, 3],
      [job.id, 2],
      [job.id, 1],
    ]);
    expect((await mm.getJob(job.id))!.status).toBe('failed');
  });

  it('records a job whose lease expired as stuck in its stage', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => 'ok' });
    const job = await mm.enqueue('render', null, { runAt: Date.now() - 5000 });
    // A worker that claimed the job and died: its lease ran out a second ago.
    const claimed = await mm.store.claimJobs({
      types: ['render'],
      owner: 'dead-worker',
      leaseMs: 1,
      limit: 1,
      now: Date.now() - 1000,
    });
    expect(claimed.map((j) => j.id)).toEqual([job.id]);
    // Its handler had started (a job it only prefetched would come back with no attempt spent).
    await mm.store.heartbeat(
      [{ id: job.id, token: claimed[0]!.leaseToken, leaseMs: 1, started: true }],
      Date.now() - 1000,
    );
    const recorded = waitForRecorded(mm, 1);
    const expired: string[] = [];
    mm.on('job:lease-expired', (j) => expired.push(j.id));
    const completed = waitForEvents(mm, 'job:completed');
    await mm.start();
    await Promise.all([recorded, completed]);
    expect(expired).toEqual([job.id]);
    const [pattern] = await mm.patterns.list();
    expect(pattern).toMatchObject({
      category: 'orchestrator_stuck',
      source: 'synthetic',
      occurrenceCount: 1,
    });
    expect((await mm.patterns.occurrences(pattern!.id)).map((o) => [o.jobId, o.attempt])).toEqual([
      [job.id, 1],
    ]);
  });

  it('records nothing with learnPatterns off', async () => {
    const { mm } = await createTestEngine(engine, { ...immediateRetry, learnPatterns: false });
    mm.define('flaky', {
      maxAttempts: 1,
      run: () => Promise.reject(new Error('deadlock detected')),
    });
    await mm.enqueue('flaky');
    const failed = waitForEvents(mm, 'job:failed');
    await mm.start();
    await failed;
    await mm.stop();
    expect(await mm.store.listPatterns()).toEqual([]);
  });

  it('lets the pattern book be used before start(), migrating the store first', async () => {
    const { mm } = await createTestEngine(engine);
    const { pattern } = await mm.patterns.record(
      { message: 'deadlock detected', code: '40P01' },
      Date.now(),
    );
    expect(pattern.category).toBe('database_query');
    expect((await mm.patterns.list()).map((p) => p.id)).toEqual([pattern.id]);
  });
});
