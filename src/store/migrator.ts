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
 * The words of a shared migration template that differ between engines. A template in
 * `src/store/migrations/` is written once for both; where the engines' SQL differs it says
 * `{{bigint}}`, `{{json}}`, `{{bool}}`, `{{false}}`, `{{real}}`, `{{uuid}}` or `{{serial_key}}`,
 * and a line that only one engine has starts with `-- sqlite: ` or `-- postgres: `. The checksum
 * is taken of the expanded SQL, so a file moved into the shared folder keeps its checksum as long
 * as it expands to the bytes it had.
 */
export interface MigrationDialect {
  engine: 'sqlite' | 'postgres';
  words: Readonly<
    Record<'bigint' | 'json' | 'bool' | 'false' | 'real' | 'uuid' | 'serial_key', string>
  >;
}

const SHARED_FOLDER = new URL('./migrations/', import.meta.url);
const MIGRATION_FILE = /^\d{4}_[\w-]+\.sql$/;

/** The SQL of a shared template for one engine (see {@link MigrationDialect}). @internal */
export function expandTemplate(template: string, dialect: MigrationDialect): string {
  const words: Readonly<Record<string, string>> = dialect.words;
  return template
    .replace(/^-- (sqlite|postgres): (.*\n?)/gm, (_, engine: string, line: string) =>
      engine === dialect.engine ? line : '',
    )
    .replace(/\{\{(\w+)\}\}/g, (_, word: string) => {
      const spelled = words[word];
      if (spelled === undefined) throw new Error(`unknown migration template word {{${word}}}`);
      return spelled;
    });
}

/** `NNNN_name.sql` files of a folder, read through `read`. */
function readFolder(folder: URL, read: (sql: string) => string): Migration[] {
  const dir = fileURLToPath(folder);
  return readdirSync(dir)
    .filter((file) => MIGRATION_FILE.test(file))
    .map((file) => {
      const sql = read(readFileSync(`${dir}/${file}`, 'utf8'));
      return {
        id: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/**
 * An engine's migrations in order: the shared templates expanded for it, and its own files. Files
 * are append-only: a new migration gets the next number, an applied one is never edited (the
 * checksum catches it); a number is either shared or the engine's own.
 */
export function loadMigrations(folder: URL, dialect: MigrationDialect): Migration[] {
  const shared = readFolder(SHARED_FOLDER, (template) => expandTemplate(template, dialect));
  const own = readFolder(folder, (sql) => sql);
  const sharedIds = new Set(shared.map((migration) => migration.id));
  const twice = own.find((migration) => sharedIds.has(migration.id));
  if (twice) throw new Error(`migration ${twice.name} is both shared and ${dialect.engine}'s own`);
  return [...shared, ...own].sort((a, b) => a.id - b.id);
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
