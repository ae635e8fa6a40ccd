import { Writable } from 'node:stream';
import { Option } from 'commander';
import type { MegaMind } from '../app/mega-mind.js';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Raw stderr, for progress lines redrawn in place when it is a terminal. @default none: no progress */
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** `--database`, shared by every command that opens the store. */
export function databaseOption(): Option {
  return new Option('-d, --database <url-or-path>', 'postgres:// URL or SQLite file path')
    .env('DATABASE_URL')
    .default('./.megamind/megamind.db');
}

/** `--schema`, beside `--database`: the PostgreSQL schema of Mega Mind's tables (not used by SQLite). */
export function schemaOption(): Option {
  return new Option('--schema <name>', 'PostgreSQL schema of the tables (ignored for SQLite)')
    .env('MEGAMIND_SCHEMA')
    .default('megamind');
}

/** Says on stderr that a command is waiting on stdin, when stdin is a terminal and would otherwise look hung. */
export function announceStdin(io: Io, what: string): void {
  if ((io.stdin as NodeJS.ReadStream).isTTY)
    io.err(`reading ${what} from stdin; end with Ctrl+D (or pass a file / pipe input)`);
}

/** Resolves once the engine stopped gracefully after the first SIGINT or SIGTERM. */
export function stopOnSignal(mm: MegaMind, onSignal?: () => void): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      onSignal?.();
      void mm.stop().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** A stream whose every line goes to `writeLine`: lets stream-writing commands report through {@link Io.err}. */
export function lineWriter(writeLine: (line: string) => void): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) writeLine(line);
      done();
    },
    final(done) {
      if (pending !== '') writeLine(pending);
      done();
    },
  });
}
