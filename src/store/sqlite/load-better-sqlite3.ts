import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { OrchestratorError } from '../../core/errors.js';

type DatabaseConstructor = typeof Database;

let loaded: DatabaseConstructor | undefined;

/**
 * Loads better-sqlite3 on first use: it is an optional dependency (a native module), so a
 * PostgreSQL-only install that left it out still imports Mega Mind, and asking for SQLite then
 * names the package to install instead of failing at import time.
 */
export function loadBetterSqlite3(): DatabaseConstructor {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)('better-sqlite3') as DatabaseConstructor;
    return loaded;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'MODULE_NOT_FOUND'
        ? 'it is not installed'
        : `it failed to load: ${(error as Error).message}`;
    throw new OrchestratorError(
      'ERR_MISSING_DEPENDENCY',
      `SQLite needs the package better-sqlite3, but ${reason}; run \`npm install better-sqlite3\`, or use a postgres:// database`,
      { cause: error },
    );
  }
}
