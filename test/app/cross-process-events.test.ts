import { describe, expect, it, onTestFinished } from 'vitest';
import { createMegaMindClient } from '../../src/app/client.js';
import type { Job } from '../../src/core/types.js';
import { createTestEngine } from '../helpers/engines.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';
import { workerProcess } from '../helpers/worker-process.js';

describe.each(ENGINES)('events across processes (%s)', (engine) => {
  it('reports job:completed and job:failed of jobs another process ran, and result() waits for them', async () => {
    const db = await createTestDatabase(engine);
    await workerProcess(db);
    const client = createMegaMindClient({ store: db.open(), closeStore: true });
    onTestFinished(() => client.close());
    const completed: Job[] = [];
    const failed: Array<[Job, string, number | null]> = [];
    client.on('job:completed', (job) => completed.push(job));
    client.on('job:failed', (job, error, retryAt) => failed.push([job, error.message, retryAt]));
    await client.watch();

    const ok = await client.enqueue('double', { n: 21 });
    const doomed = await client.enqueue('doomed', {});
    expect(await client.result(ok.id, { timeoutMs: 20_000 })).toEqual({ doubled: 42 });
    await expect(client.result(doomed.id, { timeoutMs: 20_000 })).rejects.toMatchObject({
      code: 'ERR_JOB_FAILED',
      message: `job ${doomed.id} (doomed) failed: the upstream said no`,
      job: { id: doomed.id, status: 'failed' },
    });
    await expect.poll(() => completed.map((job) => job.id), { timeout: 10_000 }).toEqual([ok.id]);
    await expect
      .poll(() => failed.map(([job, message, retryAt]) => [job.id, message, retryAt]), {
        timeout: 10_000,
      })
      .toEqual([[doomed.id, 'the upstream said no', null]]);
    expect(completed[0]).toMatchObject({ status: 'completed', result: { doubled: 42 } });
  });

  it('an engine that watches does not report its own jobs twice', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('double', { run: (payload) => ({ doubled: (payload as { n: number }).n * 2 }) });
    const completed: string[] = [];
    mm.on('job:completed', (job) => completed.push(job.id));
    await mm.watch();
    await mm.start();
    const job = await mm.enqueue('double', { n: 2 });
    expect(await mm.result(job.id, { timeoutMs: 20_000 })).toEqual({ doubled: 4 });
    // A second job finishing proves the watch has caught up past the first.
    const next = await mm.enqueue('double', { n: 3 });
    await mm.result(next.id, { timeoutMs: 20_000 });
    await expect.poll(() => completed, { timeout: 10_000 }).toEqual([job.id, next.id]);
  });

  it('result() says when a job does not finish in time, or does not exist', async () => {
    const db = await createTestDatabase(engine);
    const client = createMegaMindClient({ store: db.open(), closeStore: true });
    onTestFinished(() => client.close());
    const mm = client;
    await mm.ready();
    // As a worker describes its types; this one never runs the job.
    await mm.store.describeJobTypes(
      [
        {
          type: 'slow',
          stages: [],
          knobs: {},
          resources: [],
          expectedDurationMs: null,
          stuckAfterMs: 60_000,
          timeoutMs: null,
          maxAttempts: 1,
          concurrency: 1,
          describedAt: 0,
        },
      ],
      0,
    );
    const job = await mm.enqueue('slow', null);
    await expect(mm.result(job.id, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 'ERR_WAIT_TIMEOUT',
      message: `job ${job.id} (slow) is still queued after 50 ms`,
    });
    await expect(mm.result('f0f0f0f0-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'ERR_JOB_NOT_FOUND',
    });
  });
});
