import type { Logger } from '../core/logger.js';
import type { DatabaseTarget } from './database-target.js';
import { assertSqliteFile } from './existing-database.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/** Opens the store a parsed `database` option names; with `mustExist`, never creates a file, folder, schema or table. */
export function openStore(
  target: DatabaseTarget,
  logger?: Logger,
  options: { mustExist?: boolean } = {},
): Store {
  if (target.engine === 'postgres')
    return new PostgresStore({
      connectionString: target.connectionString,
      schema: target.schema,
      logger,
    });
  if (options.mustExist) assertSqliteFile(target);
  return new SqliteStore({ filename: target.filename, mustExist: options.mustExist });
}
