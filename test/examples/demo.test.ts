import { describe, expect, it, onTestFinished } from 'vitest';
import { prepareDemo } from '../../src/examples/demo.js';
import { GENERATE_APP } from '../../src/examples/generate-app-pipeline.js';
import { ExponentialBackoff } from '../../src/orchestrator/retry-policy.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

describe.each(ENGINES)('the demo pipeline (%s)', (engine) => {
  it('runs generate-app through its stages against the misbehaving services; retries get the transient failures through', async () => {
    const { mm } = await createTestEngine(engine, {
      retryPolicy: new ExponentialBackoff({ initialDelayMs: 50, maxDelayMs: 400 }),
    });
    const demo = await prepareDemo(mm, {
      seed: 3,
      initialJobs: 6,
      intervalMs: 60_000,
      largeShare: 0,
      services: {
        faults: {
          overloaded: 0.15,
          truncated: 0.15,
          modelReset: 0.15,
          hang: 0.3,
          registryReset: 0.3,
        },
        rateLimit: { requests: 6, windowMs: 300 },
        msPerFile: 5,
      },
      pipeline: { timeoutMs: 1_500, maxAttempts: 12 },
    });
    onTestFinished(() => demo.stop());
    const stages: string[] = [];
    mm.on('job:progress', (_job, stage) => stage && !stages.includes(stage) && stages.push(stage));
    await mm.start();
    await demo.run();
    const ended = async () =>
      (await mm.countJobs({ status: 'completed' })) + (await mm.countJobs({ status: 'failed' }));
    await expect.poll(ended, { timeout: 25_000, interval: 100 }).toBe(6);
    expect((await mm.listJobs({ status: 'failed' })).map((job) => job.lastError?.message)).toEqual(
      [],
    );
    expect(stages).toEqual([
      'Planning',
      'Setting up database foundation',
      'Generating code',
      'Building',
      'Deploying',
    ]);
    const jobs = await mm.listJobs({ type: GENERATE_APP });
    // Every failure on the way was a fault of the services, and each was learned as a pattern.
    expect(jobs.some((job) => job.attempts > 1)).toBe(true);
    const categories = new Set((await mm.patterns.list()).map((p) => p.category));
    expect(categories.size).toBeGreaterThanOrEqual(2);
    const faults = Object.entries(demo.services.counts)
      .filter(([key, n]) => !key.endsWith(':ok') && n > 0)
      .map(([key]) => key);
    expect(faults.length).toBeGreaterThanOrEqual(3);
  });

  it("fails a large app's build for good while nothing lowers its batch size", async () => {
    const { mm } = await createTestEngine(engine, {
      retryPolicy: new ExponentialBackoff({ initialDelayMs: 20, maxDelayMs: 50 }),
    });
    const demo = await prepareDemo(mm, {
      initialJobs: 1,
      intervalMs: 60_000,
      largeShare: 1,
      firstJobHangs: false,
      services: {
        faults: { overloaded: 0, truncated: 0, modelReset: 0, hang: 0, registryReset: 0 },
        msPerFile: 1,
      },
      pipeline: { maxAttempts: 2 },
    });
    onTestFinished(() => demo.stop());
    await mm.start();
    await demo.run();
    await expect
      .poll(() => mm.countJobs({ status: 'failed' }), { timeout: 15_000, interval: 100 })
      .toBe(1);
    const [job] = await mm.listJobs({ type: GENERATE_APP });
    expect(job!.stage).toBe('Building');
    expect(job!.lastError?.message).toContain('JavaScript heap out of memory');
    expect(job!.checkpoint).toEqual({ stagesDone: 3, lastStage: 'Generating code' });
  });

  it('fails the largest apps for good while nothing raises their timeout: that is what the healer is for', async () => {
    const { mm } = await createTestEngine(engine, {
      retryPolicy: new ExponentialBackoff({ initialDelayMs: 20, maxDelayMs: 50 }),
    });
    const demo = await prepareDemo(mm, {
      initialJobs: 1,
      intervalMs: 60_000,
      largeShare: 1,
      firstJobHangs: false,
      services: {
        faults: { overloaded: 0, truncated: 0, modelReset: 0, hang: 0, registryReset: 0 },
        msPerFile: 25,
      },
      pipeline: { maxAttempts: 2, timeoutMs: 1_000 },
    });
    onTestFinished(() => demo.stop());
    await mm.start();
    await demo.run();
    await expect
      .poll(() => mm.countJobs({ status: 'failed' }), { timeout: 15_000, interval: 100 })
      .toBe(1);
    const [job] = await mm.listJobs({ type: GENERATE_APP });
    expect(job!.stage).toBe('Generating code');
    expect(job!.lastError?.message).toBe('job exceeded its timeout of 1000 ms');
  });
});
