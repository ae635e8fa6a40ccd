import type { Command } from 'commander';
import { databaseOption, schemaOption, type Io } from '../io.js';
import { withClient, type DatabaseOptions } from '../open-client.js';

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

/** `megamind schedules`: the cron and repeatable schedules workers declared, with their next slot. */
export function registerSchedules(program: Command, io: Io): void {
  program
    .command('schedules')
    .description('list cron and repeatable schedules with their next and last run')
    .addOption(databaseOption())
    .addOption(schemaOption())
    .option('--json', 'print JSON lines')
    .action(async (options: DatabaseOptions & { json?: boolean }) => {
      await withClient(options, async (client) => {
        await client.ready();
        const schedules = await client.store.listSchedules();
        for (const s of schedules) {
          if (options.json) io.out(JSON.stringify(s));
          else {
            const when =
              s.spec.cron !== null
                ? `cron "${String(s.spec.cron)}" ${String(s.spec.timezone)}`
                : `every ${String(s.spec.everyMs)} ms`;
            io.out(
              [
                s.name,
                s.type,
                when,
                `missed: ${String(s.spec.missed)}`,
                `next ${iso(s.nextRunAt)}`,
                `last ${iso(s.lastRunAt)}`,
              ].join('  '),
            );
          }
        }
        if (!options.json && schedules.length === 0) io.out('no schedules');
      });
    });
}
