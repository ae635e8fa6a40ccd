import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../src/core/errors.js';
import { analyzeError } from '../../src/patterns/analyze-error.js';
import { PatternBook } from '../../src/patterns/pattern-book.js';
import {
  createTestStore,
  ENGINES,
  TEST_DATABASE_URL,
  type TestDatabase,
} from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

/** Every row of the pattern book's tables, as text: what an attacker with the database would see. */
async function dumpTables(db: TestDatabase): Promise<string> {
  const tables = ['universal_error_patterns', 'error_occurrences', 'megamind_state'];
  const dump: Record<string, unknown[]> = {};
  if (db.engine === 'sqlite') {
    const raw = new Database(db.database, { readonly: true });
    for (const table of tables) dump[table] = raw.prepare(`SELECT * FROM ${table}`).all();
    raw.close();
  } else {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    for (const table of tables)
      dump[table] = (await client.query(`SELECT * FROM ${db.schema}.${table}`)).rows;
    await client.end();
  }
  return JSON.stringify(dump);
}

describe.each(ENGINES)('pattern book (%s)', (engine) => {
  it('gives the same error the same pattern row after a restart', async () => {
    const { store, db } = await createTestStore(engine);
    const book = new PatternBook(store);
    const first = await book.record({ message: 'user alice not found in tenant directory' }, T0);
    const refused = await book.record(
      { message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
      T0,
    );
    await book.flush();

    const restarted = db.open();
    try {
      const again = new PatternBook(restarted);
      const erin = await again.record(
        { message: 'user erin not found in tenant directory' },
        T0 + 1000,
      );
      expect(erin.analysis.patternKey).toBe(first.analysis.patternKey);
      expect(erin.pattern).toMatchObject({ id: first.pattern.id, occurrenceCount: 2 });
      const refusedAgain = await again.record(
        { message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
        T0 + 1000,
      );
      expect(refusedAgain.analysis.signature).toBe(refused.analysis.signature);
      expect(refusedAgain.pattern).toMatchObject({
        id: refused.pattern.id,
        patternKey: refused.analysis.patternKey,
        occurrenceCount: 2,
      });
    } finally {
      await restarted.close();
    }
  });

  it('keys the book by the pattern identity: one row for one cause however it is wrapped', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const wrapped = [
      { message: 'sorry, too many clients already', code: '53300', name: 'error' },
      { message: '2024-06-07 10:32:02 UTC [66057]: FATAL:  sorry, too many clients already' },
      { message: 'psycopg2.OperationalError: FATAL:  sorry, too many clients already' },
    ];
    const rows = [];
    for (const input of wrapped) rows.push(await book.record(input, T0));
    expect(new Set(rows.map((r) => r.pattern.id)).size).toBe(1);
    expect(new Set(rows.map((r) => r.analysis.signature)).size).toBe(3);
    expect(rows[2]!.pattern).toMatchObject({
      patternKey: 'rule:postgres.too_many_clients',
      occurrenceCount: 3,
    });
    // What `megamind analyze` prints as patternKey finds the row.
    expect((await book.get(rows[0]!.analysis.patternKey))!.id).toBe(rows[0]!.pattern.id);
    // Each occurrence keeps the shape it came in as its signature.
    const occurrences = await book.occurrences(rows[0]!.pattern.id);
    expect(new Set(occurrences.map((o) => o.signature))).toEqual(
      new Set(rows.map((r) => r.analysis.signature)),
    );
  });

  it('records a thrown Error, matching its innermost cause', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), {
      code: 'ECONNREFUSED',
    });
    const outer = new Error('failed to refresh the session cache', { cause: inner });
    const { pattern, analysis } = await book.record(outer, T0);
    expect(analysis.ruleId).toBe('redis.connection_refused');
    expect(pattern.example).toContain('failed to refresh the session cache');
    const plain = await book.record(new Error('user alice not found in tenant directory'), T0);
    expect(plain.pattern.example).toBe('user alice not found in tenant directory');
  });

  it('records a NonRetryableError as permanent, with no retry first', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const { pattern } = await book.record(
      new NonRetryableError('connect ECONNREFUSED 10.0.0.7:6379'),
      T0,
    );
    expect(pattern.transient).toBe(false);
    expect(pattern.remedies[0]).toBe('fail_fast');
    expect(pattern.remedies).not.toContain('retry_with_backoff');
  });

  it('merges two patterns that prove to be one cause, keeping the counts of both', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const a = await book.record({ message: 'invoice renderer produced an empty document' }, T0);
    await book.record({ message: 'invoice renderer produced an empty document' }, T0);
    const b = await book.record({ message: 'PDF export wrote zero bytes for order 17' }, T0);
    expect(b.pattern.id).not.toBe(a.pattern.id);
    const survivor = await book.merge(b.pattern.id, a.pattern.id, T0 + 1);
    expect(survivor).toMatchObject({ id: a.pattern.id, occurrenceCount: 3 });
    const later = await book.record(
      { message: 'PDF export wrote zero bytes for order 18' },
      T0 + 2,
    );
    expect(later.pattern).toMatchObject({ id: a.pattern.id, occurrenceCount: 4 });
    expect(await book.list()).toHaveLength(1);
  });

  it('saves the template tree in the background shortly after it changed', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store, { saveDelayMs: 10 });
    await book.record({ message: 'shipment 41 lost in transit' }, T0);
    await expect
      .poll(() => store.getState('patterns.template-tree'), { timeout: 5000 })
      .toMatchObject({ version: 1 });
    await book.flush();
  });

  it('keeps saving after a save failed', async () => {
    const { store } = await createTestStore(engine);
    let failures = 1;
    // The first write of state fails; everything else goes to the real store.
    const flaky = new Proxy(store, {
      get(target, property) {
        if (property === 'setState' && failures-- > 0)
          return () => Promise.reject(new Error('disk full'));
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const book = new PatternBook(flaky);
    await book.record({ message: 'shipment 41 lost in transit' }, T0);
    await expect(book.flush()).rejects.toThrow('disk full');
    await book.flush();
    expect(await store.getState('patterns.template-tree')).toMatchObject({ version: 1 });
  });

  it('refuses an error without a string message', async () => {
    const { store } = await createTestStore(engine);
    await expect(new PatternBook(store).record({ message: 42 } as never, T0)).rejects.toThrow(
      'string message',
    );
  });

  it('keeps different root causes on different rows', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const a = await book.record(
      { message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
      T0,
    );
    const b = await book.record({ message: 'deadlock detected', code: '40P01' }, T0);
    const c = await book.record({ message: '429 Too Many Requests', status: 429 }, T0);
    expect(new Set([a.pattern.id, b.pattern.id, c.pattern.id]).size).toBe(3);
    expect([a, b, c].map((r) => r.pattern.source)).toEqual(['rule', 'rule', 'rule']);
    expect(b.pattern).toMatchObject({ category: 'database_query', occurrenceCount: 1 });
    expect(await book.list()).toHaveLength(3);
  });

  it('never stores a planted secret in a pattern, an occurrence or the saved tree', async () => {
    const { store, db } = await createTestStore(engine);
    const book = new PatternBook(store);
    const secrets = {
      openai: `sk-proj-${'Zq4'.repeat(16)}`,
      password: 'hunter2-Correct-Horse',
      bearer: 'AbCdEf0123456789xyzToken',
      email: 'ada.lovelace@example.com',
    };
    const message =
      `request for ${secrets.email} failed: key ${secrets.openai} rejected by postgres://admin:${secrets.password}@db.internal:5432/app ` +
      `with header Authorization: Bearer ${secrets.bearer}`;
    for (let attempt = 1; attempt <= 2; attempt++) {
      await book.record(
        {
          message,
          stack: `Error: ${message}\n    at charge (/app/src/billing/charge.ts:10:5)`,
          jobId: 'job-1',
          attempt,
        },
        T0 + attempt,
      );
    }
    await book.flush();
    const dump = await dumpTables(db);
    expect(dump).toContain('[REDACTED:');
    expect(dump).toContain('job-1');
    for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);
  });

  it('stores none of many planted secrets, in any format, in any column', async () => {
    const { store, db } = await createTestStore(engine);
    const book = new PatternBook(store);
    const secrets = plantedSecrets();
    for (const [i, [format, secret]] of secrets.entries()) {
      const message = `${format.replace('{}', secret)} while calling the billing API for job ${i}`;
      await book.record(
        {
          message,
          stack: `Error: ${message}\n    at call (/app/src/billing/call.ts:3:9)`,
          code: 'E_BILLING',
        },
        T0 + i,
      );
      // What `megamind analyze` would print, too.
      expect(JSON.stringify(analyzeError({ message }))).not.toContain(secret);
    }
    await book.flush();
    const dump = await dumpTables(db);
    const leaked = secrets.filter(([, secret]) => dump.includes(secret)).map(([format]) => format);
    expect(leaked).toEqual([]);
  });

  it('counts occurrences and links each one to its job attempt', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    let last;
    for (let attempt = 1; attempt <= 3; attempt++) {
      last = await book.record(
        { message: `read ECONNRESET`, code: 'ECONNRESET', jobId: 'job-7', attempt },
        T0 + attempt,
      );
    }
    expect(last!.pattern).toMatchObject({
      occurrenceCount: 3,
      firstSeen: T0 + 1,
      lastSeen: T0 + 3,
      category: 'network',
    });
    const occurrences = await book.occurrences(last!.pattern.id);
    expect(occurrences.map((o) => [o.jobId, o.attempt, o.message])).toEqual([
      ['job-7', 3, 'read ECONNRESET'],
      ['job-7', 2, 'read ECONNRESET'],
      ['job-7', 1, 'read ECONNRESET'],
    ]);
  });

  it('lets an unknown error join the most similar known pattern, and start its own when none is similar', async () => {
    const { store } = await createTestStore(engine);
    const learned = await store.upsertPattern(
      {
        patternKey: 'feedfacecafe0001',
        template: 'invoice renderer produced empty PDF for customer <num>',
        category: 'code_generation',
        transient: true,
        rootCause: 'The template engine times out on large invoices and writes nothing.',
        remedies: ['reduce_batch_size', 'retry'],
        prevention: null,
        facts: {},
        source: 'llm',
        confidence: 0.9,
        example: null,
      },
      T0,
    );
    const book = new PatternBook(store);
    const { pattern, analysis } = await book.record(
      { message: 'invoice renderer produced empty PDF for customer 4411 in region eu' },
      T0 + 1,
    );
    expect(analysis.ruleId).toBeNull();
    expect(analysis.patternKey).toBe('feedfacecafe0001');
    expect(pattern).toMatchObject({
      id: learned.id,
      category: 'code_generation',
      occurrenceCount: 2,
    });
    expect(analysis.remedies).toEqual(['reduce_batch_size', 'retry']);
    expect(analysis.confidence).toBeGreaterThan(0);
    expect(analysis.confidence).toBeLessThan(learned.confidence);
    // With nothing similar, an unknown error starts a pattern of its own, as "other".
    const unknown = await book.record({ message: 'the flux capacitor hums in B flat' }, T0 + 2);
    expect(unknown.pattern.id).not.toBe(learned.id);
    expect(unknown.pattern).toMatchObject({ source: 'similar', category: 'other' });
    expect(unknown.analysis.patternKey).toMatch(/^tpl:[0-9a-f]{16}$/);
  });

  it('records a stuck job as one synthetic pattern per job type and stage', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const a = await book.stuck('generate-app', 'Setting up database foundation', 25, T0, {
      jobId: 'j1',
      attempt: 1,
    });
    const b = await book.stuck('generate-app', 'Setting up database foundation', 27, T0 + 1, {
      jobId: 'j2',
      attempt: 1,
    });
    const c = await book.stuck('generate-app', 'Generating code', 60, T0 + 2);
    expect(b.pattern.id).toBe(a.pattern.id);
    expect(b.pattern).toMatchObject({
      source: 'synthetic',
      category: 'orchestrator_stuck',
      occurrenceCount: 2,
    });
    expect(c.pattern.id).not.toBe(a.pattern.id);
  });
});

/** Random-looking characters from a fixed seed, so no real key is ever written into the repository. */
function fakeToken(
  length: number,
  seed: number,
  alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
): string {
  let x = seed * 2654435761;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

/** `[where the secret sits, the secret]`: vendor formats, key/value context and bare high-entropy tokens. */
function plantedSecrets(): [string, string][] {
  const hex = '0123456789abcdef';
  return [
    ['sendgrid rejected key {}', `SG.${fakeToken(22, 1)}.${fakeToken(43, 2)}`],
    ['twilio key {} is disabled', `SK${fakeToken(32, 3, hex)}`],
    ['twilio account {} suspended', `AC${fakeToken(32, 4, hex)}`],
    ['openai said invalid key {}', `sk-proj-${fakeToken(48, 5)}`],
    ['anthropic key {} revoked', `sk-ant-api03-${fakeToken(40, 6)}`],
    ['stripe {} expired', `sk_live_${fakeToken(24, 7)}`],
    ['github token {} lacks scope', `ghp_${fakeToken(36, 8)}`],
    ['gitlab token {} expired', `glpat-${fakeToken(20, 9)}`],
    ['npm token {} is read-only', `npm_${fakeToken(36, 10)}`],
    ['aws key {} unknown', `AKIA${fakeToken(16, 11, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`],
    ['slack token {} invalid', `xoxb-${fakeToken(12, 12, '0123456789')}-${fakeToken(24, 13)}`],
    ['Authorization: Bearer {}', fakeToken(40, 14)],
    ['config {"client_secret": "{}"} rejected', fakeToken(30, 15)],
    ['AccountKey={} for storage', `${fakeToken(40, 16)}==`],
    ['X-Api-Key: {}', fakeToken(32, 17)],
    ['password={} for admin', `Tr0ub4dor-${fakeToken(8, 18)}`],
    ['opaque token {} in response', fakeToken(32, 19)],
    ['request signed with {}', `${fakeToken(43, 20)}=`],
    ['postgres://app:{}@db.internal:5432/main refused', fakeToken(18, 21)],
    ['mailgun {} unauthorised', `key-${fakeToken(32, 22, '0123456789abcdefghijklmnopqrstuvwxyz')}`],
    [
      'huggingface {} gated',
      `hf_${fakeToken(34, 23, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`,
    ],
    ['jwt {} expired', `eyJ${fakeToken(20, 24)}.eyJ${fakeToken(30, 25)}.${fakeToken(43, 26)}`],
  ];
}
