import type { Command } from 'commander';
import { JOB_STATUSES, type JobStatus } from '../../core/types.js';
import { UsageError } from '../cli-error.js';
import { withClient } from '../open-client.js';
import { databaseOption, schemaOption, type Io } from '../io.js';

/** `megamind jobs`: lists jobs with their stage and progress. */
export function registerJobs(program: Command, io: Io): void {
  program
    .command('jobs')
    .description('list jobs, newest first')
    .addOption(databaseOption())
    .addOption(schemaOption())
    .option('-s, --status <status>', `only jobs in this status (${JOB_STATUSES.join(', ')})`)
    .option('-t, --type <type>', 'only jobs of this type')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON lines')
    .action(
      async (options: {
        database: string;
        schema: string;
        status?: string;
        type?: string;
        limit: string;
        json?: boolean;
      }) => {
        if (options.status && !JOB_STATUSES.includes(options.status as JobStatus)) {
          throw new UsageError(
            `--status must be one of ${JOB_STATUSES.join(', ')}, got "${options.status}"`,
          );
        }
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new UsageError(`--limit must be a whole number >= 1, got "${options.limit}"`);
        await withClient(options, async (client) => {
          const jobs = await client.listJobs({
            status: options.status as JobStatus | undefined,
            type: options.type,
            limit,
          });
          for (const job of jobs) {
            if (options.json) io.out(JSON.stringify(job));
            else
              io.out(
                [
                  job.id,
                  job.type,
                  job.status,
                  `${job.progress}%`,
                  job.stage ?? '-',
                  `attempt ${job.attempts}/${job.maxAttempts}`,
                ].join('  '),
              );
          }
          if (!options.json && jobs.length === 0) io.out('no jobs');
        });
      },
    );
}
