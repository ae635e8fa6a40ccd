import { describe, expect, it } from 'vitest';
import { PatternBook } from '../../src/patterns/pattern-book.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';
import { word } from '../helpers/words.js';

const T0 = Date.UTC(2026, 0, 1);

/** An error no rule knows, sharing no word with the others: its own template and its own pattern. */
function distinct(i: number): string {
  const w = (k: number) => word(i * 5 + k + 1000);
  return `${w(0)} ${w(1)} ${w(2)} ${w(3)} ${w(4)} wobbled`;
}

describe.each(ENGINES)('pattern book facade (%s)', (engine) => {
  it('analyses an error the way record would, without storing or learning anything', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store);
    await book.record({ message: 'invoice renderer produced an empty PDF for customer 41' }, T0);
    const before = book.sizes();
    const input = { message: 'invoice renderer produced an empty PDF for customer 97' };
    const asked = await book.analyse(input, T0 + 1);
    expect(await book.analyse(input, T0 + 2)).toEqual(asked);
    expect(book.sizes()).toEqual(before);
    expect(await book.list()).toHaveLength(1);
    const recorded = await book.record(input, T0 + 3);
    expect(recorded.analysis.patternKey).toBe(asked.patternKey);
    expect(recorded.analysis.signature).toBe(asked.signature);
    await expect(book.analyse({} as never, T0)).rejects.toThrow(/analyse\(\) needs/);
  });

  it('stays within its memory bounds under a flood of distinct errors, keeping every statistic in the store', async () => {
    const { store } = await createTestStore(engine);
    const book = new PatternBook(store, {
      tree: { maxClusters: 40, maxAliases: 10 },
      maxKnownPatterns: 5,
      knownPatternsTtlMs: 0,
    });
    const flood = 300;
    for (let i = 0; i < flood; i++) {
      await book.record({ message: distinct(i) }, T0 + i);
      const sizes = book.sizes();
      expect(sizes.clusters).toBeLessThanOrEqual(40);
      expect(sizes.aliases).toBeLessThanOrEqual(10);
      expect(sizes.knownPatterns).toBeLessThanOrEqual(20);
    }
    // The store kept a pattern for every error, whatever memory forgot.
    const stored = await book.list({ limit: 500 });
    expect(stored).toHaveLength(flood);
    // An early error, long forgotten in memory, still counts on its stored pattern.
    const first = (await book.record({ message: distinct(0) }, T0 + flood)).pattern;
    expect(first.occurrenceCount).toBe(2);
    expect(first.firstSeen).toBe(T0);
    await book.flush();
    const saved = (await store.getState('patterns.template-tree')) as { clusters: unknown[] };
    expect(saved.clusters.length).toBeLessThanOrEqual(40);
  });
});
