import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('SQLite cross-process wake-ups', () => {
  it('wakes a subscriber when another connection, as another process would, writes to the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'megamind-wal-'));
    dirs.push(dir);
    const filename = join(dir, 'jobs.db');
    const store = new SqliteStore({ filename });
    await store.migrate();
    let woken = 0;
    const unsubscribe = await store.onJobsAvailable(() => woken++);
    // A raw connection shares no in-process emitter with the store: only the WAL watch can see it.
    const foreign = new Database(filename);
    foreign
      .prepare(
        `INSERT INTO ai_generation_jobs (id, type, payload, status, run_at, max_attempts, created_at, updated_at)
         VALUES ('x', 'render', 'null', 'queued', 0, 1, 0, 0)`,
      )
      .run();
    await expect.poll(() => woken, { timeout: 5000 }).toBeGreaterThan(0);
    foreign.close();
    await unsubscribe();
    await store.close();
  });
});
