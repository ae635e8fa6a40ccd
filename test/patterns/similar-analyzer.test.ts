import { describe, expect, it } from 'vitest';
import {
  MAX_SIMILAR_CONFIDENCE,
  similarAnalyzer,
  templateSimilarity,
  type KnownPattern,
} from '../../src/patterns/similar-analyzer.js';
import { classifyError } from '../../src/patterns/classify.js';

const PATTERNS: KnownPattern[] = [
  {
    id: 'p-render',
    template: 'Renderer crashed while rasterising page <*> of document <*>: canvas context lost',
    name: 'RenderError',
    category: 'orchestrator_failed',
    remedies: ['restart_job', 'reduce_batch_size'],
    occurrences: 12,
  },
  {
    id: 'p-vendor',
    template: 'Vendor feed <*> returned an empty batch for cursor <*>',
    category: 'api_failure',
    remedies: ['retry_with_backoff'],
    code: 'FEED_EMPTY',
    occurrences: 3,
  },
];

describe('similarAnalyzer', () => {
  it('lends the category and remedies of the most similar known pattern at lower confidence', () => {
    const result = similarAnalyzer(
      {
        template:
          'Renderer crashed while rasterising page 17 of document 9f2c: canvas context lost',
        name: 'RenderError',
      },
      PATTERNS,
    );
    expect(result.patternId).toBe('p-render');
    expect(result.category).toBe('orchestrator_failed');
    expect(result.remedies).toEqual(['restart_job', 'reduce_batch_size']);
    expect(result.confidence).toBeGreaterThan(0.3);
    expect(result.confidence).toBeLessThanOrEqual(MAX_SIMILAR_CONFIDENCE);
  });

  it('falls back to other with retry then escalate when nothing is similar', () => {
    const result = similarAnalyzer({ template: 'quantum flux capacitor misaligned' }, PATTERNS);
    expect(result).toMatchObject({
      patternId: null,
      category: 'other',
      remedies: ['retry_with_backoff', 'escalate'],
    });
    expect(result.confidence).toBeLessThan(0.2);
  });

  it('discounts a textually similar pattern whose code differs', () => {
    const same = similarAnalyzer(
      { template: 'Vendor feed acme returned an empty batch for cursor 88', code: 'FEED_EMPTY' },
      PATTERNS,
    );
    const other = similarAnalyzer(
      { template: 'Vendor feed acme returned an empty batch for cursor 88', code: 'FEED_GONE' },
      PATTERNS,
    );
    expect(same.patternId).toBe('p-vendor');
    expect(other.similarity).toBeLessThan(same.similarity);
  });

  it('ignores numbers and ids when comparing templates', () => {
    expect(templateSimilarity('page 1 of doc 77 failed', 'page 902 of doc 3 failed')).toBe(1);
    expect(templateSimilarity('alpha beta', 'gamma delta')).toBe(0);
    expect(templateSimilarity('<num> <host> <str> boom', '<*> boom')).toBe(1);
  });
});

describe('classifyError without a matching rule', () => {
  it('asks the similarity analyzer and reports no rule id', () => {
    const result = classifyError(
      {
        message: 'Renderer crashed while rasterising page 3 of document 11: canvas context lost',
        name: 'RenderError',
      },
      undefined,
      { knownPatterns: PATTERNS },
    );
    expect(result.ruleId).toBeNull();
    expect(result.category).toBe('orchestrator_failed');
    expect(result.confidence).toBeLessThan(
      classifyError({ message: 'deadlock detected', code: '40P01' }).confidence,
    );
  });

  it('still gives an unknown error a category and remedies', () => {
    const result = classifyError({ message: 'the frobnicator would not frob' });
    expect(result).toMatchObject({
      ruleId: null,
      category: 'other',
      remedies: ['retry_with_backoff', 'escalate'],
    });
  });
});
