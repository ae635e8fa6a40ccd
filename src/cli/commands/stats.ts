import type { Command } from 'commander';
import { JOB_STATUSES } from '../../core/types.js';
import { databaseOption, type Io } from '../io.js';
import { openExisting } from '../open-existing.js';

const percent = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);

/** `megamind stats`: the seed's success metrics and jobs by status. */
export function registerStats(program: Command, io: Io): void {
  program
    .command('stats')
    .description(
      'patterns learned, successful heals, average confidence, success rate, by category; jobs by status',
    )
    .addOption(databaseOption())
    .option('--json', 'print one JSON object')
    .action(async (options: { database: string; json?: boolean }) => {
      const client = await openExisting(options.database);
      try {
        const statistics = await client.store.healingStatistics();
        const counts = await Promise.all(
          JOB_STATUSES.map((status) => client.store.countJobs({ status })),
        );
        const jobs = Object.fromEntries(JOB_STATUSES.map((status, i) => [status, counts[i]]));
        if (options.json) {
          io.out(JSON.stringify({ ...statistics, jobs }));
          return;
        }
        io.out(
          `patterns learned    ${statistics.patternsLearned} (${statistics.occurrences} errors seen)`,
        );
        io.out(
          `successful heals    ${statistics.successfulHeals} (failed ${statistics.failedHeals}, pending ${statistics.pendingHeals})`,
        );
        io.out(`success rate        ${percent(statistics.successRate)}`);
        io.out(`average confidence  ${statistics.averageConfidence.toFixed(2)}`);
        io.out(`self-healed jobs    ${statistics.selfHealedJobs}`);
        io.out(`jobs                ${JOB_STATUSES.map((s) => `${s} ${jobs[s]}`).join(', ')}`);
        if (statistics.byCategory.length > 0) io.out('by category:');
        for (const c of statistics.byCategory) {
          io.out(
            `  ${c.category.padEnd(20)} ${String(c.patterns).padStart(5)} patterns ${String(c.occurrences).padStart(7)} errors  confidence ${c.averageConfidence.toFixed(2)}`,
          );
        }
      } finally {
        await client.close();
      }
    });
}
