import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PatternPackSchema } from '../../api/contracts.js';
import { exportPatternPack, importPatternPack } from '../../api/pattern-pack.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, type Io } from '../io.js';
import { openExisting } from '../open-existing.js';

/** A one-line progress report on stderr, redrawn in place on a terminal. */
function progress(io: Io, verb: string): (done: number) => void {
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true;
  return (done) => {
    if (tty) process.stderr.write(`\r${verb} ${done} patterns…`);
  };
}

/** `megamind export` and `megamind import`: privacy-preserving pattern packs. */
export function registerPack(program: Command, io: Io): void {
  program
    .command('export')
    .description(
      'write a pattern pack: what was learned, never payloads, messages, job ids or hosts',
    )
    .addOption(databaseOption())
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (options: { database: string; out?: string }) => {
      const client = await openExisting(options.database);
      try {
        const pack = await exportPatternPack(
          client.store,
          client.clock.now(),
          progress(io, 'exported'),
        );
        const text = `${JSON.stringify(pack, null, 2)}\n`;
        if (options.out === undefined) io.stdout.write(text);
        else {
          await writeFile(options.out, text);
          io.err(`exported ${pack.patterns.length} patterns to ${options.out}`);
        }
      } finally {
        await client.close();
      }
    });

  program
    .command('import <file>')
    .description('merge a pattern pack into the local book (weighted; local evidence is kept)')
    .addOption(databaseOption())
    .option('-w, --weight <w>', 'how much an imported observation counts, from 0 to 1', '0.5')
    .option('--json', 'print { imported, created, merged }')
    .action(async (file: string, options: { database: string; weight: string; json?: boolean }) => {
      const weight = Number(options.weight);
      if (!(options.weight.trim() !== '' && weight >= 0 && weight <= 1))
        throw new UsageError(`--weight must be a number from 0 to 1, got "${options.weight}"`);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(
          code === 'ENOENT'
            ? `${file}: no such file`
            : `${file}: not a JSON pattern pack (${(error as Error).message})`,
        );
      }
      const parsed = PatternPackSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`${file}: ${issue?.path.join('.') || 'pack'}: ${issue?.message}`);
      }
      const client = await openExisting(options.database);
      try {
        progress(io, 'importing')(parsed.data.patterns.length);
        const result = await importPatternPack(client.store, parsed.data, {
          weight,
          now: client.clock.now(),
        });
        if (options.json) io.out(JSON.stringify(result));
        else if (!result.imported) io.out('this pack was imported before: nothing changed');
        else
          io.out(
            `imported ${parsed.data.patterns.length} patterns: ${result.created} new, ${result.merged} merged into known ones`,
          );
      } finally {
        await client.close();
      }
    });
}
