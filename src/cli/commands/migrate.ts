import type { Command } from 'commander';
import { openStore } from '../../store/open-store.js';
import { parseDatabase } from '../../store/database-target.js';
import { databaseOption, type Io } from '../io.js';

/** `megamind migrate`: applies pending migrations (creating the SQLite file if needed). */
export function registerMigrate(program: Command, io: Io): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .addOption(databaseOption())
    .option('--json', 'print { applied, alreadyApplied }')
    .action(async (options: { database: string; json?: boolean }) => {
      const store = openStore(parseDatabase(options.database));
      try {
        const result = await store.migrate();
        if (options.json) io.out(JSON.stringify(result));
        else
          io.out(
            result.applied.length === 0
              ? `up to date (${result.alreadyApplied.length} migrations applied before)`
              : `applied ${result.applied.join(', ')}`,
          );
      } finally {
        await store.close();
      }
    });
}
