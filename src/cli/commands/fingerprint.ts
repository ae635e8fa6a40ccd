import { createInterface } from 'node:readline';
import { TemplateTree } from '../../patterns/template-tree.js';
import { formatCsvRow } from '../csv.js';

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
