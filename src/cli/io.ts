import { Option } from 'commander';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
}

/** `--database`, shared by every command that opens the store. */
export function databaseOption(): Option {
  return new Option('-d, --database <url-or-path>', 'postgres:// URL or SQLite file path')
    .env('DATABASE_URL')
    .default('./.megamind/megamind.db');
}
