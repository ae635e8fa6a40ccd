import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { PatternPackSchema } from '../../api/contracts.js';
import { exportPatternPack, importPatternPack } from '../../api/pattern-pack.js';
import { UsageError } from '../cli-error.js';
import { databaseOption, type Io } from '../io.js';
import { ProgressLine } from '../progress-line.js';
import { openExisting } from '../open-existing.js';

/** The progress line of a pack command: on stderr when it is a terminal, or with `--progress`. */
function progressLine(
  io: Io,
  label: string,
  total: number | undefined,
  force = false,
): ProgressLine {
  return new ProgressLine(io.stderr ?? { write: () => true }, {
    label,
    unit: 'patterns',
    total,
    force,
  });
}

const PROGRESS_HELP = 'report progress on stderr even when it is not a terminal';

/** `megamind export` and `megamind import`: privacy-preserving pattern packs. */
export function registerPack(program: Command, io: Io): void {
  program
    .command('export')
    .description(
      'write a pattern pack: what was learned, never payloads, messages, job ids or hosts',
    )
    .addOption(databaseOption())
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .option('--progress', PROGRESS_HELP)
    .action(async (options: { database: string; out?: string; progress?: boolean }) => {
      const client = await openExisting(options.database);
      const progress = progressLine(io, 'exporting', undefined, options.progress);
      try {
        // The total only feeds the bar: not worth a read when nobody sees it.
        if (io.stderr?.isTTY || options.progress)
          progress.update(0, (await client.store.healingStatistics()).patternsLearned);
        const pack = await exportPatternPack(client.store, client.clock.now(), (done) =>
          progress.update(done),
        );
        progress.finish();
        const text = `${JSON.stringify(pack, null, 2)}\n`;
        if (options.out === undefined) io.stdout.write(text);
        else {
          await writeFile(options.out, text);
          io.err(`exported ${pack.patterns.length} patterns to ${options.out}`);
        }
      } finally {
        progress.finish();
        await client.close();
      }
    });

  program
    .command('import <file>')
    .description('merge a pattern pack into the local book (weighted; local evidence is kept)')
    .addOption(databaseOption())
    .option('-w, --weight <w>', 'how much an imported observation counts, from 0 to 1', '0.5')
    .option('--json', 'print { imported, created, merged }')
    .option('--progress', PROGRESS_HELP)
    .action(
      async (
        file: string,
        options: { database: string; weight: string; json?: boolean; progress?: boolean },
      ) => {
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
        const progress = progressLine(
          io,
          'importing',
          parsed.data.patterns.length,
          options.progress,
        );
        try {
          progress.update(0);
          const result = await importPatternPack(client.store, parsed.data, {
            weight,
            now: client.clock.now(),
            onProgress: (done) => progress.update(done),
          });
          progress.finish();
          if (options.json) io.out(JSON.stringify(result));
          else if (!result.imported) io.out('this pack was imported before: nothing changed');
          else
            io.out(
              `imported ${parsed.data.patterns.length} patterns: ${result.created} new, ${result.merged} merged into known ones`,
            );
        } finally {
          progress.finish();
          await client.close();
        }
      },
    );
}
