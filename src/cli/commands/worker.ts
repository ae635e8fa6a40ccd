import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option, type Command } from 'commander';
import { createLogger } from '../../app/create-logger.js';
import type * as TsxApi from 'tsx/esm/api';
import { createMegaMind, type MegaMind } from '../../app/mega-mind.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, schemaOption, stopOnSignal, type Io } from '../io.js';

/** What a jobs module exports: a function that defines job types on the engine it is given. */
type Register = (mm: MegaMind) => void | Promise<void>;

// tsx is an optional peer: only a TypeScript jobs module needs it.
async function loadTsx(modulePath: string): Promise<typeof TsxApi> {
  try {
    return await import('tsx/esm/api');
  } catch {
    throw new UsageError(
      `--module ${modulePath} is TypeScript, which needs the package tsx: run \`npm install --save-dev tsx\`, or compile the module to .js`,
    );
  }
}

async function loadRegister(modulePath: string): Promise<Register> {
  const file = resolve(modulePath);
  if (!existsSync(file)) throw new UsageError(`--module ${modulePath}: no such file`);
  const url = pathToFileURL(file).href;
  // TypeScript modules load through tsx, so a project needs no build step to run its worker.
  const loaded = (
    /\.[cm]?tsx?$/.test(file)
      ? await (await loadTsx(modulePath)).tsImport(url, import.meta.url)
      : await import(url)
  ) as {
    default?: unknown;
    register?: unknown;
  };
  const register = typeof loaded.register === 'function' ? loaded.register : loaded.default;
  if (typeof register !== 'function') {
    throw new UsageError(
      `--module ${modulePath} must export a function register(mm) (named or default) that defines job types`,
    );
  }
  return register as Register;
}

/** `megamind worker --module ./jobs.ts`: runs the job types a module defines until Ctrl+C. */
export function registerWorker(program: Command, io: Io): void {
  program
    .command('worker')
    .description('run the job types that a module defines, until SIGINT/SIGTERM')
    .requiredOption(
      '-m, --module <path>',
      'a module exporting register(mm) that calls mm.define(...)',
    )
    .addOption(databaseOption())
    .addOption(schemaOption())
    .addOption(new Option('-v, --verbose', 'also log every job as it starts').conflicts('quiet'))
    .option('-q, --quiet', 'log only warnings and errors')
    .option('--no-heal', 'no learning healer: failures get plain exponential backoff')
    .action(
      async (options: {
        module: string;
        database: string;
        schema: string;
        verbose?: boolean;
        quiet?: boolean;
        heal: boolean;
      }) => {
        const register = await loadRegister(options.module);
        // JSON lines on stdout (pino): start, completions, failures, recovered leases, reconnections, stop.
        const logger = createLogger({
          level: options.quiet ? 'warn' : options.verbose ? 'debug' : 'info',
          destination: { write: (line: string) => io.stdout.write(line) },
        });
        const mm = createMegaMind({
          database: options.database,
          schema: options.schema,
          logger,
          heal: options.heal,
        });
        await register(mm);
        if (mm.types.length === 0)
          throw new UsageError(`--module ${options.module} defined no job types`);
        // The engine logs completions at debug (a library should not be chatty); a worker run by hand says each one.
        if (!options.verbose)
          mm.on('job:completed', (job) =>
            logger.info({ jobId: job.id, type: job.type }, `job ${job.type} ${job.id} completed`),
          );
        await mm.start();
        await stopOnSignal(mm);
      },
    );
}
