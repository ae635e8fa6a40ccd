import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PatternBook } from '../../src/patterns/pattern-book.js';
import { createTestStore, ENGINES, TEST_DATABASE_URL, type TestDatabase } from '../helpers/stores.js';

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
    for (const table of tables) dump[table] = (await client.query(`SELECT * FROM ${db.schema}.${table}`)).rows;
    await client.end();
  }
  return JSON.stringify(dump);
}

describe.each(ENGINES)('pattern book (%s)', (engine) => {
  it('gives the same error the same signature and pattern row after a restart', async () => {
    const { store, db } = await createTestStore(engine);
    const book = new PatternBook(store);
    // Four users at one position make that position a variable of one template.
    const first = [];
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      first.push(await book.record({ message: `user ${user} not found in tenant directory` }, T0));
    }
    const refused = await book.record({ message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' }, T0);
    await book.flush();

    const restarted = db.open();
    try {
      const again = new PatternBook(restarted);
      const erin = await again.record({ message: 'user erin not found in tenant directory' }, T0 + 1000);
      expect(erin.analysis.signature).toBe(first[3]!.analysis.signature);
      expect(erin.pattern.id).toBe(first[3]!.pattern.id);
      const refusedAgain = await again.record({ message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' }, T0 + 1000);
      expect(refusedAgain.pattern).toMatchObject({ id: refused.pattern.id, signature: refused.pattern.signature, occurrenceCount: 2 });
    } finally {
      await restarted.close();
    }
  });

  it('folds the patterns of template clusters the tree merged into the surviving pattern', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const recorded = [];
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      recorded.push(await book.record({ message: `user ${user} not found in tenant directory` }, T0));
    }
    const [alice, bob] = recorded;
    expect(bob!.pattern.id).not.toBe(alice!.pattern.id);
    const live = await book.list();
    expect(live.map((p) => [p.id, p.occurrenceCount])).toEqual([[alice!.pattern.id, 4]]);
    expect(recorded[3]!.pattern).toMatchObject({ id: alice!.pattern.id, occurrenceCount: 4 });
    expect((await book.get(bob!.pattern.signature))!.id).toBe(alice!.pattern.id);
  });

  it('folds a merged cluster after a restart, and waits for the survivor to see the same error class', async () => {
    const { store, db } = await createTestStore(engine);
    const book = new PatternBook(store);
    const alice = await book.record({ message: 'user alice not found in tenant directory' }, T0);
    const bob = await book.record({ message: 'user bob not found in tenant directory', code: 'E_NO_USER' }, T0);
    await book.record({ message: 'user carol not found in tenant directory' }, T0);
    await book.flush();
    const restarted = db.open();
    try {
      const again = new PatternBook(restarted);
      // dave merges the clusters; bob's error had a code no survivor signature has yet: it waits.
      await again.record({ message: 'user dave not found in tenant directory' }, T0 + 1);
      const live = await again.list({ orderBy: 'occurrences' });
      expect(live.map((p) => [p.id, p.occurrenceCount])).toEqual([
        [alice.pattern.id, 3],
        [bob.pattern.id, 1],
      ]);
      const erin = await again.record({ message: 'user erin not found in tenant directory', code: 'E_NO_USER' }, T0 + 2);
      expect(erin.pattern.occurrenceCount).toBe(2);
      expect((await again.get(bob.pattern.signature))!.id).toBe(erin.pattern.id);
      expect((await again.list()).map((p) => p.id).sort()).toEqual([alice.pattern.id, erin.pattern.id].sort());
    } finally {
      await restarted.close();
    }
  });

  it('saves the template tree in the background shortly after it changed', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store, { saveDelayMs: 10 });
    await book.record({ message: 'shipment 41 lost in transit' }, T0);
    await expect.poll(() => store.getState('patterns.template-tree'), { timeout: 5000 }).toMatchObject({ version: 1 });
    await book.flush();
  });

  it('keeps saving after a save failed', async () => {
    const { store } = await createTestStore(engine);
    let failures = 1;
    // The first write of state fails; everything else goes to the real store.
    const flaky = new Proxy(store, {
      get(target, property) {
        if (property === 'setState' && failures-- > 0) return () => Promise.reject(new Error('disk full'));
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
    await expect(new PatternBook(store).record({ message: 42 } as never, T0)).rejects.toThrow('string message');
  });

  it('keeps different root causes on different rows', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const a = await book.record({ message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' }, T0);
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
        { message, stack: `Error: ${message}\n    at charge (/app/src/billing/charge.ts:10:5)`, jobId: 'job-1', attempt },
        T0 + attempt,
      );
    }
    await book.flush();
    const dump = await dumpTables(db);
    expect(dump).toContain('[REDACTED:');
    expect(dump).toContain('job-1');
    for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);
  });

  it('counts occurrences and links each one to its job attempt', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    let last;
    for (let attempt = 1; attempt <= 3; attempt++) {
      last = await book.record({ message: `read ECONNRESET`, code: 'ECONNRESET', jobId: 'job-7', attempt }, T0 + attempt);
    }
    expect(last!.pattern).toMatchObject({ occurrenceCount: 3, firstSeen: T0 + 1, lastSeen: T0 + 3, category: 'network' });
    const occurrences = await book.occurrences(last!.pattern.id);
    expect(occurrences.map((o) => [o.jobId, o.attempt, o.message])).toEqual([
      ['job-7', 3, 'read ECONNRESET'],
      ['job-7', 2, 'read ECONNRESET'],
      ['job-7', 1, 'read ECONNRESET'],
    ]);
  });

  it('lends an unknown error the category and remedies of the most similar known pattern, at lower confidence', async () => {
    const { store } = await createTestStore(engine);
    const learned = await store.upsertPattern(
      {
        signature: 'feedfacecafe0001',
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
    const { pattern, analysis } = await book.record({ message: 'invoice renderer produced empty PDF for customer 4411 in region eu' }, T0 + 1);
    expect(analysis.ruleId).toBeNull();
    expect(pattern.id).not.toBe(learned.id);
    expect(pattern).toMatchObject({ source: 'similar', category: 'code_generation', remedies: ['reduce_batch_size', 'retry'] });
    expect(pattern.confidence).toBeGreaterThan(0);
    expect(pattern.confidence).toBeLessThan(learned.confidence);
    // With nothing similar, an unknown error is "other", at lower confidence still.
    const unknown = await book.record({ message: 'the flux capacitor hums in B flat' }, T0 + 2);
    expect(unknown.pattern).toMatchObject({ source: 'similar', category: 'other' });
    expect(unknown.pattern.confidence).toBeLessThan(pattern.confidence);
  });

  it('records a stuck job as one synthetic pattern per job type and stage', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    const a = await book.stuck('generate-app', 'Setting up database foundation', 25, T0, { jobId: 'j1', attempt: 1 });
    const b = await book.stuck('generate-app', 'Setting up database foundation', 27, T0 + 1, { jobId: 'j2', attempt: 1 });
    const c = await book.stuck('generate-app', 'Generating code', 60, T0 + 2);
    expect(b.pattern.id).toBe(a.pattern.id);
    expect(b.pattern).toMatchObject({ source: 'synthetic', category: 'orchestrator_stuck', occurrenceCount: 2 });
    expect(c.pattern.id).not.toBe(a.pattern.id);
  });
});
