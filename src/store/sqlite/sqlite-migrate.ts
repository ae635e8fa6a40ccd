import type Database from 'better-sqlite3';
import { OrchestratorError } from '../../core/errors.js';
import {
  loadMigrations,
  pendingMigrations,
  type AppliedMigration,
  type MigrationDialect,
} from '../migrator.js';
import type { MigrationResult } from '../store.js';
import { retryWhileBusy } from './busy-retry.js';

/** How the shared migration templates spell SQLite's types: it has no bigint, json, bool or uuid. @internal */
export const SQLITE_MIGRATIONS: MigrationDialect = {
  engine: 'sqlite',
  words: {
    bigint: 'INTEGER',
    json: 'TEXT',
    bool: 'INTEGER',
    false: '0',
    real: 'REAL',
    uuid: 'TEXT',
    serial_key: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  },
};

/** Applies the SQLite migrations not yet in the ledger, waiting up to `busyMs` for the write lock. @internal */
export async function migrateSqlite(
  db: Database.Database,
  busyMs: number,
  filename: string,
): Promise<MigrationResult> {
  const all = loadMigrations(new URL('./migrations/', import.meta.url), SQLITE_MIGRATIONS);
  const run = db.transaction((): MigrationResult => {
    db.exec(`CREATE TABLE IF NOT EXISTS megamind_migrations (
      id INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const applied = db
      .prepare('SELECT id, name, checksum FROM megamind_migrations')
      .all() as AppliedMigration[];
    const pending = pendingMigrations(all, applied);
    for (const migration of pending) {
      db.exec(migration.sql);
      db.prepare(
        'INSERT INTO megamind_migrations (id, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
      ).run(migration.id, migration.name, migration.checksum, Date.now());
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.map((m) => m.name) };
  });
  try {
    // IMMEDIATE takes the write lock first, so two processes starting at once apply each file once.
    return await retryWhileBusy(() => run.immediate(), busyMs, filename);
  } catch (error) {
    if (error instanceof OrchestratorError) throw error;
    throw new OrchestratorError(
      'ERR_STORE_MIGRATION_FAILED',
      `SQLite migration failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
