import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DAY, ManualClock } from '../../src/core/clock.js';
import type { JobStatus } from '../../src/core/types.js';
import { loadBetterSqlite3 } from '../../src/store/sqlite/load-better-sqlite3.js';
import type { Store } from '../../src/store/store.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES, TEST_DATABASE_URL, type TestDatabase } from '../helpers/stores.js';

/** Puts a job through a real claim and ends it as `status` at `at`, with one failed attempt recorded on the way. */
async function finishedJob(
  store: Store,
  type: string,
  status: Exclude<JobStatus, 'queued' | 'running'>,
  at: number,
): Promise<string> {
  const [inserted] = await store.insertJobs(
    [
      {
        type,
        payload: null,
        priority: 0,
        runAt: at,
        maxAttempts: 1,
        idempotencyKey: null,
        knobs: {},
      },
    ],
    at,
  );
  const job = inserted!.job;
  if (status === 'cancelled') {
    await store.cancelJob(job.id, at);
    return job.id;
  }
  const [claimed] = await store.claimJobs({
    types: [type],
    owner: 'test',
    leaseMs: 60_000,
    limit: 1,
    now: at,
  });
  const write = { id: job.id, token: claimed!.leaseToken };
  if (status === 'completed') await store.completeJobs([{ ...write, result: null }], at);
  else
    await store.failJobs(
      [{ ...write, error: { message: 'boom', attempt: 1, at }, retryAt: null }],
      at,
    );
  return job.id;
}

/** Writes an improvement log row the way the healer does, in SQL, on either engine. */
async function improvementLog(
  db: TestDatabase,
  id: string,
  createdAt: number,
  status: 'pending' | 'validated',
): Promise<void> {
  const sql =
    'INSERT INTO ai_improvement_logs (id, action, validation_status, created_at) VALUES ($1, $2, $3, $4)';
  if (db.engine === 'sqlite') {
    const Database = loadBetterSqlite3();
    const raw = new Database(db.database);
    raw.prepare(sql.replace(/\$\d/g, '?')).run(id, 'retry_with_backoff', status, createdAt);
    raw.close();
    return;
  }
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${db.schema}`,
  });
  await client.connect();
  await client.query(sql, [id, 'retry_with_backoff', status, createdAt]);
  await client.end();
}

async function countLogs(db: TestDatabase): Promise<number> {
  if (db.engine === 'sqlite') {
    const raw = new (loadBetterSqlite3())(db.database);
    const { n } = raw.prepare('SELECT count(*) AS n FROM ai_improvement_logs').get() as {
      n: number;
    };
    raw.close();
    return n;
  }
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${db.schema}`,
  });
  await client.connect();
  const { rows } = await client.query('SELECT count(*)::int AS n FROM ai_improvement_logs');
  await client.end();
  return (rows[0] as { n: number }).n;
}

describe.each(ENGINES)('retention (%s)', (engine) => {
  it('prunes finished jobs by age and by count per type, occurrences and settled improvement logs, and keeps patterns', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const clock = new ManualClock(t0);
    const { mm, db } = await createTestEngine(engine, {
      clock,
      retention: { types: { bulk: { keepPerType: 2, completedMs: null } } },
    });
    const store = mm.store;
    await mm.ready();
    const completed = await finishedJob(store, 'report', 'completed', t0);
    const failed = await finishedJob(store, 'report', 'failed', t0);
    const cancelled = await finishedJob(store, 'report', 'cancelled', t0);
    const recent = await finishedJob(store, 'report', 'completed', t0 + 6 * DAY);
    const [queued] = await store.insertJobs(
      [
        {
          type: 'report',
          payload: null,
          priority: 0,
          runAt: t0 + 100 * DAY,
          maxAttempts: 1,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      t0,
    );
    const bulk = [];
    for (let i = 0; i < 5; i++) bulk.push(await finishedJob(store, 'bulk', 'completed', t0 + i));
    const { pattern } = await mm.patterns.record(
      { message: 'ECONNREFUSED 10.0.0.7:5432', jobType: 'report', jobId: failed },
      t0,
    );
    await improvementLog(db, 'settled', t0, 'validated');
    await improvementLog(db, 'pending', t0, 'pending');

    clock.set(t0 + 8 * DAY);
    expect(await mm.prune()).toEqual({ jobs: 5, occurrences: 0, improvementLogs: 0 });
    const left = async () => (await mm.listJobs({ limit: 100 })).map((job) => job.id).sort();
    expect(await left()).toEqual([failed, recent, queued!.job.id, bulk[3], bulk[4]].sort());
    expect(await store.getJob(completed)).toBeUndefined();
    expect(await store.getJob(cancelled)).toBeUndefined();
    expect(await store.listAttempts(failed)).toHaveLength(1);

    clock.set(t0 + 91 * DAY);
    expect(await mm.prune()).toEqual({ jobs: 2, occurrences: 1, improvementLogs: 1 });
    expect(await left()).toEqual([queued!.job.id, bulk[3], bulk[4]].sort());
    expect(await store.listAttempts(failed)).toEqual([]);
    expect(await store.listOccurrences(pattern.id)).toEqual([]);
    expect(await countLogs(db)).toBe(1);
    // The pattern and its statistics stay: they are what the book learned.
    expect(await store.getPattern(pattern.id)).toMatchObject({
      id: pattern.id,
      occurrenceCount: 1,
    });
  });

  it('refuses a policy with a wrong value, naming the field', async () => {
    await expect(
      createTestEngine(engine, { retention: { types: { bulk: { keepPerType: -1 } } } }),
    ).rejects.toThrow('retention.types.bulk.keepPerType: Too small: expected number to be >=0');
    await expect(
      createTestEngine(engine, { retention: { completedAfterMs: 5 } as never }),
    ).rejects.toThrow('retention: Unrecognized key: "completedAfterMs"');
  });
});
