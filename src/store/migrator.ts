import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OrchestratorError } from '../core/errors.js';

/** One numbered migration file. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
  checksum: string;
}

/** A row of the migration ledger. */
export interface AppliedMigration {
  id: number;
  name: string;
  checksum: string;
}

/**
 * Reads `NNNN_name.sql` files from an engine's migrations folder, in order. Files are append-only:
 * a new migration gets the next number, an applied one is never edited (the checksum catches it).
 */
export function loadMigrations(folder: URL): Migration[] {
  const dir = fileURLToPath(folder);
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, 'utf8');
      return {
        id: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** Returns the migrations still to apply; throws if an applied one was edited since. */
export function pendingMigrations(all: Migration[], applied: AppliedMigration[]): Migration[] {
  const byId = new Map(applied.map((row) => [Number(row.id), row]));
  for (const migration of all) {
    const row = byId.get(migration.id);
    if (row && row.checksum !== migration.checksum) {
      throw new OrchestratorError(
        'ERR_STORE_MIGRATION_CHECKSUM',
        `migration ${migration.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)} != ${migration.checksum.slice(0, 12)})`,
      );
    }
  }
  return all.filter((migration) => !byId.has(migration.id));
}
