import type { Command } from 'commander';
import { createMegaMind } from '../../app/mega-mind.js';
import type { Json } from '../../core/types.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, type Io } from '../io.js';
import { openExisting } from '../open-existing.js';

/**
 * `megamind heal`: heals one failed job, or scans the failed ones, and prints what was done; with
 * `--remedy`, applies that catalogue remedy (with `--param k=v`) to the one job `--job` names.
 */
export function registerHeal(program: Command, io: Io): void {
  program
    .command('heal')
    .description('heal failed jobs: choose a remedy for each, queue it again or escalate it')
    .addOption(databaseOption())
    .option('-j, --job <id>', 'only this job')
    .option('-n, --limit <n>', 'failed jobs to scan', '100')
    .option('-r, --remedy <action>', 'apply this catalogue remedy to the job (needs --job)')
    .option(
      '-p, --param <key=value>',
      'a parameter of --remedy, e.g. factor=2 or value=gpt-4o (repeatable; JSON values allowed)',
      (entry: string, all: string[]) => [...all, entry],
      [] as string[],
    )
    .option('--json', 'print JSON lines')
    .action(async (options: HealOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError(`--limit must be a whole number >= 1, got "${options.limit}"`);
      if (options.remedy !== undefined && options.job === undefined)
        throw new UsageError('--remedy needs --job <id>: a remedy is applied to one job');
      if (options.param.length > 0 && options.remedy === undefined)
        throw new UsageError('--param needs --remedy <action>');
      const params = paramsOf(options.param);
      // Refuses a missing SQLite file before the engine would create one.
      await (await openExisting(options.database)).close();
      const mm = createMegaMind({ database: options.database });
      try {
        const reports =
          options.remedy !== undefined
            ? [await mm.applyRemedy({ jobId: options.job!, action: options.remedy, params })]
            : await mm.heal({ jobId: options.job, limit });
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

interface HealOptions {
  database: string;
  job?: string;
  limit: string;
  remedy?: string;
  param: string[];
  json?: boolean;
}

/** `k=v` pairs as parameters: a value that parses as JSON (2, true, "x") is that, else a string. */
function paramsOf(entries: readonly string[]): Record<string, Json> {
  const params: Record<string, Json> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new UsageError(`--param must be key=value, got "${entry}"`);
    const raw = entry.slice(equals + 1);
    let value: Json;
    try {
      value = JSON.parse(raw) as Json;
    } catch {
      value = raw;
    }
    params[entry.slice(0, equals)] = value;
  }
  return params;
}
