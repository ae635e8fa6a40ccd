import type { Command } from 'commander';
import { enginePartsOf } from '../../api/engine-parts.js';
import { createMegaMind } from '../../app/mega-mind.js';
import { CommandExit } from '../command-exit.js';
import { databaseOption, type Io } from '../io.js';
import { openExisting } from '../open-existing.js';

/** `megamind heal [--job ID]`: one healing scan of every job that needs it, or of one job. */
export function registerHeal(program: Command, io: Io): void {
  program
    .command('heal')
    .description('scan and heal every job that needs it, or one job')
    .addOption(databaseOption())
    .option('-j, --job <id>', 'heal only this job')
    .option('--json', 'print the heal report as JSON')
    .action(async (options: { database: string; job?: string; json?: boolean }) => {
      // Refuses a missing SQLite file before the engine would create one.
      await (await openExisting(options.database)).close();
      const mm = createMegaMind({ database: options.database });
      try {
        const { healer } = enginePartsOf(mm);
        if (!healer) {
          io.err('megamind: healing is not available in this build (the healer is not wired into the engine yet)');
          throw new CommandExit(1);
        }
        if (options.job !== undefined && !(await mm.getJob(options.job))) {
          io.err(`megamind: no job with id "${options.job}"`);
          throw new CommandExit(2);
        }
        const report = await healer.heal(options.job === undefined ? {} : { jobId: options.job });
        if (options.json) {
          io.out(JSON.stringify(report));
          return;
        }
        io.out(`scanned ${report.scanned} job(s), acted on ${report.results.length}`);
        for (const r of report.results) {
          const pattern = r.pattern === null ? 'no pattern' : `${r.pattern.known ? 'known' : 'new'} pattern ${r.pattern.signature}`;
          io.out(`  ${r.jobId}  ${r.detected}  ${pattern}  ${r.applied ?? 'nothing applied'}  → ${r.outcome}${r.message ? `  (${r.message})` : ''}`);
        }
      } finally {
        await mm.stop();
      }
    });
}
