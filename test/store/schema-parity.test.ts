import pg from 'pg';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';

/**
 * Columns one engine has and the other does not, with the reason. Everything else must match, so
 * a migration added to one engine only fails here.
 */
const ENGINE_ONLY: Record<string, string> = {
  // PostgreSQL orders claims of equal priority and run_at by insertion; SQLite uses its rowid.
  'postgres:ai_generation_jobs.seq': 'claim order',
};

async function sqliteColumns(): Promise<Set<string>> {
  const db = await createTestDatabase('sqlite');
  const store = db.open();
  await store.migrate();
  await store.close();
  const sqlite = new Database(db.database, { readonly: true });
  try {
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    return new Set(
      tables.flatMap(({ name }) =>
        (sqlite.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map(
          (c) => `${name}.${c.name}`,
        ),
      ),
    );
  } finally {
    sqlite.close();
  }
}

async function postgresColumns(): Promise<Set<string>> {
  const db = await createTestDatabase('postgres');
  const store = db.open();
  await store.migrate();
  await store.close();
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1',
      [db.schema],
    );
    return new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  } finally {
    await client.end();
  }
}

describe.runIf(ENGINES.includes('postgres'))('schema parity between the engines', () => {
  it('has the same tables and columns on SQLite and PostgreSQL, but for the listed exceptions', async () => {
    const [sqlite, postgres] = await Promise.all([sqliteColumns(), postgresColumns()]);
    const onlySqlite = [...sqlite]
      .filter((c) => !postgres.has(c) && !ENGINE_ONLY[`sqlite:${c}`])
      .sort();
    const onlyPostgres = [...postgres]
      .filter((c) => !sqlite.has(c) && !ENGINE_ONLY[`postgres:${c}`])
      .sort();
    expect({ onlySqlite, onlyPostgres }).toEqual({ onlySqlite: [], onlyPostgres: [] });
    expect(sqlite.size).toBeGreaterThan(50);
  });
});
