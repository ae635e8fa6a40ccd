import { OrchestratorError } from '../core/errors.js';

/** The PostgreSQL schema Mega Mind's tables live in unless told otherwise. */
export const DEFAULT_SCHEMA = 'megamind';

/** Where the store lives, parsed from `database`. */
export type DatabaseTarget =
  | { engine: 'sqlite'; filename: string }
  | { engine: 'postgres'; connectionString: string; schema: string };

/** Parses a `database` option; anything that is neither a PostgreSQL URL nor a file path is refused. */
export function parseDatabase(database: string, schema: string = DEFAULT_SCHEMA): DatabaseTarget {
  if (typeof database !== 'string' || database.trim() === '') {
    throw new OrchestratorError(
      'ERR_INVALID_DATABASE_URL',
      'database must be a postgres:// URL or a SQLite file path',
    );
  }
  if (/^postgres(ql)?:\/\//i.test(database)) {
    let url: URL;
    try {
      url = new URL(database);
    } catch {
      throw new OrchestratorError(
        'ERR_INVALID_DATABASE_URL',
        `database URL is malformed: ${redactUrl(database)}`,
      );
    }
    if (!url.hostname && !url.searchParams.get('host')) {
      throw new OrchestratorError(
        'ERR_INVALID_DATABASE_URL',
        `database URL names no host: ${redactUrl(database)}`,
      );
    }
    return { engine: 'postgres', connectionString: database, schema };
  }
  if (database.startsWith('sqlite:'))
    return {
      engine: 'sqlite',
      filename: database.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''),
    };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(database)) {
    throw new OrchestratorError(
      'ERR_INVALID_DATABASE_URL',
      `unsupported database "${redactUrl(database)}": use a postgres:// URL or a SQLite file path`,
    );
  }
  return { engine: 'sqlite', filename: database };
}

/** A database URL without its password, for error messages. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
