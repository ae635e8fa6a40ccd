import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runFingerprint } from '../../src/cli/commands/fingerprint.js';
import { parseCsv } from '../../src/cli/csv.js';

async function fingerprint(text: string): Promise<string> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (c: Buffer) => chunks.push(c));
  await runFingerprint(Readable.from([text]), output);
  output.end();
  return Buffer.concat(chunks).toString('utf8');
}

describe('runFingerprint', () => {
  it('writes one CSV row per input line, in order, grouping the same pattern', async () => {
    const csv = await fingerprint(
      'retry 1 failed, giving up\nshipment lost\r\nretry 7 failed, giving up\n',
    );
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual(['LineId', 'PatternId', 'EventTemplate']);
    expect(rows.map((r) => r[0])).toEqual(['1', '2', '3']);
    expect(rows[0]![1]).toBe(rows[2]![1]);
    expect(rows[1]![1]).not.toBe(rows[0]![1]);
    // The template holds a comma, so the field must come back whole through a CSV parser.
    expect(rows[0]![2]).toBe('retry <*> failed, giving up');
  });

  it('quotes templates with quotes', async () => {
    const csv = await fingerprint('relation "users" does not exist\n');
    expect(csv.split('\n')[1]).toMatch(/^1,[0-9a-f]{16},"relation ""<\*>"" does not exist"$/);
  });

  it('writes only the header for empty input', async () => {
    expect(await fingerprint('')).toBe('LineId,PatternId,EventTemplate\n');
  });
});
