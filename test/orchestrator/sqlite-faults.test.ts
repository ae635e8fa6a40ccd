import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

describe.runIf(ENGINES.includes('sqlite'))('SQLite under outside interference', () => {
  it('quarantines a row corrupted outside Mega Mind: that job fails clearly, sweeps and reads go on', async () => {
    const db = await createTestDatabase('sqlite');
    const { mm } = await createTestEngine('sqlite', { leaseMs: 300, heartbeatIntervalMs: 100 }, db);
    mm.define('work', { run: (payload) => payload });
    const [queued, fine, running] = await mm.enqueueMany([
      { type: 'work', payload: 'queued' },
      { type: 'work', payload: 'fine' },
      { type: 'work', payload: 'running' },
    ]);
    // A job a dead worker was running, with an expired lease, and a queued one: both edited by hand.
    await mm.store.claimJobs({ types: ['work'], owner: 'dead', leaseMs: 1, limit: 3, now: 0 });
    await mm.store.releaseJobs(
      [queued!, fine!].map((job) => ({ id: job.id, token: 1, runAt: 0 })),
      0,
    );
    const raw = new Database(db.database);
    raw
      .prepare(`UPDATE ai_generation_jobs SET payload = '{"oops' WHERE id IN (?, ?)`)
      .run(queued!.id, running!.id);
    raw.close();

    expect(await mm.getJob(queued!.id)).toMatchObject({
      payload: null,
      lastError: {
        code: 'ERR_CORRUPT_JOB',
        message: `job ${queued!.id} is corrupt: column payload is not valid JSON`,
      },
    });
    expect(await mm.listJobs()).toHaveLength(3);
    await mm.start();
    await vi.waitFor(
      async () => {
        expect(await mm.getJob(fine!.id)).toMatchObject({ status: 'completed', result: 'fine' });
        for (const job of [queued!, running!]) {
          expect(await mm.getJob(job.id)).toMatchObject({
            status: 'failed',
            lastError: {
              code: 'ERR_CORRUPT_JOB',
              message: `job ${job.id} is corrupt: column payload is not valid JSON`,
            },
          });
        }
      },
      { timeout: 10_000 },
    );
  });

  it('waits out another process holding the write lock without blocking the event loop, then fails clearly', async () => {
    const db = await createTestDatabase('sqlite');
    const store = new SqliteStore({ filename: db.database, busyTimeoutMs: 3000 });
    await store.migrate();
    const { mm } = await createTestEngine('sqlite', { store }, db);
    mm.define('work', { run: () => null });
    await mm.ready();
    const locker = new Database(db.database);
    locker.exec('BEGIN EXCLUSIVE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const enqueued = mm.enqueue('work', 'waited');
    // The event loop keeps turning while the enqueue waits for the lock.
    await vi.waitFor(() => expect(ticks).toBeGreaterThanOrEqual(20), {
      timeout: 2500,
      interval: 10,
    });
    locker.exec('COMMIT');
    expect(await enqueued).toMatchObject({ status: 'queued', payload: 'waited' });
    clearInterval(ticker);

    const impatient = new SqliteStore({ filename: db.database, busyTimeoutMs: 200 });
    locker.exec('BEGIN EXCLUSIVE');
    await expect(
      impatient.insertJobs(
        [
          {
            type: 'work',
            payload: 1,
            priority: 0,
            runAt: 0,
            maxAttempts: 1,
            idempotencyKey: null,
            knobs: {},
          },
        ],
        0,
      ),
    ).rejects.toMatchObject({
      code: 'ERR_STORE_BUSY',
      message: `the SQLite database ${db.database} stayed locked by another process for more than 200 ms`,
    });
    locker.exec('COMMIT');
    locker.close();
    await impatient.close();
    const done = waitForEvents(mm, 'job:completed');
    await mm.start();
    await done;
  });
});
