import { describe, expect, it } from 'vitest';
import type { NewFinding, NewJob, RunningJobRule, Store } from '../../src/store/store.js';
import type { JobError } from '../../src/core/types.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    type: 'render',
    payload: null,
    priority: 0,
    runAt: T0,
    maxAttempts: 3,
    idempotencyKey: null,
    knobs: {},
    ...overrides,
  };
}

/** A claimed job whose handler started (the worker's first renewal says so and charges the attempt). */
async function running(store: Store, now = T0) {
  await store.insertJobs([newJob()], now);
  const [job] = await store.claimJobs({
    types: ['render'],
    owner: 'w1',
    leaseMs: 10_000,
    limit: 1,
    now,
  });
  await store.heartbeat(
    [{ id: job!.id, token: job!.leaseToken, leaseMs: 10_000, started: true }],
    now,
  );
  return job!;
}

function finding(key: string, overrides: Partial<NewFinding> = {}): NewFinding {
  return {
    key,
    kind: 'stuck',
    jobId: null,
    jobType: 'render',
    patternId: null,
    summary: `finding ${key}`,
    evidence: { stage: 'Setting up database foundation', progress: 25 },
    detectedAt: T0,
    detectedBy: 'm1',
    ...overrides,
  };
}

const stuckError: JobError = {
  message: 'stuck',
  name: 'StuckJobError',
  code: 'ERR_JOB_STUCK',
  attempt: 1,
  at: T0,
};

describe.each(ENGINES)('monitor store conformance (%s)', (engine) => {
  it('moves progressAt on progress, checkpoints and explicit heartbeats, not on lease renewals', async () => {
    const { store } = await createTestStore(engine);
    const job = await running(store);
    expect(await store.getJob(job.id)).toMatchObject({ progressAt: T0 });
    await store.heartbeat([{ id: job.id, token: job.leaseToken, leaseMs: 10_000 }], T0 + 1000);
    expect(await store.getJob(job.id)).toMatchObject({ progressAt: T0, heartbeatAt: T0 + 1000 });
    await store.heartbeat(
      [
        {
          id: job.id,
          token: job.leaseToken,
          leaseMs: 10_000,
          stage: 'Build',
          progress: 40,
          madeProgress: true,
        },
      ],
      T0 + 2000,
    );
    expect(await store.getJob(job.id)).toMatchObject({
      progressAt: T0 + 2000,
      stage: 'Build',
      progress: 40,
    });
    await store.saveCheckpoint({ id: job.id, token: job.leaseToken, data: { page: 3 } }, T0 + 3000);
    expect(await store.getJob(job.id)).toMatchObject({ progressAt: T0 + 3000 });
    const [seen] = await store.monitoring.listRunningJobs();
    expect(seen).toMatchObject({
      id: job.id,
      stage: 'Build',
      progress: 40,
      attemptStartedAt: T0,
      stageStartedAt: T0 + 2000,
      progressAt: T0 + 3000,
    });
    const cut = (
      now: number,
      rule: Partial<RunningJobRule> = {},
      defaultStuckAfterMs = 60_000,
    ) => ({
      now,
      defaultStuckAfterMs,
      predictFromPercent: 5,
      rules: [
        {
          type: 'render',
          stuckAfterMs: null,
          slowAfterMs: null,
          stageSlowAfterMs: null,
          predictFromMs: null,
          predictAfterMs: null,
          ...rule,
        },
      ],
    });
    expect(await store.monitoring.listRunningJobs(cut(T0 + 3000))).toEqual([]);
    expect(await store.monitoring.listRunningJobs(cut(T0 + 3000, {}, 0))).toHaveLength(1); // the default threshold
    expect(await store.monitoring.listRunningJobs(cut(T0 + 3999, { stuckAfterMs: 1000 }))).toEqual(
      [],
    );
    expect(
      await store.monitoring.listRunningJobs(cut(T0 + 4000, { stuckAfterMs: 1000 })),
    ).toHaveLength(1);
    expect(
      await store.monitoring.listRunningJobs(cut(T0 + 5000, { slowAfterMs: 5000 })),
    ).toHaveLength(1);
    expect(
      await store.monitoring.listRunningJobs(cut(T0 + 5000, { stageSlowAfterMs: 3001 })),
    ).toEqual([]);
    expect(
      await store.monitoring.listRunningJobs(cut(T0 + 5000, { stageSlowAfterMs: 3000 })),
    ).toHaveLength(1);
    // 40 % after 5 s: 12.5 s in total, past 10 s but not past 20 s.
    expect(
      await store.monitoring.listRunningJobs(
        cut(T0 + 5000, { predictFromMs: 1000, predictAfterMs: 10_000 }),
      ),
    ).toHaveLength(1);
    expect(
      await store.monitoring.listRunningJobs(
        cut(T0 + 5000, { predictFromMs: 1000, predictAfterMs: 20_000 }),
      ),
    ).toEqual([]);
  });

  it('gives one leader at a time, renews it, and hands it over with a higher epoch once expired or resigned', async () => {
    const { store } = await createTestStore(engine);
    const first = await store.monitoring.acquireLeadership('monitor', 'a', 1000, T0);
    expect(first).toMatchObject({ owner: 'a', epoch: 1, expiresAt: T0 + 1000 });
    expect(
      await store.monitoring.acquireLeadership('monitor', 'b', 1000, T0 + 500),
    ).toBeUndefined();
    expect(await store.monitoring.acquireLeadership('monitor', 'a', 1000, T0 + 900)).toMatchObject({
      epoch: 1,
      expiresAt: T0 + 1900,
    });
    const taken = await store.monitoring.acquireLeadership('monitor', 'b', 1000, T0 + 1901);
    expect(taken).toMatchObject({ owner: 'b', epoch: 2, acquiredAt: T0 + 1901 });
    expect(
      await store.monitoring.acquireLeadership('monitor', 'a', 1000, T0 + 1950),
    ).toBeUndefined();
    await store.monitoring.resignLeadership('monitor', 'b', 2);
    expect(await store.monitoring.acquireLeadership('monitor', 'a', 1000, T0 + 1960)).toMatchObject(
      { owner: 'a', epoch: 3 },
    );
    expect(await store.monitoring.getLeadership('monitor')).toMatchObject({ owner: 'a', epoch: 3 });
  });

  it('stores a finding once per key and lets exactly one claimant dispatch it', async () => {
    const { store } = await createTestStore(engine);
    const [stored] = await store.monitoring.insertFindings([finding('stuck:1')]);
    expect(stored).toMatchObject({ key: 'stuck:1', status: 'open', evidence: { progress: 25 } });
    expect(
      await store.monitoring.insertFindings([finding('stuck:1'), finding('stuck:2')]),
    ).toHaveLength(1);
    expect(await store.monitoring.claimFinding({ id: stored!.id, owner: 'p1', now: T0 })).toBe(
      true,
    );
    expect(await store.monitoring.claimFinding({ id: stored!.id, owner: 'p2', now: T0 })).toBe(
      false,
    );
    await store.monitoring.settleFinding(stored!.id, 'handled', 'restarted', T0 + 5);
    const [read] = await store.monitoring.listFindings({ kind: 'stuck', status: 'handled' });
    expect(read).toMatchObject({
      id: stored!.id,
      dispatchedBy: 'p1',
      handledAt: T0 + 5,
      outcome: 'restarted',
    });
    expect(await store.monitoring.listOpenFindings(T0, 10)).toHaveLength(1);
    expect(await store.monitoring.countFindings()).toEqual(
      expect.arrayContaining([
        { kind: 'stuck', status: 'handled', count: 1 },
        { kind: 'stuck', status: 'open', count: 1 },
      ]),
    );
  });

  it('abandons a finding dispatched long ago and never settled, freeing its key', async () => {
    const { store } = await createTestStore(engine);
    const [stale, fresh] = await store.monitoring.insertFindings([
      finding('stuck:old'),
      finding('stuck:new'),
    ]);
    await store.monitoring.claimFinding({ id: stale!.id, owner: 'dead', now: T0 });
    await store.monitoring.claimFinding({ id: fresh!.id, owner: 'alive', now: T0 + 500 });
    const abandoned = await store.monitoring.abandonFindings(T0 + 100, T0 + 1000);
    expect(abandoned).toMatchObject([
      {
        id: stale!.id,
        status: 'failed',
        outcome: 'abandoned: dead stopped before it finished handling it',
      },
    ]);
    expect(
      await store.monitoring.insertFindings([finding('stuck:old'), finding('stuck:new')]),
    ).toMatchObject([{ key: 'stuck:old', status: 'open' }]);
  });

  it('refuses a leader claim once that leadership changed hands', async () => {
    const { store } = await createTestStore(engine);
    const [a, b] = await store.monitoring.insertFindings([finding('k:a'), finding('k:b')]);
    const lead = await store.monitoring.acquireLeadership('monitor', 'm1', 1000, T0);
    expect(
      await store.monitoring.claimFinding({
        id: a!.id,
        owner: 'm1',
        now: T0 + 10,
        leader: { name: 'monitor', epoch: lead!.epoch },
      }),
    ).toBe(true);
    await store.monitoring.acquireLeadership('monitor', 'm2', 1000, T0 + 1001);
    expect(
      await store.monitoring.claimFinding({
        id: b!.id,
        owner: 'm1',
        now: T0 + 1002,
        leader: { name: 'monitor', epoch: lead!.epoch },
      }),
    ).toBe(false);
  });

  it('revokes a running attempt: its token is refused, the attempt is recorded, and the job is queued again', async () => {
    const { store } = await createTestStore(engine);
    const job = await running(store);
    const after = await store.monitoring.revokeLease(
      { id: job.id, token: job.leaseToken, error: stuckError },
      T0 + 100,
    );
    expect(after).toMatchObject({
      status: 'queued',
      leaseToken: job.leaseToken + 1,
      lastError: { code: 'ERR_JOB_STUCK' },
    });
    expect(
      await store.monitoring.revokeLease(
        { id: job.id, token: job.leaseToken, error: stuckError },
        T0 + 101,
      ),
    ).toBeUndefined();
    expect(
      await store.heartbeat([{ id: job.id, token: job.leaseToken, leaseMs: 1000 }], T0 + 102),
    ).toEqual(new Set());
    expect(
      await store.completeJobs([{ id: job.id, token: job.leaseToken, result: 1 }], T0 + 103),
    ).toEqual(new Set());
    expect(await store.listAttempts(job.id)).toMatchObject([
      { attempt: 1, outcome: 'revoked', owner: 'w1', error: { code: 'ERR_JOB_STUCK' } },
    ]);
    const [again] = await store.claimJobs({
      types: ['render'],
      owner: 'w2',
      leaseMs: 1000,
      limit: 1,
      now: T0 + 200,
    });
    // The revoked attempt stays counted; the new one is charged when its handler starts.
    expect(again).toMatchObject({ id: job.id, attempts: 1, leaseToken: job.leaseToken + 2 });
  });

  it('lists attempt records after a cursor with their job type', async () => {
    const { store } = await createTestStore(engine);
    const start = await store.monitoring.lastAttemptId();
    const job = await running(store);
    await store.failJobs(
      [
        {
          id: job.id,
          token: job.leaseToken,
          error: { ...stuckError, message: 'boom' },
          retryAt: T0 + 5,
        },
      ],
      T0 + 1,
    );
    const records = await store.monitoring.listAttemptsAfter(start, 10);
    expect(records).toMatchObject([
      { jobId: job.id, type: 'render', outcome: 'failed', attempt: 1 },
    ]);
    expect(await store.monitoring.listAttemptsAfter(records[0]!.id, 10)).toEqual([]);
    expect(await store.monitoring.lastAttemptId()).toBe(records[0]!.id);
  });

  it('keeps the newest durations per type and stage', async () => {
    const { store } = await createTestStore(engine);
    const samples = Array.from({ length: 8 }, (_, i) => ({
      type: 'render',
      stage: '',
      durationMs: 100 + i,
      at: T0 + i,
    }));
    await store.monitoring.addDurationSamples(
      [...samples, { type: 'render', stage: 'Build', durationMs: 50, at: T0 }],
      5,
    );
    await store.monitoring.addDurationSamples(
      [{ type: 'render', stage: '', durationMs: 200, at: T0 + 9 }],
      5,
    );
    const history = await store.monitoring.listDurationHistory(5);
    expect(history).toEqual([
      { type: 'render', stage: '', durationsMs: [104, 105, 106, 107, 200] },
      { type: 'render', stage: 'Build', durationsMs: [50] },
    ]);
  });

  it('counts a pattern’s occurrences in the recent window and in the baseline before it', async () => {
    const { store } = await createTestStore(engine);
    const pattern = await store.upsertPattern(
      {
        patternKey: '00aa00aa00aa00aa',
        template: 'boom',
        category: 'other',
        transient: false,
        rootCause: null,
        remedies: [],
        prevention: null,
        facts: {},
        source: 'rule',
        confidence: 0,
        example: null,
      },
      T0,
    );
    for (const at of [T0 - 5000, T0 - 4000, T0 - 100, T0 - 50, T0 - 10]) {
      await store.recordOccurrence(
        { patternId: pattern.id, jobId: null, attempt: null, message: 'boom' },
        at,
      );
    }
    expect(await store.monitoring.countOccurrences(T0 - 4500, T0 - 1000)).toEqual([
      { patternId: pattern.id, recent: 3, baseline: 1 },
    ]);
  });
});
