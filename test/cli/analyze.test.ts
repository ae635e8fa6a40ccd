import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAnalyze } from '../../src/cli/commands/analyze.js';
import { PatternBook } from '../../src/patterns/pattern-book.js';
import { createTestStore } from '../helpers/stores.js';

async function run(lines: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  const errors: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  err.on('data', (c: Buffer) => errors.push(c.toString()));
  const code = await runAnalyze(Readable.from([lines.join('\n')]), out, err);
  const results = chunks
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, results, errors: errors.join('') };
}

describe('megamind analyze', () => {
  it('writes one JSON line per error with signature, category and remedies', async () => {
    const { code, results, errors } = await run([
      JSON.stringify({ message: 'connect ECONNREFUSED 127.0.0.1:6379', code: 'ECONNREFUSED' }),
      JSON.stringify({ message: 'sorry, too many clients already', code: '53300', name: 'error' }),
    ]);
    expect(code).toBe(0);
    expect(errors).toBe('');
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({
      line: 1,
      ruleId: 'redis.connection_refused',
      category: 'database_connection',
    });
    expect(results[0]!.signature).toMatch(/^[0-9a-f]{16}$/);
    expect(results[1]).toMatchObject({ line: 2, ruleId: 'postgres.too_many_clients' });
    expect(results[1]!.remedies).toContain('reduce_concurrency');
  });

  it('prints the signature (exact shape) and the patternKey (root cause) that the pattern book uses', async () => {
    const wrapped = [
      { message: 'sorry, too many clients already', code: '53300', name: 'error' },
      {
        message:
          '2024-06-07 10:32:02 UTC [66057]: user=app,db=main FATAL:  sorry, too many clients already',
      },
      { message: 'psycopg2.OperationalError: FATAL:  sorry, too many clients already' },
      { message: 'invoice 4411 rendered an empty PDF for tenant acme' },
      { message: 'invoice 4412 rendered an empty PDF for tenant umbrella' },
    ];
    const { results } = await run(wrapped.map((w) => JSON.stringify(w)));
    const keys = results.map((r) => r.patternKey);
    expect(keys.slice(0, 3)).toEqual([
      'rule:postgres.too_many_clients',
      'rule:postgres.too_many_clients',
      'rule:postgres.too_many_clients',
    ]);
    expect(new Set(results.slice(0, 3).map((r) => r.signature)).size).toBe(3);
    // An error no rule knows joins the similar one seen earlier in the same input.
    expect(keys[3]).toMatch(/^tpl:[0-9a-f]{16}$/);
    expect(keys[4]).toBe(keys[3]);
    const store = await createTestStore('sqlite');
    const book = new PatternBook(store.store);
    for (const [i, input] of wrapped.entries()) {
      const { pattern } = await book.record(input, Date.UTC(2026, 0, 1) + i);
      expect(pattern.signature).toBe(keys[i]);
    }
  });

  it('puts no retry first for a NonRetryableError', async () => {
    const { results } = await run([
      JSON.stringify({
        message: 'connect ECONNREFUSED 10.0.0.7:5432',
        code: 'ECONNREFUSED',
        name: 'NonRetryableError',
      }),
    ]);
    expect(results[0]).toMatchObject({
      transient: false,
      remedies: ['fail_fast', 'open_circuit_breaker', 'escalate'],
    });
  });

  it('reports a malformed line by number, exits 2 and still analyses the other lines', async () => {
    const { code, results, errors } = await run([
      JSON.stringify({ message: 'read ECONNRESET', code: 'ECONNRESET' }),
      '{"message": "unterminated',
      JSON.stringify({ msg: 'no message field' }),
      '',
      JSON.stringify({ message: 'jwt expired', name: 'TokenExpiredError' }),
      JSON.stringify({ message: 'x', status: 'teapot' }),
    ]);
    expect(code).toBe(2);
    expect(results.map((r) => r.line)).toEqual([1, 5]);
    expect(errors).toMatch(/^line 2: not valid JSON/m);
    expect(errors).toMatch(/^line 3: "message" must be a string$/m);
    expect(errors).toMatch(/^line 6: "status" must be an integer$/m);
    expect(errors).not.toMatch(/\n\s+at /);
  });

  it('accepts a byte-order mark and CRLF line ends', async () => {
    const { code, results } = await run([
      '\uFEFF' + JSON.stringify({ message: 'jwt expired', name: 'TokenExpiredError' }) + '\r',
      JSON.stringify({ message: 'deadlock detected', code: '40P01' }) + '\r',
    ]);
    expect(code).toBe(0);
    expect(results.map((r) => r.ruleId)).toEqual(['jwt.expired', 'postgres.deadlock']);
  });

  it('never echoes a secret from the input', async () => {
    const key = `sk-proj-${'Q7x'.repeat(16)}`;
    const { results } = await run([
      JSON.stringify({
        message: `401 Incorrect API key provided: ${key}.`,
        status: 401,
        stack: `Error: ${key}\n    at call (/app/src/llm.ts:10:5)`,
      }),
    ]);
    expect(JSON.stringify(results)).not.toContain(key);
    expect(results[0]).toMatchObject({ ruleId: 'openai.invalid_api_key', category: 'auth' });
  });

  it('ends quietly with exit 0 when the reader closes the pipe early (| head)', async () => {
    const bin = fileURLToPath(new URL('../../bin/megamind.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'analyze']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    // Far more output than a pipe holds, so the child is still writing when the reader goes.
    child.stdin.on('error', () => {});
    child.stdin.end(
      Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ message: `KeyError: ${i}` })).join(
        '\n',
      ),
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
