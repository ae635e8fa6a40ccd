import { onTestFinished, vi } from 'vitest';
import type { Job } from '../../src/core/types.js';
import type { Improvement } from '../../src/store/heal-store.js';
import { createMegaMind, type MegaMind } from '../../src/app/mega-mind.js';
import type { EngineOptions } from '../../src/app/mega-mind.js';
import { createTestDatabase, type TestDatabase } from './stores.js';
import { SLOW_MACHINE } from './wait.js';

/** An engine on a fresh database of its own, stopped when the test ends. */
export async function createTestEngine(
  engine: 'sqlite' | 'postgres',
  options: EngineOptions = {},
  db?: TestDatabase,
): Promise<{ mm: MegaMind; db: TestDatabase }> {
  const database = db ?? (await createTestDatabase(engine));
  const mm = createMegaMind({
    pollIntervalMs: 50,
    shutdownGraceMs: 2000,
    ...options,
    store: options.store ?? database.open(),
  });
  onTestFinished(async () => {
    await mm.stop();
    await mm.store.close();
  });
  return { mm, db: database };
}

/** Resolves when `event` is emitted `count` times. */
export function waitForEvents(
  mm: MegaMind,
  event: 'job:completed' | 'job:failed' | 'job:started',
  count = 1,
): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = () => {
      if (++seen === count) {
        mm.off(event, listener);
        resolve();
      }
    };
    mm.on(event, listener);
  });
}

/** The job once it completed or failed for good, waiting as long as a loaded machine needs. */
export async function settledJob(mm: MegaMind, id: string): Promise<Job> {
  return vi.waitFor(async () => {
    const job = await mm.getJob(id);
    if (job?.status !== 'completed' && job?.status !== 'failed')
      throw new Error(`job is ${job?.status}`);
    return job;
  }, SLOW_MACHINE);
}

/** A job's heals once there is one and none is pending any more, newest first. */
export async function settledHeals(mm: MegaMind, id: string): Promise<Improvement[]> {
  return vi.waitFor(async () => {
    const rows = await mm.improvements({ jobId: id });
    if (rows.length === 0 || rows.some((row) => row.validationStatus === 'pending'))
      throw new Error('a heal is still pending');
    return rows;
  }, SLOW_MACHINE);
}
