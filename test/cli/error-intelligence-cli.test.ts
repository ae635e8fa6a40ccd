import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMegamind, type CliRun } from '../helpers/cli.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/cli/csv.js';
import { PatternBook } from '../../src/patterns/pattern-book.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'megamind-cli-intel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function megamind(args: string[], stdin = ''): Promise<CliRun> {
  return runMegamind(dir, args, stdin);
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('megamind analyze, fingerprint and patterns', () => {
  it('analyses JSON lines from stdin into JSON lines on stdout', async () => {
    const input = [
      JSON.stringify({ message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' }),
      JSON.stringify({ message: 'deadlock detected', code: '40P01' }),
    ].join('\n');
    const { code, stdout, stderr } = await megamind(['analyze'], input);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const results = jsonLines(stdout);
    expect(results.map((r) => [r.line, r.category])).toEqual([
      [1, 'database_connection'],
      [2, 'database_query'],
    ]);
  });

  it('exits 2 naming a malformed analyze line on one line, and still analyses the others', async () => {
    const input = [
      'not json',
      JSON.stringify({ message: 'jwt expired', name: 'TokenExpiredError' }),
    ].join('\n');
    const { code, stdout, stderr } = await megamind(['analyze'], input);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^line 1: not valid JSON/);
    expect(jsonLines(stdout).map((r) => r.ruleId)).toEqual(['jwt.expired']);
  });

  it('fingerprints a file, or stdin without one, into CSV rows that group one template', async () => {
    const log = 'retry 1 failed, giving up\nshipment lost\nretry 7 failed, giving up\n';
    writeFileSync(join(dir, 'app.log'), log);
    for (const run of [megamind(['fingerprint', 'app.log']), megamind(['fingerprint'], log)]) {
      const { code, stdout } = await run;
      expect(code).toBe(0);
      const [header, ...rows] = parseCsv(stdout);
      expect(header).toEqual(['LineId', 'PatternId', 'EventTemplate']);
      expect(rows.map((r) => r[2])).toEqual([
        'retry <*> failed, giving up',
        'shipment lost',
        'retry <*> failed, giving up',
      ]);
      expect(rows[0]![1]).toBe(rows[2]![1]);
    }
  });

  it('reports its progress through a file on stderr when asked, and writes the same CSV', async () => {
    const log = Array.from({ length: 2000 }, (_, i) => `worker ${i} restarted after crash\n`);
    writeFileSync(join(dir, 'big.log'), log.join(''));
    const plain = await megamind(['fingerprint', 'big.log']);
    // stderr is no terminal here: silent unless --progress.
    expect(plain.stderr).toBe('');
    const shown = await megamind(['fingerprint', 'big.log', '--progress']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(plain.stdout);
    const bytes = log.join('').length;
    expect(shown.stderr.trim().split('\n').at(-1)).toBe(
      `reading big.log [########################] 100% ${bytes}/${bytes} bytes`,
    );
  });

  it('lists the pattern book of a database, as text or JSON lines, by category', async () => {
    const database = join(dir, 'book.db');
    const store = new SqliteStore({ filename: database });
    await store.migrate();
    const book = new PatternBook(store);
    const now = Date.UTC(2026, 0, 1);
    for (let attempt = 1; attempt <= 2; attempt++) {
      await book.record(
        {
          message: 'connect ECONNREFUSED 10.0.0.7:443',
          code: 'ECONNREFUSED',
          jobId: 'j1',
          attempt,
        },
        now + attempt,
      );
    }
    await book.record({ message: 'deadlock detected', code: '40P01' }, now + 5);
    await book.flush();
    await store.close();

    const json = await megamind(['patterns', '--database', database, '--json']);
    expect(json.code).toBe(0);
    expect(jsonLines(json.stdout).map((p) => [p.category, p.occurrenceCount])).toEqual([
      ['database_query', 1],
      ['network', 2],
    ]);
    const text = await megamind(['patterns', '--database', database, '--category', 'network']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^rule:net\.connection_refused {2}network {2}×2 {2}confidence [\d.]+ {2}rule {2}\S+ {2}connect ECONNREFUSED/,
    );
    expect(text.stdout).toContain('remedies: ');
    expect(
      (await megamind(['patterns', '--database', database, '--category', 'auth'])).stdout.trim(),
    ).toBe('no patterns');
  });

  it.each([
    [['fingerprint', 'missing.log'], 'megamind: cannot read missing.log: no such file'],
    [['fingerprint', '.'], 'megamind: cannot read .: it is a directory'],
    [['patterns', '--category', 'bogus'], '--category must be one of orchestrator_stuck'],
    [['patterns', '--order', 'name'], '--order must be one of last_seen, occurrences, got "name"'],
    [
      ['patterns', '--database', 'mysql://localhost/x'],
      'unsupported database "mysql://localhost/x"',
    ],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const { code, stderr } = await megamind(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
