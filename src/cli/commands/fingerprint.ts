import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { TemplateTree } from '../../patterns/template-tree.js';
import { UsageError } from '../cli-error.js';
import { formatCsvRow } from '../csv.js';
import { announceStdin, type Io } from '../io.js';

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
    .action(async (file: string | undefined) => {
      const fromStdin = file === undefined || file === '-';
      if (fromStdin) announceStdin(io, 'log lines');
      const input = fromStdin ? io.stdin : await openInput(file);
      await runFingerprint(input, io.stdout);
    });
}

/** A readable stream of `file`, or a {@link UsageError} naming why it cannot be read. */
async function openInput(file: string): Promise<NodeJS.ReadableStream> {
  try {
    // open() succeeds on a directory; reading it would fail later, mid-output.
    if ((await stat(file)).isDirectory())
      throw new UsageError(`cannot read ${file}: it is a directory`);
    return (await open(file, 'r')).createReadStream({ encoding: 'utf8' });
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
