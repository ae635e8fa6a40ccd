import { describe, expect, it } from 'vitest';
import type { PatternUpsert } from '../../src/store/store.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

function pattern(overrides: Partial<PatternUpsert> = {}): PatternUpsert {
  return {
    patternKey: 'a1b2c3d4e5f60718',
    template: 'connect ECONNREFUSED <ip>:<port>',
    category: 'network',
    transient: true,
    rootCause: 'Nothing listens on the port.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Check the service is up before starting jobs.',
    facts: { codes: ['ECONNREFUSED'], code: 'ECONNREFUSED', port: 443 },
    source: 'rule',
    confidence: 0.8,
    example: 'connect ECONNREFUSED 10.0.0.1:443',
    ...overrides,
  };
}

describe.each(ENGINES)('pattern store conformance (%s)', (engine) => {
  it('applies the pattern book migration', async () => {
    const { store } = await createTestStore(engine);
    expect((await store.migrate()).alreadyApplied).toContain('0003_pattern_book');
  });

  it('inserts a pattern, then counts later occurrences of its pattern key on the same row', async () => {
    const { store } = await createTestStore(engine);
    const first = await store.upsertPattern(pattern(), T0);
    expect(first).toMatchObject({
      patternKey: 'a1b2c3d4e5f60718',
      category: 'network',
      transient: true,
      remedies: ['retry_with_backoff', 'escalate'],
      facts: { codes: ['ECONNREFUSED'], port: 443 },
      source: 'rule',
      confidence: 0.8,
      occurrenceCount: 1,
      successCount: 0,
      mergedInto: null,
      firstSeen: T0,
      lastSeen: T0,
    });
    const again = await store.upsertPattern(
      pattern({
        template: 'connect ECONNREFUSED <*>',
        example: 'connect ECONNREFUSED 10.0.0.2:443',
      }),
      T0 + 50,
    );
    expect(again).toMatchObject({
      id: first.id,
      occurrenceCount: 2,
      firstSeen: T0,
      lastSeen: T0 + 50,
      template: 'connect ECONNREFUSED <*>',
      example: 'connect ECONNREFUSED 10.0.0.2:443',
    });
    expect(await store.getPattern(first.id)).toEqual(again);
  });

  it('keeps a stored analysis, but replaces a guess from similarity with a rule', async () => {
    const { store } = await createTestStore(engine);
    await store.upsertPattern(
      pattern({ source: 'similar', category: 'other', remedies: ['escalate'], confidence: 0.2 }),
      T0,
    );
    const guessAgain = await store.upsertPattern(
      pattern({ source: 'similar', category: 'timeout', confidence: 0.3 }),
      T0 + 1,
    );
    expect(guessAgain).toMatchObject({
      source: 'similar',
      category: 'other',
      remedies: ['escalate'],
      confidence: 0.2,
    });
    const ruled = await store.upsertPattern(pattern(), T0 + 2);
    expect(ruled).toMatchObject({
      source: 'rule',
      category: 'network',
      remedies: ['retry_with_backoff', 'escalate'],
      confidence: 0.8,
      occurrenceCount: 3,
    });
    const guessLater = await store.upsertPattern(
      pattern({ source: 'similar', category: 'other', confidence: 0.1 }),
      T0 + 3,
    );
    expect(guessLater).toMatchObject({
      source: 'rule',
      category: 'network',
      confidence: 0.8,
      occurrenceCount: 4,
    });
  });

  it('counts every upsert when two connections record the same pattern key at once', async () => {
    const { store, db } = await createTestStore(engine);
    const other = db.open();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? store : other).upsertPattern(pattern(), T0 + i),
        ),
      );
      expect(new Set(results.map((p) => p.id)).size).toBe(1);
      expect((await store.getPattern('a1b2c3d4e5f60718'))!.occurrenceCount).toBe(20);
      expect(await store.listPatterns()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('finds a pattern by id or by pattern key, and nothing for an unknown key', async () => {
    const { store } = await createTestStore(engine);
    const stored = await store.upsertPattern(pattern(), T0);
    expect((await store.getPattern(stored.id))!.patternKey).toBe(stored.patternKey);
    expect((await store.getPattern(stored.patternKey))!.id).toBe(stored.id);
    expect(await store.getPattern('no-such-pattern')).toBeUndefined();
  });

  it('lists live patterns by category, most recent or most frequent first, with paging', async () => {
    const { store } = await createTestStore(engine);
    await store.upsertPattern(pattern({ patternKey: 's-often' }), T0);
    await store.upsertPattern(pattern({ patternKey: 's-often' }), T0 + 1);
    await store.upsertPattern(pattern({ patternKey: 's-often' }), T0 + 2);
    await store.upsertPattern(pattern({ patternKey: 's-recent', category: 'timeout' }), T0 + 10);
    await store.upsertPattern(pattern({ patternKey: 's-middle' }), T0 + 5);
    const keys = (list: { patternKey: string }[]) => list.map((p) => p.patternKey);
    expect(keys(await store.listPatterns())).toEqual(['s-recent', 's-middle', 's-often']);
    expect(keys(await store.listPatterns({ orderBy: 'occurrences' }))).toEqual([
      's-often',
      's-recent',
      's-middle',
    ]);
    expect(keys(await store.listPatterns({ category: 'network' }))).toEqual([
      's-middle',
      's-often',
    ]);
    expect(keys(await store.listPatterns({ limit: 1, offset: 1 }))).toEqual(['s-middle']);
    expect(await store.listPatterns({ category: 'auth' })).toEqual([]);
  });

  it('merges a pattern into another: counts add up and the old pattern key resolves to the survivor', async () => {
    const { store } = await createTestStore(engine);
    const into = await store.upsertPattern(pattern({ patternKey: 's-into' }), T0 + 10);
    await store.upsertPattern(pattern({ patternKey: 's-from' }), T0);
    await store.upsertPattern(pattern({ patternKey: 's-from' }), T0 + 20);
    const merged = await store.mergePatterns('s-from', into.id, T0 + 30);
    expect(merged).toMatchObject({
      id: into.id,
      occurrenceCount: 3,
      firstSeen: T0,
      lastSeen: T0 + 20,
      mergedInto: null,
    });
    expect((await store.getPattern('s-from'))!.id).toBe(into.id);
    expect((await store.listPatterns()).map((p) => p.patternKey)).toEqual(['s-into']);
    // A later occurrence of the merged pattern key counts on the survivor.
    const counted = await store.upsertPattern(pattern({ patternKey: 's-from' }), T0 + 40);
    expect(counted).toMatchObject({ id: into.id, occurrenceCount: 4, lastSeen: T0 + 40 });
    // Merging again, into itself, or from an unknown pattern key changes nothing.
    expect(await store.mergePatterns('s-from', into.id, T0 + 50)).toBeUndefined();
    expect(await store.mergePatterns('s-into', into.id, T0 + 50)).toBeUndefined();
    expect(await store.mergePatterns('s-unknown', into.id, T0 + 50)).toBeUndefined();
    expect((await store.getPattern(into.id))!.occurrenceCount).toBe(4);
  });

  it('follows a chain of merges to the pattern that survived', async () => {
    const { store } = await createTestStore(engine);
    const a = await store.upsertPattern(pattern({ patternKey: 's-a' }), T0);
    const b = await store.upsertPattern(pattern({ patternKey: 's-b' }), T0);
    await store.upsertPattern(pattern({ patternKey: 's-c' }), T0);
    await store.mergePatterns('s-c', b.id, T0 + 1);
    await store.mergePatterns('s-b', a.id, T0 + 2);
    expect((await store.getPattern('s-c'))!.id).toBe(a.id);
    expect((await store.getPattern(a.id))!.occurrenceCount).toBe(3);
    // Merging into a merged pattern lands on its survivor.
    const d = await store.upsertPattern(pattern({ patternKey: 's-d' }), T0);
    expect((await store.mergePatterns('s-d', b.id, T0 + 3))!.id).toBe(a.id);
    expect(d.id).not.toBe(a.id);
  });

  it('records occurrences of a pattern and lists them newest first', async () => {
    const { store } = await createTestStore(engine);
    const p = await store.upsertPattern(pattern(), T0);
    await store.recordOccurrence(
      { patternId: p.id, jobId: 'job-1', attempt: 1, message: 'first' },
      T0,
    );
    await store.recordOccurrence(
      { patternId: p.id, jobId: 'job-1', attempt: 2, message: 'second', signature: 'shape-2' },
      T0 + 1,
    );
    const third = await store.recordOccurrence({ patternId: p.id, message: 'no job' }, T0 + 2);
    expect(third).toMatchObject({
      patternId: p.id,
      jobId: null,
      attempt: null,
      message: 'no job',
      at: T0 + 2,
    });
    const listed = await store.listOccurrences(p.id);
    // Each occurrence keeps the shape it came in; the pattern row keeps the root cause.
    expect(listed.map((o) => [o.message, o.jobId, o.attempt, o.signature])).toEqual([
      ['no job', null, null, null],
      ['second', 'job-1', 2, 'shape-2'],
      ['first', 'job-1', 1, null],
    ]);
    expect(await store.listOccurrences(p.id, 1)).toHaveLength(1);
    expect(await store.listOccurrences('no-such-pattern')).toEqual([]);
  });

  it('refuses an occurrence of an unknown pattern', async () => {
    const { store } = await createTestStore(engine);
    await expect(
      store.recordOccurrence({ patternId: 'no-such-pattern', message: 'x' }, T0),
    ).rejects.toThrow();
  });

  it('stores named state documents and replaces them whole', async () => {
    const { store, db } = await createTestStore(engine);
    expect(await store.getState('tree')).toBeUndefined();
    await store.setState('tree', { version: 1, clusters: [{ id: 'x', tokens: ['a', '<*>'] }] }, T0);
    await store.setState('other', 'plain string', T0);
    const reopened = db.open();
    try {
      expect(await reopened.getState('tree')).toEqual({
        version: 1,
        clusters: [{ id: 'x', tokens: ['a', '<*>'] }],
      });
      await reopened.setState('tree', [1, 2, 3], T0 + 1);
    } finally {
      await reopened.close();
    }
    expect(await store.getState('tree')).toEqual([1, 2, 3]);
    expect(await store.getState('other')).toBe('plain string');
  });
});
