import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { TemplateTree } from '../../patterns/template-tree.js';
import { UsageError } from '../cli-error.js';
import { formatCsvRow } from '../csv.js';
import { announceStdin, type Io } from '../io.js';
import { ProgressLine } from '../progress-line.js';

/**
 * `megamind fingerprint FILE`: one message per input line in, one CSV row per line out
 * (`LineId,PatternId,EventTemplate`, in input order). Ids and templates are the ones in force once
 * the whole input has been read, so lines grouped by a late merge share one PatternId.
 */
export async function runFingerprint(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
): Promise<void> {
  const tree = new TemplateTree();
  const assigned: string[] = [];
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) assigned.push(tree.add(line).clusterId);
  await write(output, 'LineId,PatternId,EventTemplate\n');
  // Rows go out in chunks: one write per line is slow, one string for the whole file is large.
  let chunk = '';
  for (let i = 0; i < assigned.length; i++) {
    const id = tree.resolve(assigned[i]!)!;
    chunk += formatCsvRow([i + 1, id, tree.template(id)!]);
    if (chunk.length > 64 * 1024) {
      await write(output, chunk);
      chunk = '';
    }
  }
  if (chunk !== '') await write(output, chunk);
}

/** Writes and waits for the stream to drain when it asks to, so a large input cannot pile up. */
function write(output: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = output.write(text, (error) => {
      if (error) reject(error);
    });
    if (ok) resolve();
    else output.once('drain', resolve);
  });
}

/** `megamind fingerprint [FILE]`: registers {@link runFingerprint} over FILE, or stdin without one. */
export function registerFingerprint(program: Command, io: Io): void {
  program
    .command('fingerprint [file]')
    .description(
      'group log lines into templates: one message per line in (FILE, or stdin), CSV LineId,PatternId,EventTemplate out',
    )
    .option('--progress', 'report progress on stderr even when it is not a terminal')
    .action(async (file: string | undefined, options: { progress?: boolean }) => {
      const fromStdin = file === undefined || file === '-';
      if (fromStdin) {
        announceStdin(io, 'log lines');
        await runFingerprint(io.stdin, io.stdout);
        return;
      }
      const { input, bytes } = await openInput(file);
      // A file has a known size: the bar follows the bytes read (the output comes at the end).
      const progress = new ProgressLine(io.stderr ?? { write: () => true }, {
        label: `reading ${file}`,
        unit: 'bytes',
        total: bytes,
        force: options.progress,
      });
      let read = 0;
      input.on('data', (chunk: string) => progress.update((read += Buffer.byteLength(chunk))));
      try {
        await runFingerprint(input, io.stdout);
      } finally {
        progress.finish();
      }
    });
}

/** A readable stream of `file` and its size, or a {@link UsageError} naming why it cannot be read. */
async function openInput(file: string): Promise<{ input: NodeJS.ReadableStream; bytes: number }> {
  try {
    // open() succeeds on a directory; reading it would fail later, mid-output.
    const info = await stat(file);
    if (info.isDirectory()) throw new UsageError(`cannot read ${file}: it is a directory`);
    return {
      input: (await open(file, 'r')).createReadStream({ encoding: 'utf8' }),
      bytes: info.size,
    };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : (error as Error).message;
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}
