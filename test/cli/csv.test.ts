import { describe, expect, it } from 'vitest';
import { formatCsvRow, parseCsv } from '../../src/cli/csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
  });

  it('accepts CRLF line ends and a missing final line break', () => {
    expect(parseCsv('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('rejects an unterminated quoted field', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/unterminated/);
  });
});

describe('formatCsvRow', () => {
  it('round-trips through parseCsv', () => {
    const row = ['1', 'plain', 'with, comma', 'with "quotes"', 'two\nlines'];
    expect(parseCsv(formatCsvRow(row))).toEqual([row]);
  });
});
