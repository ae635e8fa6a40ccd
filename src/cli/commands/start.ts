import { resolve } from 'node:path';
import type { Command } from 'commander';
import { prepareDemo } from '../../examples/demo.js';
import { createMegaMind } from '../../app/mega-mind.js';
import { parseDatabase } from '../../store/database-target.js';
import { databaseOption, stopOnSignal, type Io } from '../io.js';

/** `megamind start`: a worker on the default database, running the demo pipeline unless `--no-demo`. */
export function registerStart(program: Command, io: Io): void {
  program
    .command('start')
    .description('start a worker and the monitor; with the demo, a generate-app pipeline against misbehaving loopback services')
    .addOption(databaseOption())
    .option('--no-demo', 'start without the demo pipeline and its jobs')
    .action(async (options: { database: string; demo: boolean }) => {
      const target = parseDatabase(options.database);
      const mm = createMegaMind({ database: options.database });
      const demo = options.demo ? await prepareDemo(mm, { onError: (error) => io.err(`demo: ${String(error)}`) }) : undefined;
      mm.on('job:started', (job) => io.out(`▶ ${job.type} ${job.id} (attempt ${job.attempts})`));
      mm.on('job:progress', (job, stage, percent) => io.out(`  ${job.id.slice(0, 8)} ${stage ?? ''} ${percent ?? ''}%`));
      mm.on('job:completed', (job) => io.out(`✔ ${job.type} ${job.id} completed`));
      mm.on('job:failed', (job, error, retryAt) =>
        io.out(`✖ ${job.type} ${job.id}: ${error.message}${retryAt ? ` (retry at ${new Date(retryAt).toISOString()})` : ''}`),
      );
      mm.on('worker:error', (error) => io.err(`worker error: ${error.message}`));
      // The monitor runs beside the worker (one leader among every process on the database).
      mm.monitor.on('finding', (finding) => io.out(`! ${finding.kind}: ${finding.summary}`));
      mm.monitor.on('monitor:error', (error) => io.err(`monitor error: ${error.message}`));
      await mm.start();
      // Handlers go in before anything is printed, so a Ctrl+C right after the banner still stops gracefully.
      const stopped = stopOnSignal(mm, () => io.out('stopping: letting running jobs finish…'));
      const where = target.engine === 'sqlite' ? `SQLite database ${resolve(target.filename)}` : `PostgreSQL schema "${target.schema}"`;
      io.out(`Mega Mind worker started on ${where}`);
      io.out(`job types: ${mm.types.join(', ') || '(none)'} — press Ctrl+C to stop`);
      if (demo) {
        await demo.run();
        io.out(`demo: generate-app jobs against misbehaving services on ${demo.services.url}`);
      }
      await stopped;
      await demo?.stop();
    });
}
