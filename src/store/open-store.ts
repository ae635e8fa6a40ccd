import type { DatabaseTarget } from './database-target.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Opens the store a parsed `database` option names. */
export function openStore(target: DatabaseTarget): Store {
  return target.engine === 'postgres'
    ? new PostgresStore({ connectionString: target.connectionString, schema: target.schema })
    : new SqliteStore({ filename: target.filename });
}
