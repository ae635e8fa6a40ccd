import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { expect, onTestFinished } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/** PostgreSQL used by the tests; CI points it at the local server. */
export const TEST_DATABASE_URL =
  process.env.MEGAMIND_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const requested = (process.env.TEST_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    if (process.env.CI) {
      throw new Error(
        `PostgreSQL is required in CI but ${TEST_DATABASE_URL} is unreachable: ${(error as Error).message}`,
      );
    }
    console.warn(
      `\n!!! PostgreSQL at ${TEST_DATABASE_URL} is unreachable: SKIPPING the PostgreSQL suite !!!\n`,
    );
    return false;
  }
}

const withPostgres = requested.includes('postgres') && (await postgresReachable());

/** Where a test's database lives: a fresh SQLite file or a fresh PostgreSQL schema. */
export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  /** What `createMegaMind({ database })` takes. */
  database: string;
  /** PostgreSQL schema (unset for SQLite). */
  schema?: string;
  /** Opens another store on the same database, e.g. for a second worker. */
  open(): Store;
}

/** The engines under test, for `describe.each`. */
export const ENGINES = (['sqlite', 'postgres'] as const).filter(
  (engine) => requested.includes(engine) && (engine === 'sqlite' || withPostgres),
);

// How many databases each test asked for in this process, so a second one is not the first again.
const databasesPerTest = new Map<string, number>();

/**
 * A database of its own for the running test: a new SQLite file in a temp folder, or a PostgreSQL
 * schema named from a hash of the test's name, the how-many-th database it is, and this process
 * (two runs of the suite at once, or two databases in one test, never share a schema). A failed
 * test's schema is kept for a post-mortem and named on stderr.
 */
export async function createTestDatabase(engine: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const state = expect.getState();
  const testName = `${state.testPath}:${state.currentTestName}:${engine}`;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'megamind-test-'));
    const database = join(dir, 'test.db');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    return { engine, database, open: () => new SqliteStore({ filename: database }) };
  }
  const nth = (databasesPerTest.get(testName) ?? 0) + 1;
  databasesPerTest.set(testName, nth);
  const key = `${testName}#${nth}@${process.pid}`;
  const schema = `mmt_${createHash('sha1').update(key).digest('hex').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  onTestFinished(async (context) => {
    if (context.task.result?.state === 'fail') {
      console.warn(`kept PostgreSQL schema ${schema} of the failed test "${testName}"`);
      return;
    }
    const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await cleanup.end();
  });
  return {
    engine,
    database: TEST_DATABASE_URL,
    schema,
    open: () => new PostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 }),
  };
}

/** A migrated store on a fresh database, closed when the test ends. */
export async function createTestStore(
  engine: 'sqlite' | 'postgres',
): Promise<{ store: Store; db: TestDatabase }> {
  const db = await createTestDatabase(engine);
  const store = db.open();
  onTestFinished(() => store.close());
  await store.migrate();
  return { store, db };
}
