import { describe, expect, it, onTestFinished } from 'vitest';
import { createMegaMindClient } from '../../src/app/client.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';
import { call, createTestApp } from './api-helpers.js';

describe.each(ENGINES)('an API server without handlers (%s)', (engine) => {
  it('enqueues through a client what a worker process described, and the worker runs it', async () => {
    const db = await createTestDatabase(engine);
    const { mm: worker } = await createTestEngine(engine, {}, db);
    worker.define('render', {
      knobs: { quality: { kind: 'number', default: 1, min: 1, max: 3 } },
      run: (payload) => ({ rendered: payload }),
    });
    await worker.start();

    const client = createMegaMindClient({ store: db.open(), closeStore: true });
    onTestFinished(() => client.close());
    const app = createTestApp(client);
    const completed = waitForEvents(worker, 'job:completed');
    const enqueued = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'render', payload: { page: 1 }, options: { knobs: { quality: 2 } } },
    });
    expect(enqueued.status).toBe(201);
    await completed;
    expect(
      (await call(app, 'GET', `/api/jobs/${enqueued.body.job.id}`, { role: 'read' })).body.job,
    ).toMatchObject({
      status: 'completed',
      result: { rendered: { page: 1 } },
      knobs: { quality: 2 },
    });
    const refused = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'render', options: { knobs: { quality: 9 } } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/quality/);
    expect(
      (await call(app, 'POST', '/api/jobs', { role: 'operate', body: { type: 'unknown' } })).status,
    ).toBe(400);
  });
});
