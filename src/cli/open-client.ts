import { createMegaMindClient, type MegaMindClient } from '../app/client.js';
import { createLogger } from '../app/create-logger.js';

/** `--database` and `--schema` as commands receive them. */
export interface DatabaseOptions {
  database: string;
  schema: string;
}

/**
 * A client on an existing database for a command run by hand: it never creates a file, folder,
 * schema or table (a typo in `--database` says "no Mega Mind database at …"), and logs only errors.
 */
export function openClient(options: DatabaseOptions): MegaMindClient {
  return createMegaMindClient({
    database: options.database,
    schema: options.schema,
    readOnly: true,
    logger: createLogger({ level: 'error' }),
  });
}

/** Runs `use` on a client and closes it, whatever happens. */
export async function withClient<T>(
  options: DatabaseOptions,
  use: (client: MegaMindClient) => Promise<T>,
): Promise<T> {
  const client = openClient(options);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
