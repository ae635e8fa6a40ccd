import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { MigrationResult } from '../../src/store/store.js';
import { createTestDatabase, ENGINES } from '../helpers/stores.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../fixtures/migrate-process.ts', import.meta.url));

describe.each(ENGINES)('migrations (%s)', (engine) => {
  it('are applied exactly once when several processes start at the same time', async () => {
    const db = await createTestDatabase(engine);
    const outputs = await Promise.all(
      [1, 2, 3].map(() =>
        run(process.execPath, ['--import', 'tsx', SCRIPT, db.database, db.schema ?? '-']),
      ),
    );
    const results = outputs.map((output) => JSON.parse(output.stdout) as MigrationResult);
    const appliedBy = results.flatMap((result) => result.applied);
    // Every migration was applied by exactly one process; the others found it done.
    expect(appliedBy.sort()).toEqual(results.find((r) => r.applied.length > 0)!.applied.sort());
    expect(new Set(appliedBy).size).toBe(appliedBy.length);
    const store = db.open();
    expect((await store.migrate()).applied).toEqual([]);
    await store.close();
  });
});
