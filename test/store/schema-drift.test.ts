import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import {
  createTestStore,
  ENGINES,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../helpers/stores.js';

// The committed dump is what the migrations must produce. After adding a migration, refresh it with
// `UPDATE_SCHEMA=1 npx vitest run test/store/schema-drift` and review the diff.
const dumpFile = (engine: string) =>
  fileURLToPath(new URL(`./schema.${engine}.txt`, import.meta.url));

async function dumpSchema(db: TestDatabase): Promise<string> {
  if (db.engine === 'sqlite') {
    const sqlite = new Database(db.database, { readonly: true });
    const rows = sqlite
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type, name`,
      )
      .all() as { type: string; name: string; sql: string }[];
    sqlite.close();
    return (
      rows.map((row) => `${row.type} ${row.name}: ${row.sql.replace(/\s+/g, ' ')}`).join('\n') +
      '\n'
    );
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
     WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
    [db.schema],
  );
  const indexes = await client.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
    [db.schema],
  );
  await client.end();
  const strip = (text: string) => text.replaceAll(`${db.schema}.`, '');
  return (
    [
      ...columns.rows.map((c) =>
        `column ${c.table_name}.${c.column_name} ${c.data_type} ${c.is_nullable === 'YES' ? 'null' : 'not null'} ${strip(c.column_default ?? '')}`.trimEnd(),
      ),
      ...indexes.rows.map((i) => `index ${i.indexname}: ${strip(i.indexdef)}`),
    ].join('\n') + '\n'
  );
}

describe.each(ENGINES)('schema (%s)', (engine) => {
  it('matches the committed dump after all migrations', async () => {
    const { store, db } = await createTestStore(engine);
    await store.close();
    const dump = await dumpSchema(db);
    if (process.env.UPDATE_SCHEMA || !existsSync(dumpFile(engine))) {
      if (process.env.CI) throw new Error(`schema dump ${dumpFile(engine)} is missing in CI`);
      writeFileSync(dumpFile(engine), dump);
    }
    expect(dump).toBe(readFileSync(dumpFile(engine), 'utf8'));
  });
});
