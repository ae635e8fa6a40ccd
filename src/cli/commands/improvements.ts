import type { Command } from 'commander';
import { createMegaMind } from '../../app/mega-mind.js';
import { VALIDATION_STATUSES, type ValidationStatus } from '../../store/heal-store.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, type Io } from '../io.js';

/** `megamind improvements`: the improvement log, newest first. */
export function registerImprovements(program: Command, io: Io): void {
  program
    .command('improvements')
    .description('list heals from the improvement log, newest first')
    .addOption(databaseOption())
    .option('-j, --job <id>', 'only heals of this job')
    .option('-p, --pattern <id>', 'only heals of this pattern')
    .option('-a, --action <action>', 'only heals with this remedy action')
    .option(
      '-s, --status <status>',
      `only heals in this validation status (${VALIDATION_STATUSES.join(', ')})`,
    )
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print JSON lines')
    .action(
      async (options: {
        database: string;
        job?: string;
        pattern?: string;
        action?: string;
        status?: string;
        limit: string;
        json?: boolean;
      }) => {
        if (
          options.status !== undefined &&
          !VALIDATION_STATUSES.includes(options.status as ValidationStatus)
        ) {
          throw new UsageError(
            `--status must be one of ${VALIDATION_STATUSES.join(', ')}, got "${options.status}"`,
          );
        }
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new UsageError(`--limit must be a whole number >= 1, got "${options.limit}"`);
        const mm = createMegaMind({ database: options.database, learnPatterns: false });
        try {
          const rows = await mm.improvements({
            jobId: options.job,
            patternId: options.pattern,
            action: options.action,
            status: options.status as ValidationStatus | undefined,
            limit,
          });
          for (const row of rows) {
            if (options.json) io.out(JSON.stringify(row));
            else {
              const at = new Date(row.createdAt).toISOString();
              const outcome = row.outcome ?? 'pending';
              io.out(
                [
                  at,
                  row.action,
                  row.validationStatus,
                  outcome,
                  `confidence ${row.confidence}`,
                  `job ${row.jobId ?? '-'}`,
                  String(row.detected.category ?? '-'),
                ].join('  '),
              );
              if (row.remedy !== null && row.remedy !== row.action)
                io.out(`    remedy: ${row.remedy}`);
            }
          }
          if (!options.json && rows.length === 0) io.out('no improvements');
        } finally {
          await mm.stop();
        }
      },
    );
}
