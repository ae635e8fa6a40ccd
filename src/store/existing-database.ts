import { closeSync, openSync, readSync } from 'node:fs';
import { OrchestratorError } from '../core/errors.js';
import { redactUrl, type DatabaseTarget } from './database-target.js';

/** Whether a database already holds Mega Mind's tables; answering creates nothing. */
export interface DatabaseProbe {
  /** True when the migration ledger exists: a Mega Mind database, possibly of an older version. */
  hasMegaMindTables(): Promise<boolean>;
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** Where a target points, for "no Mega Mind database at …"; never with a password. */
export function describeTarget(target: DatabaseTarget): string {
  return target.engine === 'sqlite'
    ? target.filename
    : `${redactUrl(target.connectionString)} (schema "${target.schema}")`;
}

/** The error a command that only reads gives when there is nothing to read. */
export function noDatabase(target: DatabaseTarget, why: string): OrchestratorError {
  return new OrchestratorError(
    'ERR_DATABASE_NOT_FOUND',
    `no Mega Mind database at ${describeTarget(target)}: ${why}`,
  );
}

/**
 * Checks, before SQLite opens a file (which would create it), that the file exists and is a SQLite
 * database: a typo, a folder, or a text file is refused without touching the disk.
 */
export function assertSqliteFile(target: DatabaseTarget & { engine: 'sqlite' }): void {
  let fd: number;
  try {
    fd = openSync(target.filename, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw noDatabase(
      target,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (error as Error).message,
    );
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    let read = 0;
    try {
      read = readSync(fd, header, 0, header.length, 0);
    } catch (error) {
      throw noDatabase(
        target,
        (error as NodeJS.ErrnoException).code === 'EISDIR'
          ? 'it is a folder'
          : (error as Error).message,
      );
    }
    if (read < header.length || header.toString('latin1') !== SQLITE_HEADER)
      throw noDatabase(target, 'the file is not a SQLite database');
  } finally {
    closeSync(fd);
  }
}
