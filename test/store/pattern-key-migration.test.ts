import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createTestDatabase,
  ENGINES,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

/** Runs statements on the test database as a plain client, outside any store. */
async function raw(db: TestDatabase, statements: string[]): Promise<void> {
  if (db.engine === 'sqlite') {
    const conn = new Database(db.database);
    try {
      for (const sql of statements) conn.exec(sql);
    } finally {
      conn.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${db.schema}`);
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

describe.each(ENGINES)('migration 0030, pattern_key (%s)', (engine) => {
  it('keeps every pattern of a database made before it, now found by its pattern key', async () => {
    const db = await createTestDatabase(engine);
    const first = db.open();
    await first.migrate();
    await first.close();
    // Back to the schema as it was before 0030, with a pattern and an occurrence stored in it.
    await raw(db, [
      'ALTER TABLE universal_error_patterns RENAME COLUMN pattern_key TO signature',
      'ALTER TABLE error_occurrences DROP COLUMN signature',
      ...(engine === 'postgres'
        ? [
            'ALTER INDEX universal_error_patterns_pattern_key_key RENAME TO universal_error_patterns_signature_key',
          ]
        : []),
      'DELETE FROM megamind_migrations WHERE id = 30',
      `INSERT INTO universal_error_patterns (id, signature, template, category, occurrence_count,
         first_seen, last_seen, created_at, updated_at)
       VALUES ('p-old', 'rule:postgres.too_many_clients', 'sorry, too many clients already',
         'database_connection', 7, ${T0}, ${T0}, ${T0}, ${T0})`,
      `INSERT INTO error_occurrences (pattern_id, message, at)
       VALUES ('p-old', 'sorry, too many clients already', ${T0})`,
    ]);
    const store = db.open();
    onTestFinished(() => store.close());
    expect((await store.migrate()).applied).toEqual(['0030_pattern_key']);
    const pattern = await store.getPattern('rule:postgres.too_many_clients');
    expect(pattern).toMatchObject({
      id: 'p-old',
      patternKey: 'rule:postgres.too_many_clients',
      occurrenceCount: 7,
    });
    // The key stays unique: the next occurrence counts on the old row.
    const counted = await store.upsertPattern(
      {
        patternKey: 'rule:postgres.too_many_clients',
        template: 'sorry, too many clients already',
        category: 'database_connection',
        transient: true,
        rootCause: null,
        remedies: [],
        prevention: null,
        facts: {},
        source: 'rule',
        confidence: 0.9,
        example: null,
      },
      T0 + 1,
    );
    expect(counted).toMatchObject({ id: 'p-old', occurrenceCount: 8 });
    // Occurrences stored before 0030 have no signature; they are kept as they were.
    expect(await store.listOccurrences('p-old')).toMatchObject([
      { message: 'sorry, too many clients already', signature: null },
    ]);
  });
});
