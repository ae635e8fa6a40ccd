import type { Logger } from '../../core/logger.js';

/** Options of {@link PostgresStore}. */
export interface PostgresStoreOptions {
  /** A `postgres://` or `postgresql://` URL. */
  connectionString: string;
  /**
   * Schema holding Mega Mind's tables; created if missing.
   * @default 'megamind'
   */
  schema?: string;
  /** Told when the LISTEN connection drops and comes back. @default silent */
  logger?: Logger;
  /**
   * Connections in the pool.
   * @default 10
   */
  poolSize?: number;
  /**
   * Longest wait for any one statement: the server cancels it (`statement_timeout`) and the client
   * gives up on a reply that never comes (a half-open connection), then drops the connection.
   * @default 10000
   */
  queryTimeoutMs?: number;
  /** Longest wait for a new connection. @default 5000 */
  connectTimeoutMs?: number;
  /** How often the LISTEN connection proves it is alive; a dead one is replaced. @default 5000 */
  listenHealthCheckMs?: number;
}
