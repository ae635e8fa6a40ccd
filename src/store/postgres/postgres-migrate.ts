import type pg from 'pg';
import { OrchestratorError } from '../../core/errors.js';
import {
  loadMigrations,
  pendingMigrations,
  type AppliedMigration,
  type MigrationDialect,
} from '../migrator.js';
import type { MigrationResult } from '../store.js';

// Migrations may rebuild indexes on large tables: they get a longer leash than runtime statements.
const MIGRATION_TIMEOUT_MS = 10 * 60_000;

// Migrations of every node take this lock, so two processes starting at once apply each file once.
const MIGRATION_LOCK_KEY = 0x6d6d_6967; // "mmig"

/** How the shared migration templates spell PostgreSQL's types. @internal */
export const POSTGRES_MIGRATIONS: MigrationDialect = {
  engine: 'postgres',
  words: {
    bigint: 'BIGINT',
    json: 'JSONB',
    bool: 'BOOLEAN',
    false: 'false',
    real: 'DOUBLE PRECISION',
    uuid: 'UUID',
    serial_key: 'BIGSERIAL PRIMARY KEY',
  },
};

/**
 * Applies the PostgreSQL migrations not yet in the schema's ledger, on one connection holding an
 * advisory lock, each file in its own transaction. @internal
 */
export async function migratePostgres(
  client: pg.PoolClient,
  schema: string,
): Promise<MigrationResult> {
  const all = loadMigrations(new URL('./migrations/', import.meta.url), POSTGRES_MIGRATIONS);
  const query = (text: string, values?: unknown[]) =>
    client.query({
      text,
      values,
      query_timeout: MIGRATION_TIMEOUT_MS,
    } as pg.QueryConfig) as Promise<pg.QueryResult>;
  try {
    await query(`SET statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
    await query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await query(`CREATE TABLE IF NOT EXISTS megamind_migrations (
      id integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at bigint NOT NULL)`);
    const applied = (await query('SELECT id, name, checksum FROM megamind_migrations'))
      .rows as AppliedMigration[];
    const pending = pendingMigrations(all, applied);
    for (const migration of pending) {
      await query('BEGIN');
      try {
        await query(migration.sql);
        await query(
          'INSERT INTO megamind_migrations (id, name, checksum, applied_at) VALUES ($1, $2, $3, $4)',
          [migration.id, migration.name, migration.checksum, Date.now()],
        );
        await query('COMMIT');
      } catch (error) {
        await query('ROLLBACK');
        throw new OrchestratorError(
          'ERR_STORE_MIGRATION_FAILED',
          `PostgreSQL migration ${migration.name} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.map((m) => m.name) };
  } finally {
    await query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
  }
}
