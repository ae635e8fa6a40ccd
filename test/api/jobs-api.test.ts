import { describe, expect, it } from 'vitest';
import { CancelAnswer, JobDetail, JobList, RetryAnswer } from '../../src/api/contracts.js';
import { insertImprovements } from '../helpers/improvements.js';
import { ENGINES } from '../helpers/stores.js';
import { waitForEvents } from '../helpers/engines.js';
import { call, createApiEngine, createTestApp } from './api-helpers.js';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(ENGINES)('jobs API (%s)', (engine) => {
  it('enqueues, lists with filters and paging, and counts the total', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    for (let i = 0; i < 3; i++)
      expect(
        (
          await call(app, 'POST', '/api/jobs', {
            role: 'operate',
            body: { type: 'ok', payload: { i } },
          })
        ).status,
      ).toBe(201);
    const boom = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'boom', options: { priority: 5, idempotencyKey: 'once' } },
    });
    expect(boom.body.job).toMatchObject({
      type: 'boom',
      status: 'queued',
      priority: 5,
      idempotencyKey: 'once',
    });
    expect(boom.body.job.leaseToken).toBeUndefined();

    const all = await call(app, 'GET', '/api/jobs', { role: 'read' });
    expect(JobList.parse(all.body).total).toBe(4);
    const page = await call(app, 'GET', '/api/jobs?type=ok&limit=2&offset=1', { role: 'read' });
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.body.jobs).toHaveLength(2);
    expect(page.body.jobs.every((j: { type: string }) => j.type === 'ok')).toBe(true);
    expect((await call(app, 'GET', '/api/jobs?status=failed', { role: 'read' })).body.total).toBe(
      0,
    );
  });

  it('answers 400 naming the field for a bad body, query or job type, and 404 for an unknown job', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/jobs', { payload: {} }, /body\.type/],
      ['POST', '/api/jobs', { type: 'nope' }, /unknown job type "nope"/],
      ['POST', '/api/jobs', { type: 'ok', options: { priority: 1.5 } }, /body\.options\.priority/],
      ['POST', '/api/jobs', { type: 'ok', extra: 1 }, /body.*extra/],
      ['POST', '/api/jobs', '{"type":', /body: not valid JSON/],
      ['GET', '/api/jobs?limit=0', undefined, /query\.limit/],
      ['GET', '/api/jobs?status=lost', undefined, /query\.status/],
      ['GET', '/api/jobs?color=red', undefined, /color/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await call(app, method, path, { body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/);
    }
    for (const [method, path] of [
      ['GET', `/api/jobs/${MISSING}`],
      ['POST', `/api/jobs/${MISSING}/cancel`],
      ['POST', `/api/jobs/${MISSING}/retry`],
      ['GET', '/api/jobs/not-a-uuid'],
    ]) {
      const res = await call(app, method!, path!);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('ERR_JOB_NOT_FOUND');
    }
    expect((await call(app, 'GET', '/api/jobs/bad%20id')).status).toBe(400);
    const huge = await call(app, 'POST', '/api/jobs', {
      body: { type: 'ok', payload: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('ERR_PAYLOAD_TOO_LARGE');
    expect((await call(app, 'GET', '/api/nothing')).body.error.code).toBe('ERR_NOT_FOUND');
    expect((await mm.listJobs()).length).toBe(0);
  });

  it('shows a failed job with its attempts, errors and heals, redacted, then retries it', async () => {
    const { mm, db } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const { body } = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'boom' },
    });
    const failed = waitForEvents(mm, 'job:failed');
    await mm.start();
    await failed;
    await insertImprovements(db, [
      {
        id: 'heal-1',
        jobId: body.job.id,
        patternId: null,
        action: 'retry_with_backoff',
        status: 'failed',
        at: 1,
      },
    ]);
    const detail = await call(app, 'GET', `/api/jobs/${body.job.id}`, { role: 'read' });
    expect(detail.status).toBe(200);
    const parsed = JobDetail.parse(detail.body);
    expect(parsed.job.status).toBe('failed');
    expect(parsed.attempts).toHaveLength(1);
    expect(parsed.errors[0]!.message).toContain('[REDACTED:openai_key]');
    expect(parsed.heals.map((h) => h.id)).toEqual(['heal-1']);
    expect(JSON.stringify(detail.body)).not.toMatch(/sk-proj-|ops@example\.com/);

    const failedAgain = waitForEvents(mm, 'job:failed');
    const retried = await call(app, 'POST', `/api/jobs/${body.job.id}/retry`, { role: 'operate' });
    // A started worker may claim the retried job at once.
    expect(RetryAnswer.parse(retried.body)).toMatchObject({
      retried: true,
      job: { status: expect.stringMatching(/^(queued|running)$/) },
    });
    await failedAgain;
    const again = await call(app, 'GET', `/api/jobs/${body.job.id}`, { role: 'read' });
    expect(again.body.attempts).toHaveLength(2);
    expect(
      (await call(app, 'POST', `/api/jobs/${body.job.id}/cancel`, { role: 'operate' })).body,
    ).toMatchObject({ cancelled: false });
  });

  it('cancels a queued job once', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const { body } = await call(app, 'POST', '/api/jobs', {
      role: 'operate',
      body: { type: 'ok', options: { delayMs: 60_000 } },
    });
    const first = await call(app, 'POST', `/api/jobs/${body.job.id}/cancel`, { role: 'operate' });
    expect(CancelAnswer.parse(first.body)).toMatchObject({
      cancelled: true,
      job: { status: 'cancelled' },
    });
    expect(
      (await call(app, 'POST', `/api/jobs/${body.job.id}/cancel`, { role: 'operate' })).body
        .cancelled,
    ).toBe(false);
    expect(
      (await call(app, 'POST', `/api/jobs/${body.job.id}/retry`, { role: 'operate' })).body,
    ).toMatchObject({ retried: true, job: { status: 'queued' } });
  });
});
