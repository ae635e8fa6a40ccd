import { createHash } from 'node:crypto';
import pg from 'pg';
import { OrchestratorError } from '../../core/errors.js';
import { redactUrl } from '../database-target.js';

// How the PostgreSQL store talks to the server: parsing, timeouts, statement names, and what a
// connection failure looks like to the user.

/** Defaults of {@link PostgresStoreOptions}' timeouts. */
export const POSTGRES_TIMEOUTS: Readonly<
  Record<'queryTimeoutMs' | 'connectTimeoutMs' | 'listenHealthCheckMs', number>
> = {
  queryTimeoutMs: 10_000,
  connectTimeoutMs: 5000,
  listenHealthCheckMs: 5000,
};

// bigint columns hold milliseconds and counters, far below 2^53: read them as numbers.
export const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export function definedOnly(
  options: Partial<Record<keyof typeof POSTGRES_TIMEOUTS, number>>,
): Partial<typeof POSTGRES_TIMEOUTS> {
  const out: Partial<Record<keyof typeof POSTGRES_TIMEOUTS, number>> = {};
  for (const key of Object.keys(POSTGRES_TIMEOUTS) as (keyof typeof POSTGRES_TIMEOUTS)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!(Number.isFinite(value) && value > 0))
      throw new OrchestratorError(
        'ERR_INVALID_ARGUMENT',
        `${key} must be a number of milliseconds greater than 0`,
      );
    out[key] = value;
  }
  return out;
}

// TCP keepalive notices a peer that vanished; the two timeouts bound a reply that never comes.
export function connectionTimeouts(timeouts: {
  queryTimeoutMs: number;
  connectTimeoutMs: number;
}): pg.ClientConfig {
  return {
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
    connectionTimeoutMillis: timeouts.connectTimeoutMs,
    query_timeout: timeouts.queryTimeoutMs,
    statement_timeout: timeouts.queryTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.queryTimeoutMs,
  };
}

const statementNames = new Map<string, string>();

export function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `mm_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ECONNRESET',
  '3D000',
  '28P01',
  '28000',
]);

/** Turns "cannot reach or log in to the database" into one clear error naming the (password-free) URL. */
export function mapConnectionError(error: unknown, connectionString: string): unknown {
  const code = (error as { code?: string }).code;
  if (code && CONNECTION_CODES.has(code)) {
    return new OrchestratorError(
      'ERR_DATABASE_UNREACHABLE',
      `cannot connect to PostgreSQL at ${redactUrl(connectionString)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return error;
}
