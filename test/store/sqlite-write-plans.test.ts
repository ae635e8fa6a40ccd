import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as q from '../../src/store/sqlite/queries.js';
import { createTestStore } from '../helpers/stores.js';

// A statement that writes a job row also evaluates every partial index's WHERE for that row. An
// IN list of three or more values there is evaluated through a temporary b-tree built per row
// (migration 0050 removed one that cost ~40 % of a drain). This counts them in the query plans of
// the statements every job goes through, so such an index cannot come back unnoticed.
const PARAMS = {
  type: 't',
  owner: 'o',
  leaseMs: 1,
  limit: 1,
  now: 1,
  leaseNow: 1,
  id: 'x',
  token: 1,
  result: 'null',
  knobs: null,
};

function temporaryTrees(db: Database.Database, sql: string): number {
  const steps = db.prepare(`EXPLAIN ${sql}`).all(PARAMS) as { opcode: string }[];
  return steps.filter((step) => step.opcode === 'OpenEphemeral').length;
}

describe('SQLite statements on the job path', () => {
  it('build no temporary b-tree for partial indexes', async () => {
    const { db: test } = await createTestStore('sqlite');
    const db = new Database(test.database, { readonly: true });
    try {
      // A completion's plan may need one for the UPDATE's own row set; the claim's are its
      // IN (SELECT …) subquery and RETURNING. With the three-value index WHERE of migration 0023
      // each had two more.
      expect(temporaryTrees(db, q.COMPLETE_JOB)).toBeLessThanOrEqual(1);
      expect(temporaryTrees(db, q.CLAIM_JOBS)).toBeLessThanOrEqual(4);
    } finally {
      db.close();
    }
  });
});
