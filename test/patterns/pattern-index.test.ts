import { describe, expect, it } from 'vitest';
import { PatternIndex } from '../../src/patterns/pattern-index.js';
import type { PatternVerdict } from '../../src/patterns/pattern-index.js';

const verdict: PatternVerdict = {
  category: 'database_query',
  transient: false,
  rootCause: 'test',
  remedies: ['escalate'],
  prevention: '',
  confidence: 0.5,
  ruleId: null,
};

describe('PatternIndex', () => {
  it('joins an error to a pattern by the closest of the wordings it has seen', () => {
    const index = new PatternIndex();
    const first = 'Vector dimension <num> does not match the dimension of the index <num>';
    const second = 'Embedding dimension <num> does not match collection dimensionality <num>';
    const third = 'InvalidDimensionException: Embedding dimension <num> does not match collection';
    index.learn({ key: 'dims', template: first, verdict });
    // Unlike the first wording, the third is not similar enough to join.
    expect(index.nearest(third)).toBeUndefined();
    index.learn({ key: 'dims', template: second, verdict });
    expect(index.nearest(third)?.pattern.key).toBe('dims');
    expect(index.nearest(third)?.pattern.occurrences).toBe(2);
  });

  it('weighs a word that names a cause above the words every error says', () => {
    const learn = (index: PatternIndex) => {
      index.learn({ key: 'packet', template: 'max_allowed_packet exceeded on write', verdict });
      index.learn({ key: 'generic', template: 'the request failed with an error', verdict });
      return index.nearest('failed: max_allowed_packet error')?.pattern.key;
    };
    expect(learn(new PatternIndex({ threshold: 0.2 }))).toBe('packet');
    // Weighing every word alike, the two common words outvote the telling one.
    expect(learn(new PatternIndex({ threshold: 0.2, causeWords: { words: {} } }))).toBe('generic');
  });
});
