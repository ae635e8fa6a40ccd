import type { Command } from 'commander';
import { createMegaMind } from '../../app/mega-mind.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, type Io } from '../io.js';
import { openExisting } from '../open-existing.js';

/** `megamind heal`: heals one failed job, or scans the failed ones, and prints what was done. */
export function registerHeal(program: Command, io: Io): void {
  program
    .command('heal')
    .description('heal failed jobs: choose a remedy for each, queue it again or escalate it')
    .addOption(databaseOption())
    .option('-j, --job <id>', 'only this job')
    .option('-n, --limit <n>', 'failed jobs to scan', '100')
    .option('--json', 'print JSON lines')
    .action(async (options: { database: string; job?: string; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError(`--limit must be a whole number >= 1, got "${options.limit}"`);
      // Refuses a missing SQLite file before the engine would create one.
      await (await openExisting(options.database)).close();
      const mm = createMegaMind({ database: options.database });
      try {
        const reports = await mm.heal({ jobId: options.job, limit });
        for (const report of reports) {
          if (options.json) io.out(JSON.stringify(report));
          else {
            const applied = report.applied
              ? `${report.applied.action} ${JSON.stringify(report.applied.params)}`
              : report.decision;
            io.out(
              [
                report.jobId,
                report.detected.category,
                report.pattern.new ? 'new pattern' : 'known pattern',
                applied,
                report.outcome,
              ].join('  '),
            );
            if (report.reason) io.out(`    ${report.reason}`);
            for (const need of report.needs) io.out(`    to enable: ${need}`);
          }
        }
        if (!options.json && reports.length === 0)
          io.out(options.job ? `no job ${options.job}` : 'no failed jobs to heal');
      } finally {
        await mm.stop();
      }
    });
}
