import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createTestEngine } from '../helpers/engines.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.js';

const WORKER = fileURLToPath(new URL('../fixtures/worker-process.ts', import.meta.url));

interface Message {
  event: 'ready' | 'started' | 'completed';
  id?: string;
  pid: number;
}

function spawnWorker(
  db: TestDatabase,
  leaseMs: number,
  mode: 'hang' | 'run',
): { child: ChildProcess; messages: Message[] } {
  const child = fork(WORKER, [db.database, db.schema ?? '-', String(leaseMs), mode], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: Message[] = [];
  child.on('message', (message) => messages.push(message as Message));
  // The process must be gone before its schema is dropped: a worker still claiming or releasing
  // while DROP SCHEMA … CASCADE takes its locks deadlocks with it.
  onTestFinished(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  });
  return { child, messages };
}

describe.each(ENGINES)('crash recovery (%s)', (engine) => {
  it('runs again, and completes exactly once, the job of a worker process killed with SIGKILL', async () => {
    const db = await createTestDatabase(engine);
    const { mm } = await createTestEngine(engine, { leaseMs: 600 }, db);
    mm.define('crashable', { concurrency: 4, run: (payload) => ({ ranBy: 'survivor', payload }) });
    const job = await mm.enqueue('crashable', { doc: 42 });

    const { child, messages } = spawnWorker(db, 600, 'hang');
    await vi.waitFor(
      () => expect(messages.some((m) => m.event === 'started' && m.id === job.id)).toBe(true),
      { timeout: 20_000 },
    );
    // "started" is sent before the stage is written: kill only once the stage is stored.
    await vi.waitFor(
      async () => expect((await mm.getJob(job.id))!.stage).toBe('Setting up database foundation'),
      { timeout: 10_000 },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    await exited;
    expect((await mm.getJob(job.id))!.status).toBe('running');

    const completions: string[] = [];
    mm.on('job:completed', (done) => completions.push(done.id));
    await mm.start();
    await vi.waitFor(async () => expect((await mm.getJob(job.id))!.status).toBe('completed'), {
      timeout: 10_000,
    });
    const stored = await mm.getJob(job.id);
    expect(stored).toMatchObject({
      attempts: 2,
      leaseToken: 2,
      result: { ranBy: 'survivor', payload: { doc: 42 } },
    });
    expect(completions).toEqual([job.id]);
    const history = await mm.listAttempts(job.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      attempt: 1,
      outcome: 'lease_expired',
      error: { stage: 'Setting up database foundation' },
    });
  });

  it('shares a queue between two worker processes without running any job twice', async () => {
    const db = await createTestDatabase(engine);
    const { mm } = await createTestEngine(engine, {}, db);
    mm.define('crashable', { run: () => null });
    const jobs = await mm.enqueueMany(
      Array.from({ length: 120 }, (_, i) => ({ type: 'crashable', payload: i })),
    );
    const a = spawnWorker(db, 5000, 'run');
    const b = spawnWorker(db, 5000, 'run');
    await vi.waitFor(
      () =>
        expect(a.messages.length + b.messages.length).toBeGreaterThanOrEqual(2 + 2 * jobs.length),
      { timeout: 20_000 },
    );
    const started = [...a.messages, ...b.messages]
      .filter((m) => m.event === 'started')
      .map((m) => m.id);
    expect(started).toHaveLength(jobs.length);
    expect(new Set(started).size).toBe(jobs.length);
    expect(await mm.store.countJobs({ status: 'completed' })).toBe(jobs.length);
    // Both stop gracefully (releasing what they hold) before the test's schema goes.
    await Promise.all(
      [a, b].map(({ child }) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
  });
});
