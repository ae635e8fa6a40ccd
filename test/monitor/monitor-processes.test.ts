import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createMegaMindClient } from '../../src/app/client.js';
import type { StuckFinding } from '../../src/monitor/finding.js';
import { SLOW_MACHINE } from '../helpers/wait.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/monitor-process.ts', import.meta.url));

interface Message {
  event: 'ready' | 'started' | 'aborted' | 'completed' | 'finding' | 'leader' | 'error';
  pid: number;
  id?: string | number;
  key?: string;
  kind?: string;
  jobId?: string | null;
  change?: 'gained' | 'lost';
  attempt?: number;
}

type Role = 'worker-hang' | 'worker-run' | 'monitor';

/** Every message of every child of the test, in arrival order. */
function spawner(db: TestDatabase) {
  const messages: Message[] = [];
  const spawn = (role: Role, scanIntervalMs = 500): ChildProcess => {
    const child = fork(FIXTURE, [db.database, db.schema ?? '-', role, String(scanIntervalMs)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (message) => messages.push(message as Message));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    return child;
  };
  const waitFor = (predicate: (m: Message) => boolean, timeout = 30_000) =>
    vi.waitFor(
      () => {
        const found = messages.find(predicate);
        if (!found) throw new Error('not yet');
        return found;
      },
      { timeout, interval: 20 },
    );
  return { messages, spawn, waitFor };
}

async function clientOn(db: TestDatabase) {
  const client = createMegaMindClient({ store: db.open(), closeStore: true });
  onTestFinished(() => client.close());
  await client.ready();
  return client;
}

describe.each(ENGINES)('the monitor across processes (%s)', (engine) => {
  it('finds a handler that stopped making progress while its worker stays alive, within stuckAfterMs and one scan, and hands it on once', async () => {
    const db = await createTestDatabase(engine);
    const { messages, spawn, waitFor } = spawner(db);
    const worker = spawn('worker-hang');
    await waitFor((m) => m.event === 'ready' && m.pid === worker.pid);
    // The monitor scans before the job exists, so the scan that finds it is not its first.
    const monitor = spawn('monitor', 500);
    await waitFor((m) => m.event === 'ready' && m.pid === monitor.pid);
    const client = await clientOn(db);
    const job = await client.enqueue('hangs', { app: 'todo' });

    const found = await waitFor(
      (m) => m.event === 'finding' && m.kind === 'stuck' && m.jobId === job.id,
    );
    // The revoked attempt's worker is told through its lease: its handler's signal fires.
    await waitFor((m) => m.event === 'aborted' && m.id === job.id);
    expect(worker.exitCode).toBeNull();

    // The finding event comes as the handler starts; its outcome is stored once it returns.
    const stored = await vi.waitFor(async () => {
      const [row] = await client.store.monitoring.listFindings({ jobId: job.id, kind: 'stuck' });
      expect(row?.status).toBe('handled');
      return row!;
    }, SLOW_MACHINE);
    const evidence = stored.evidence as unknown as StuckFinding;
    expect(stored).toMatchObject({
      key: found.key,
      status: 'handled',
      outcome: 'revoked: no attempts left, job failed',
    });
    expect(evidence.summary).toContain("stuck at 'Setting up database foundation' (25%)");
    expect(evidence).toMatchObject({
      stage: 'Setting up database foundation',
      progress: 25,
      stuckAfterMs: 1500,
      thresholdFrom: 'type',
      attempt: 1,
    });
    // Alive, not moving: the lease kept being renewed after the last progress.
    expect(evidence.heartbeatAt).toBeGreaterThan(evidence.progressAt);
    // Found by the first scan after the threshold: the scan before it ran while the job was not yet stuck.
    const threshold = evidence.progressAt + evidence.stuckAfterMs;
    expect(evidence.detectedAt).toBeGreaterThanOrEqual(threshold);
    expect(evidence.previousScanAt).not.toBeNull();
    expect(evidence.previousScanAt!).toBeLessThan(threshold);

    expect(await client.getJob(job.id)).toMatchObject({
      status: 'failed',
      lastError: { code: 'ERR_JOB_STUCK', kind: 'stuck' },
    });
    expect(
      messages.filter((m) => m.event === 'finding' && m.jobId === job.id && m.kind === 'stuck'),
    ).toHaveLength(1);
  });

  it('reports the job of a SIGKILLed worker as lost, and it completes in another worker', async () => {
    const db = await createTestDatabase(engine);
    const { spawn, waitFor } = spawner(db);
    const doomed = spawn('worker-hang');
    await waitFor((m) => m.event === 'ready' && m.pid === doomed.pid);
    const client = await clientOn(db);
    const job = await client.enqueue('hangs', null, { maxAttempts: 3 });
    await vi.waitFor(
      async () =>
        expect((await client.getJob(job.id))!.stage).toBe('Setting up database foundation'),
      { timeout: 20_000 },
    );
    const exited = new Promise((resolve) => doomed.once('exit', resolve));
    doomed.kill('SIGKILL');
    await exited;

    spawn('monitor', 500);
    const survivor = spawn('worker-run');
    const lost = await waitFor(
      (m) => m.event === 'finding' && m.kind === 'lease_lost' && m.jobId === job.id,
    );
    await waitFor((m) => m.event === 'completed' && m.id === job.id && m.pid === survivor.pid);
    expect(await client.getJob(job.id)).toMatchObject({ status: 'completed', attempts: 2 });
    // The handler reports before it returns: its outcome is stored just after.
    await vi.waitFor(
      async () =>
        expect(
          await client.store.monitoring.listFindings({ jobId: job.id, status: 'handled' }),
        ).toHaveLength(1),
      {
        timeout: 10_000,
      },
    );
    const [stored] = await client.store.monitoring.listFindings({
      jobId: job.id,
      kind: 'lease_lost',
    });
    expect(stored).toMatchObject({
      key: lost.key,
      status: 'handled',
      evidence: { attempt: 1, stage: 'Setting up database foundation' },
    });
    expect(stored!.summary).toContain(`lost its lease in 'Setting up database foundation'`);
  });

  it('elects one leader of three monitor processes, and after the leader is SIGKILLed another takes over within two intervals without handling any finding twice', async () => {
    const scanIntervalMs = 2000;
    const db = await createTestDatabase(engine);
    const { messages, spawn, waitFor } = spawner(db);
    const worker = spawn('worker-hang');
    await waitFor((m) => m.event === 'ready' && m.pid === worker.pid);
    const client = await clientOn(db);
    const monitors = [
      spawn('monitor', scanIntervalMs),
      spawn('monitor', scanIntervalMs),
      spawn('monitor', scanIntervalMs),
    ];
    const first = await waitFor((m) => m.event === 'leader' && m.change === 'gained');
    const before = await client.enqueue('hangs', { n: 1 });
    await waitFor((m) => m.event === 'finding' && m.kind === 'stuck' && m.jobId === before.id);
    await vi.waitFor(
      async () =>
        expect(
          await client.store.monitoring.listFindings({ jobId: before.id, status: 'handled' }),
        ).toHaveLength(1),
      {
        timeout: 10_000,
      },
    );

    const leader = monitors.find((child) => child.pid === first.pid)!;
    const exited = new Promise((resolve) => leader.once('exit', resolve));
    leader.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const after = await client.enqueue('hangs', { n: 2 });
    const second = await waitFor(
      (m) => m.event === 'leader' && m.change === 'gained' && m.pid !== first.pid,
    );
    await waitFor((m) => m.event === 'finding' && m.kind === 'stuck' && m.jobId === after.id);
    await vi.waitFor(
      async () =>
        expect(
          await client.store.monitoring.listFindings({ jobId: after.id, status: 'handled' }),
        ).toHaveLength(1),
      {
        timeout: 10_000,
      },
    );

    const leadership = await client.store.monitoring.getLeadership('monitor');
    expect(leadership).toMatchObject({ epoch: 2 });
    expect(leadership!.owner).not.toContain(`:${first.pid}:`);
    expect(leadership!.acquiredAt - killedAt).toBeLessThanOrEqual(2 * scanIntervalMs);
    expect(second.pid).not.toBe(first.pid);
    // Exactly one leader gained each epoch, and every finding was handed on by one process once.
    expect(messages.filter((m) => m.event === 'leader' && m.change === 'gained')).toHaveLength(2);
    const handed = messages.filter((m) => m.event === 'finding');
    expect(new Set(handed.map((m) => m.id)).size).toBe(handed.length);
    expect(new Set(handed.map((m) => m.key)).size).toBe(handed.length);
    const stored = await client.store.monitoring.listFindings({ limit: 1000 });
    const byId = (a: number, b: number) => a - b;
    expect(
      stored
        .filter((f) => f.status === 'handled')
        .map((f) => f.id)
        .sort(byId),
    ).toEqual(handed.map((m) => Number(m.id)).sort(byId));
  });
});
