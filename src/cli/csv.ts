/**
 * Just enough RFC 4180 CSV for our own exports and the Loghub benchmark files: quoted fields may
 * hold commas, doubled quotes and line breaks. No dependency for forty lines.
 */

/** Parses CSV text into rows of fields. A trailing line break does not add an empty row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */ && field === '') {
      // Quoted field: runs to the next quote that is not doubled.
      i++;
      for (;;) {
        const close = text.indexOf('"', i);
        if (close === -1) throw new SyntaxError('CSV: unterminated quoted field');
        field += text.slice(i, close);
        if (text.charCodeAt(close + 1) === 34) {
          field += '"';
          i = close + 2;
        } else {
          i = close + 1;
          break;
        }
      }
    } else if (ch === 44 /* , */) {
      row.push(field);
      field = '';
      i++;
    } else if (ch === 10 /* \n */ || ch === 13 /* \r */) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += ch === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      field += text[i];
      i++;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Quotes a field when it holds a comma, a quote or a line break. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line, with its line break. */
export function formatCsvRow(fields: ReadonlyArray<string | number>): string {
  return fields.map((f) => formatCsvField(String(f))).join(',') + '\n';
}
