import { describe, expect, it } from 'vitest';
import type { NewImprovement } from '../../src/store/heal-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

async function pattern(store: Store) {
  return store.upsertPattern(
    {
      patternKey: '0123456789abcdef',
      template: '503 Service Unavailable',
      category: 'api_failure',
      transient: true,
      rootCause: 'overloaded',
      remedies: ['retry_with_backoff'],
      prevention: null,
      facts: {},
      source: 'rule',
      confidence: 0.6,
      example: '503 Service Unavailable',
    },
    T0,
  );
}

function heal(jobId: string, patternId: string, action = 'retry_with_backoff'): NewImprovement {
  return {
    jobId,
    jobType: 'sync',
    attempt: 1,
    patternId,
    patternNew: true,
    action,
    remedy: action,
    changesApplied: { delayMs: 10, params: {} },
    detected: { category: 'api_failure' },
    beforeMetrics: { attempt: 1 },
    confidence: 0.6,
  };
}

describe.each(ENGINES)('heal store conformance (%s)', (engine) => {
  it('logs heals pending and settles each once, with the outcome and after-metrics', async () => {
    const { store } = await createTestStore(engine);
    const p = await pattern(store);
    const [job] = await store.insertJobs(
      [
        {
          type: 'sync',
          payload: null,
          priority: 0,
          runAt: T0,
          maxAttempts: 3,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      T0,
    );
    const logged = await store.insertImprovement(heal(job!.job.id, p.id), T0 + 1);
    expect(logged).toMatchObject({
      validationStatus: 'pending',
      outcome: null,
      patternNew: true,
      confidence: 0.6,
      afterMetrics: null,
      createdAt: T0 + 1,
    });
    const settled = await store.settleImprovements(
      { jobId: job!.job.id, outcome: 'success', afterMetrics: { attempt: 2 } },
      T0 + 2,
    );
    expect(
      settled.map((i) => [i.id, i.validationStatus, i.outcome, i.afterMetrics, i.validatedAt]),
    ).toEqual([[logged.id, 'validated', 'success', { attempt: 2 }, T0 + 2]]);
    // A second settlement (another process seeing the same completion) finds nothing left to count.
    expect(
      await store.settleImprovements(
        { jobId: job!.job.id, outcome: 'success', afterMetrics: {} },
        T0 + 3,
      ),
    ).toEqual([]);
    await store.insertImprovement(heal(job!.job.id, p.id, 'open_circuit_breaker'), T0 + 4);
    const [failed] = await store.settleImprovements(
      { jobId: job!.job.id, outcome: 'changed', afterMetrics: {} },
      T0 + 5,
    );
    expect(failed).toMatchObject({ validationStatus: 'failed', outcome: 'changed' });
    expect((await store.listImprovements({ jobId: job!.job.id })).map((i) => i.action)).toEqual([
      'open_circuit_breaker',
      'retry_with_backoff',
    ]);
    expect((await store.listImprovements({ status: 'validated' })).map((i) => i.id)).toEqual([
      logged.id,
    ]);
    expect(
      await store.listImprovements({
        since: T0 + 4,
        action: 'open_circuit_breaker',
        patternId: p.id,
      }),
    ).toHaveLength(1);
  });

  it('counts remedy outcomes per pattern and remedy, and on the pattern itself', async () => {
    const { store } = await createTestStore(engine);
    const p = await pattern(store);
    const outcome = {
      patternId: p.id,
      remedy: 'increase_timeout{"factor":2}',
      action: 'increase_timeout',
      params: { factor: 2 },
    };
    await store.recordRemedyOutcome({ ...outcome, success: false, confidence: 0.4 }, T0 + 1);
    const stat = await store.recordRemedyOutcome(
      { ...outcome, success: true, confidence: 0.55 },
      T0 + 2,
    );
    expect(stat).toEqual({ ...outcome, successCount: 1, failureCount: 1, lastUsed: T0 + 2 });
    expect(await store.listRemedyStats([p.id])).toEqual([stat]);
    expect(await store.listRemedyStats(['nope'])).toEqual([]);
    expect(await store.getPattern(p.id)).toMatchObject({
      successCount: 1,
      failureCount: 1,
      confidence: 0.55,
      lastUsed: T0 + 2,
    });
    // Outcomes given with the tries before them are counted by repeat too; the others are not.
    expect(await store.listRemedyRepeats([p.id])).toEqual([]);
    await store.recordRemedyOutcome({ ...outcome, success: false, confidence: 0.5, tries: 0 }, T0);
    await store.recordRemedyOutcome({ ...outcome, success: true, confidence: 0.5, tries: 1 }, T0);
    await store.recordRemedyOutcome({ ...outcome, success: true, confidence: 0.5, tries: 1 }, T0);
    const repeats = await store.listRemedyRepeats([p.id]);
    expect(repeats.sort((a, b) => a.tries - b.tries)).toEqual([
      { patternId: p.id, remedy: outcome.remedy, tries: 0, successCount: 0, failureCount: 1 },
      { patternId: p.id, remedy: outcome.remedy, tries: 1, successCount: 2, failureCount: 0 },
    ]);
    expect(await store.listRemedyRepeats()).toHaveLength(2);
    expect((await store.listRemedyStats([p.id]))[0]).toMatchObject({
      successCount: 3,
      failureCount: 2,
    });
  });

  it('requeues a failed or queued job, restarts only the attempt whose token it names, and holds queued jobs', async () => {
    const { store } = await createTestStore(engine);
    const p = await pattern(store);
    const row = (type: string) => ({
      type,
      payload: null,
      priority: 0,
      runAt: T0,
      maxAttempts: 1,
      idempotencyKey: null,
      knobs: {},
    });
    const [, b, c] = await store.insertJobs([row('sync'), row('sync'), row('other')], T0);
    const error = {
      message: 'boom',
      attempt: 1,
      at: T0,
      healing: { patternId: p.id, action: 'retry' },
    };
    // A queued job is re-scheduled with the mark; a running one is not touched.
    expect(
      await store.requeueJob({ id: c!.job.id, runAt: T0, patternId: p.id, error }, T0),
    ).toMatchObject({ status: 'queued', healingPatternId: p.id });
    const [claimed] = await store.claimJobs({
      types: ['sync'],
      owner: 'w',
      leaseMs: 1000,
      limit: 1,
      now: T0,
    });
    expect(
      await store.restartJob(
        { id: claimed!.id, token: claimed!.leaseToken + 1, runAt: T0, patternId: p.id, error },
        T0,
      ),
    ).toBeUndefined();
    const restarted = await store.restartJob(
      {
        id: claimed!.id,
        token: claimed!.leaseToken,
        runAt: T0 + 7,
        knobs: { timeoutMs: 2000 },
        patternId: p.id,
        error,
      },
      T0 + 1,
    );
    expect(restarted).toMatchObject({
      status: 'queued',
      runAt: T0 + 7,
      knobs: { timeoutMs: 2000 },
      healingPatternId: p.id,
      healingTimestamp: T0 + 1,
      leaseOwner: null,
    });
    expect(restarted!.maxAttempts).toBeGreaterThan(restarted!.attempts);
    expect(restarted!.leaseToken).toBe(claimed!.leaseToken + 1);
    expect(restarted!.lastError?.healing).toEqual({ patternId: p.id, action: 'retry' });
    // The attempt it ended is in the job's history, as a revoked lease is.
    expect(await store.listAttempts(claimed!.id)).toEqual([
      expect.objectContaining({
        attempt: 1,
        leaseToken: claimed!.leaseToken,
        owner: 'w',
        outcome: 'revoked',
        error: expect.objectContaining({ message: 'boom' }),
        at: T0 + 1,
      }),
    ]);
    // The revoked attempt's late completion is refused.
    expect(
      await store.completeJobs(
        [{ id: claimed!.id, token: claimed!.leaseToken, result: 1 }],
        T0 + 2,
      ),
    ).toEqual(new Set());
    const [again] = await store.claimJobs({
      types: ['sync'],
      owner: 'w',
      leaseMs: 1000,
      limit: 1,
      now: T0 + 10,
    });
    await store.failJobs(
      [{ id: again!.id, token: again!.leaseToken, error, retryAt: null }],
      T0 + 11,
    );
    const requeued = await store.requeueJob(
      { id: again!.id, runAt: T0 + 20, patternId: p.id, error },
      T0 + 12,
    );
    expect(requeued).toMatchObject({
      status: 'queued',
      runAt: T0 + 20,
      finishedAt: null,
      healingPatternId: p.id,
    });
    expect(requeued!.maxAttempts).toBeGreaterThan(requeued!.attempts);
    expect(await store.holdQueuedJobs(['sync'], T0 + 100, T0 + 13)).toBe(2);
    expect((await store.getJob(b!.job.id))!.runAt).toBe(T0 + 100);
    expect((await store.getJob(c!.job.id))!.runAt).toBe(T0);
    expect(await store.holdQueuedJobs([], T0 + 100, T0 + 13)).toBe(0);
  });

  it('holds queued jobs with a spread, so they do not all come back at the same instant', async () => {
    const { store } = await createTestStore(engine);
    const rows = Array.from({ length: 20 }, () => ({
      type: 'call',
      payload: null,
      priority: 0,
      runAt: T0,
      maxAttempts: 3,
      idempotencyKey: null,
      knobs: {},
    }));
    const inserted = await store.insertJobs(rows, T0);
    expect(await store.holdQueuedJobs(['call'], T0 + 1000, T0, 500)).toBe(20);
    const wakes = await Promise.all(
      inserted.map(async ({ job }) => (await store.getJob(job.id))!.runAt),
    );
    for (const wake of wakes) {
      expect(wake).toBeGreaterThanOrEqual(T0 + 1000);
      expect(wake).toBeLessThanOrEqual(T0 + 1500);
    }
    // Twenty draws from 501 values: all equal only with probability 501^-19.
    expect(new Set(wakes).size).toBeGreaterThan(1);
  });
});
