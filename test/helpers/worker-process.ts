import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import type { TestDatabase } from './stores.js';

const WORKER = fileURLToPath(new URL('../fixtures/events-worker-process.ts', import.meta.url));

/**
 * A worker in another process on `db`, running until the test ends: `double` completes with
 * `{ doubled: n * 2 }`, `doomed` fails for good with "the upstream said no".
 */
export async function workerProcess(db: TestDatabase): Promise<void> {
  const child = fork(WORKER, [db.database, db.schema ?? '-'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onTestFinished(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}
