import { existsSync } from 'node:fs';
import { createMegaMindClient, type MegaMindClient } from '../app/client.js';
import { parseDatabase } from '../store/database-target.js';
import { UsageError } from './cli-error.js';

/**
 * A client on a database that must already exist: a command that only reads or merges must not
 * create an empty SQLite file because of a typo in a path.
 */
export async function openExisting(database: string): Promise<MegaMindClient> {
  const target = parseDatabase(database);
  if (
    target.engine === 'sqlite' &&
    target.filename !== ':memory:' &&
    !existsSync(target.filename)
  ) {
    throw new UsageError(
      `no database at ${target.filename} (run "megamind migrate" or "megamind start" first, or pass --database)`,
    );
  }
  const client = createMegaMindClient({ database });
  try {
    await client.ready();
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
