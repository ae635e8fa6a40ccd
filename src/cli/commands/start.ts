import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { createApp } from '../../api/app.js';
import { enginePartsOf } from '../../api/engine-parts.js';
import { serveApp, type RunningServer } from '../../api/serve-app.js';
import { createMegaMind } from '../../app/mega-mind.js';
import { prepareDemo } from '../../examples/demo.js';
import { parseDatabase } from '../../store/database-target.js';
import { UsageError } from '../cli-error.js';
import { keysFromEnv, loadConfigFile, parsePort } from '../config.js';
import { schemaOption, stopOnSignal, type Io } from '../io.js';

const DEFAULT_DATABASE = './.megamind/megamind.db';
const DEFAULT_PORT = 3000;

interface StartOptions {
  database?: string;
  port?: string;
  host?: string;
  config?: string;
  schema?: string;
  demo: boolean;
  demoJobs: boolean;
  heal: boolean;
}

/**
 * `megamind start`: the API with the /self-healing dashboard, a worker (running the demo pipeline
 * unless `--no-demo`), and the healer and monitor when the engine carries them. Flags win over the environment, which wins
 * over `megamind.config.*`.
 */
export function registerStart(program: Command, io: Io): void {
  program
    .command('start')
    .description(
      'start the API and dashboard, a worker (running the demo pipeline unless --no-demo) and the monitor, and print the URL',
    )
    .addOption(
      new Option(
        '-d, --database <url-or-path>',
        `postgres:// URL or SQLite file path (default ${DEFAULT_DATABASE})`,
      ).env('DATABASE_URL'),
    )
    .addOption(
      new Option(
        '-p, --port <n>',
        `port of the API (default ${DEFAULT_PORT}; 0 picks a free one)`,
      ).env('PORT'),
    )
    .addOption(
      new Option(
        '--host <address>',
        'address to listen on (default 0.0.0.0 with API keys, else 127.0.0.1)',
      ).env('HOST'),
    )
    .addOption(schemaOption())
    .option('-c, --config <file>', 'config file (default ./megamind.config.json or .js if present)')
    .option('--no-demo', 'no demo pipeline: no generate-app job type, no services, no jobs')
    .option(
      '--no-demo-jobs',
      'define the demo job type and start its services, but enqueue no jobs',
    )
    .option('--no-heal', 'no learning healer: failures get plain exponential backoff')
    .action(async (options: StartOptions) => {
      const file = await loadConfigFile(options.config);
      const database = options.database || file.database || DEFAULT_DATABASE;
      const port =
        options.port !== undefined
          ? parsePort(options.port, '--port')
          : (file.port ?? DEFAULT_PORT);
      const envKeys = keysFromEnv(process.env.MEGAMIND_API_KEYS);
      const keys = envKeys.length > 0 ? envKeys : (file.apiKeys ?? []);
      const demo = options.demo && (file.demo ?? true);
      const schema = options.schema ?? file.schema;
      const target = parseDatabase(database, schema);

      // The healer is what Mega Mind is for: on unless asked not to.
      const mm = createMegaMind({ database, schema, heal: options.heal });
      const prepared = demo
        ? await prepareDemo(mm, { onError: (error) => io.err(`demo: ${String(error)}`) })
        : undefined;
      mm.on('job:started', (job) => io.out(`▶ ${job.type} ${job.id} (attempt ${job.attempts})`));
      mm.on('job:progress', (job, stage, percent) =>
        io.out(`  ${job.id.slice(0, 8)} ${stage ?? ''} ${percent ?? ''}%`),
      );
      mm.on('job:completed', (job) => io.out(`✔ ${job.type} ${job.id} completed`));
      mm.on('job:failed', (job, error, retryAt) =>
        io.out(
          `✖ ${job.type} ${job.id}: ${error.message}${retryAt ? ` (retry at ${new Date(retryAt).toISOString()})` : ''}`,
        ),
      );
      mm.on('worker:error', (error) => io.err(`worker error: ${error.message}`));
      // The monitor runs beside the worker (one leader among every process on the database).
      mm.monitor.on('finding', (finding) => io.out(`! ${finding.kind}: ${finding.summary}`));
      mm.monitor.on('monitor:error', (error) => io.err(`monitor error: ${error.message}`));
      await mm.start();

      let server: RunningServer | undefined;
      // Handlers go in before anything is printed, so a Ctrl+C right after the banner still stops gracefully.
      const stopped = stopOnSignal(mm, () => {
        io.out('stopping: letting running jobs finish…');
        void server?.close();
      });
      const parts = enginePartsOf(mm);
      const app = createApp({
        engine: mm,
        keys,
        rateLimit: file.rateLimit,
        ...parts,
        onError: (error) => io.err(`api error: ${error.message}`),
      });
      try {
        server = await serveApp(app, {
          port,
          host: options.host ?? file.host,
          authenticated: keys.length > 0,
        });
      } catch (error) {
        await prepared?.stop();
        await mm.stop();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new UsageError(`port ${port} is in use: pass --port or PORT`);
        throw error;
      }
      const where =
        target.engine === 'sqlite'
          ? `SQLite database ${resolve(target.filename)}`
          : `PostgreSQL schema "${target.schema}"`;
      io.out(`Mega Mind worker started on ${where}`);
      io.out(server.notice);
      io.out(`Mega Mind is running at ${server.url}`);
      const missing = [
        parts.healer ? undefined : 'healer',
        parts.monitor ? undefined : 'monitor',
      ].filter(Boolean);
      if (missing.length > 0)
        io.out(`not in this build yet: ${missing.join(', ')} (their endpoints answer 501)`);
      io.out(
        `job types: ${mm.types.length > 0 ? mm.types.join(', ') : 'none (--no-demo)'} — press Ctrl+C to stop`,
      );
      io.out(`dashboard: ${server.url}/self-healing`);
      if (prepared && options.demoJobs) {
        await prepared.run();
        io.out(`demo: generate-app jobs against misbehaving services on ${prepared.services.url}`);
      }
      await stopped;
      await prepared?.stop();
      await server.close();
    });
}
