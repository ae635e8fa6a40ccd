import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createMegaMind } from '../../app/mega-mind.js';
import { parseDatabase } from '../../store/database-target.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, stopOnSignal, type Io } from '../io.js';

/** `megamind monitor`: runs only the proactive monitor on a database until Ctrl+C. */
export function registerMonitor(program: Command, io: Io): void {
  program
    .command('monitor')
    .description(
      'run only the monitor: find stuck, lost, failed, slow and predicted-late jobs and error spikes',
    )
    .addOption(databaseOption())
    .option('--scan-interval <ms>', 'milliseconds between scans of the running jobs', '10000')
    .action(async (options: { database: string; scanInterval: string }) => {
      const scanIntervalMs = Number(options.scanInterval);
      if (!Number.isInteger(scanIntervalMs) || scanIntervalMs < 1) {
        throw new UsageError(
          `--scan-interval must be a whole number of milliseconds >= 1, got "${options.scanInterval}"`,
        );
      }
      const target = parseDatabase(options.database);
      const mm = createMegaMind({ database: options.database, monitor: { scanIntervalMs } });
      const { monitor } = mm;
      monitor.on('leader', (change) =>
        io.out(
          change === 'gained'
            ? `leading: this monitor scans (${monitor.owner})`
            : 'no longer leading',
        ),
      );
      monitor.on('finding', (finding) => io.out(`! ${finding.kind}: ${finding.summary}`));
      monitor.on('handled', (finding, status, outcome) => io.out(`  → ${status}: ${outcome}`));
      monitor.on('monitor:error', (error) => io.err(`monitor error: ${error.message}`));
      await mm.ready();
      // The banner and the signal handlers come before the first scan, whose findings print at once.
      const stopped = stopOnSignal(mm);
      const where =
        target.engine === 'sqlite'
          ? `SQLite database ${resolve(target.filename)}`
          : `PostgreSQL schema "${target.schema}"`;
      io.out(
        `Mega Mind monitor started on ${where}, scanning every ${scanIntervalMs} ms — press Ctrl+C to stop`,
      );
      await monitor.start({ keepAlive: true });
      await stopped;
      io.out('monitor stopped');
    });
}
