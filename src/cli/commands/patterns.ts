import type { Command } from 'commander';
import { CATEGORY_IDS, isCategory } from '../../knowledge/categories.js';
import { UsageError } from '../cli-error.js';
import { withClient } from '../open-client.js';
import { databaseOption, schemaOption, type Io } from '../io.js';

const ORDERS = ['last_seen', 'occurrences'] as const;

/** `megamind patterns`: lists the pattern book of a database. */
export function registerPatterns(program: Command, io: Io): void {
  program
    .command('patterns')
    .description('list learned error patterns, most recently seen first')
    .addOption(databaseOption())
    .addOption(schemaOption())
    .option('-c, --category <category>', 'only patterns of this category')
    .option('-o, --order <order>', `${ORDERS.join(' or ')}`, 'last_seen')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print JSON lines')
    .action(
      async (options: {
        database: string;
        schema: string;
        category?: string;
        order: string;
        limit: string;
        json?: boolean;
      }) => {
        if (options.category !== undefined && !isCategory(options.category)) {
          throw new UsageError(
            `--category must be one of ${CATEGORY_IDS.join(', ')}, got "${options.category}"`,
          );
        }
        if (!ORDERS.includes(options.order as (typeof ORDERS)[number])) {
          throw new UsageError(
            `--order must be one of ${ORDERS.join(', ')}, got "${options.order}"`,
          );
        }
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new UsageError(`--limit must be a whole number >= 1, got "${options.limit}"`);
        // Reading must not change the book: no recording, no tree loaded or saved.
        await withClient(options, async (client) => {
          await client.ready();
          const patterns = await client.store.listPatterns({
            category: options.category,
            orderBy: options.order as (typeof ORDERS)[number],
            limit,
          });
          for (const p of patterns) {
            if (options.json) io.out(JSON.stringify(p));
            else {
              const seen = new Date(p.lastSeen).toISOString();
              io.out(
                [
                  p.patternKey,
                  p.category,
                  `×${p.occurrenceCount}`,
                  `confidence ${p.confidence}`,
                  p.source,
                  seen,
                  p.template,
                ].join('  '),
              );
              if (p.remedies.length > 0) io.out(`    remedies: ${p.remedies.join(', ')}`);
            }
          }
          if (!options.json && patterns.length === 0) io.out('no patterns');
        });
      },
    );
}
