#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isOrchestratorError } from '../core/errors.js';
import { UsageError } from './cli-error.js';
import { CommandExit } from './command-exit.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerCancelRetry, registerEnqueue } from './commands/enqueue.js';
import { registerFingerprint } from './commands/fingerprint.js';
import { registerHeal } from './commands/heal.js';
import { registerImprovements } from './commands/improvements.js';
import { registerJobs } from './commands/jobs.js';
import { registerSchedules } from './commands/schedules.js';
import { registerMonitor } from './commands/monitor.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPack } from './commands/pack.js';
import { registerPatterns } from './commands/patterns.js';
import { registerStart } from './commands/start.js';
import { registerStats } from './commands/stats.js';
import { registerWorker } from './commands/worker.js';
import type { Io } from './io.js';

/** The package's version, read from package.json (two folders up from both src/cli and dist/cli). */
function packageVersion(): string {
  return (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
}

/** Builds the `megamind` program; commands write through `io`. */
export function buildProgram(io: Io): Command {
  const program = new Command('megamind')
    .description('Mega Mind: a self-healing job orchestrator')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.err(s.trimEnd()) });
  registerStart(program, io);
  registerJobs(program, io);
  registerEnqueue(program, io);
  registerCancelRetry(program, io);
  registerSchedules(program, io);
  registerWorker(program, io);
  registerMonitor(program, io);
  registerPatterns(program, io);
  registerAnalyze(program, io);
  registerFingerprint(program, io);
  registerHeal(program, io);
  registerStats(program, io);
  registerPack(program, io);
  registerMigrate(program, io);
  registerImprovements(program, io);
  return program;
}

// Not the caller's input, but something the user fixes in their setup: still exit 2, one line.
const USER_FIXABLE = new Set(['ERR_DATABASE_UNREACHABLE', 'ERR_MISSING_DEPENDENCY']);

/**
 * Runs the CLI and returns the exit code: 0 on success, 2 for a user mistake (bad flag, bad input,
 * bad database URL) with one line naming it, 1 for anything else.
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CommandExit) return error.exitCode;
    if (error instanceof UsageError) {
      io.err(`megamind: ${error.message}`);
      return 2;
    }
    if (isOrchestratorError(error)) {
      io.err(`megamind: ${error.message} (${error.code})`);
      return error.status < 500 || USER_FIXABLE.has(error.code) ? 2 : 1;
    }
    io.err(`megamind: unexpected error: ${(error as Error).message}`);
    return 1;
  }
}

const isMain =
  process.argv[1] !== undefined &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) {
  const io: Io = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
