import { describe, expect, it, onTestFinished } from 'vitest';
import { createMegaMindClient } from '../../src/app/client.js';
import { describeJobType } from '../../src/orchestrator/job-definition.js';
import { createTestEngine } from '../helpers/engines.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.js';

function clientOn(db: TestDatabase) {
  const client = createMegaMindClient({ store: db.open(), closeStore: true });
  onTestFinished(() => client.close());
  return client;
}

describe.each(ENGINES)('a client without handlers (%s)', (engine) => {
  it('enqueues a type a worker described in the store, with its knobs and attempts, and the worker runs it', async () => {
    const db = await createTestDatabase(engine);
    const { mm } = await createTestEngine(engine, {}, db);
    mm.define('generate-app', {
      maxAttempts: 4,
      stuckAfterMs: 60_000,
      stages: [{ name: 'Setting up database foundation', percent: 25 }],
      knobs: { model: { kind: 'choice', default: 'gpt-4o', options: ['gpt-4o', 'gpt-4o-mini'] } },
      resources: ['openai'],
      run: (payload, ctx) => ({ built: payload, model: ctx.knobs.model ?? null }),
    });
    await mm.start();

    const client = clientOn(db);
    expect(await client.jobTypes()).toEqual([
      {
        type: 'generate-app',
        stages: [{ name: 'Setting up database foundation', percent: 25 }],
        knobs: { model: { kind: 'choice', default: 'gpt-4o', options: ['gpt-4o', 'gpt-4o-mini'] } },
        resources: ['openai'],
        expectedDurationMs: null,
        stuckAfterMs: 60_000,
        timeoutMs: null,
        maxAttempts: 4,
        concurrency: 1,
        describedAt: expect.any(Number),
      },
    ]);
    const completed = new Promise<void>((resolve) => mm.on('job:completed', () => resolve()));
    const job = await client.enqueue(
      'generate-app',
      { prompt: 'todo' },
      { knobs: { model: 'gpt-4o-mini' } },
    );
    expect(job).toMatchObject({
      status: 'queued',
      maxAttempts: 4,
      knobs: { model: 'gpt-4o-mini' },
    });
    await completed;
    expect(await client.getJob(job.id)).toMatchObject({
      status: 'completed',
      result: { built: { prompt: 'todo' }, model: 'gpt-4o-mini' },
    });
    expect((await client.listJobs({ status: 'completed' })).map((j) => j.id)).toEqual([job.id]);
    expect(await client.countJobs({ type: 'generate-app' })).toBe(1);
  });

  it('validates knobs against the stored description and cancels a queued job', async () => {
    const db = await createTestDatabase(engine);
    const { mm } = await createTestEngine(engine, {}, db);
    mm.define('resize', {
      knobs: { quality: { kind: 'number', default: 80, min: 10, max: 100 } },
      run: () => null,
    });
    await mm.store.migrate();
    // Described as a worker would at start(), without starting one: the job must stay queued.
    await mm.store.describeJobTypes(
      [describeJobType(mm.definition('resize')!, Date.now())],
      Date.now(),
    );
    const client = clientOn(db);
    await expect(client.enqueue('resize', null, { knobs: { quality: 5 } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: 'knob "quality" of job type "resize" must be within [10, 100], got 5',
    });
    const job = await client.enqueue('resize', null, { delayMs: 60_000 });
    expect(await client.cancel(job.id)).toBe(true);
    expect((await client.getJob(job.id))?.status).toBe('cancelled');
    expect(await client.cancel(job.id)).toBe(false);
  });

  it('refuses a type no worker described, naming the known ones, and stores nothing', async () => {
    const db = await createTestDatabase(engine);
    const client = clientOn(db);
    await expect(client.enqueue('render', {})).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_JOB_TYPE',
      message: 'unknown job type "render" (no worker has described any job type yet)',
    });
    const { mm } = await createTestEngine(engine, {}, db);
    mm.define('render-page', { run: () => null });
    await mm.start();
    await expect(
      client.enqueueMany([{ type: 'render-page' }, { type: 'render' }]),
    ).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_JOB_TYPE',
      message: 'item 1: unknown job type "render" (known: render-page)',
    });
    expect(await client.countJobs()).toBe(0);
  });
});
