import { describe, expect, it } from 'vitest';
import { analyzeError } from '../../src/patterns/analyze-error.js';
import { PatternIndex } from '../../src/patterns/pattern-index.js';
import { TemplateTree } from '../../src/patterns/template-tree.js';
import { ERROR_CORPUS } from '../fixtures/error-corpus.js';

// Signatures are taken the way a running node takes them: through one template tree that has
// already seen the week's errors, so variable parts no mask knows (image names, relative paths,
// bare host names) have been mined. The first pass trains, the second reads.
const tree = new TemplateTree();
const index = new PatternIndex();
for (const cause of ERROR_CORPUS)
  for (const input of cause.occurrences) analyzeError(input, { tree, index });
const analysed = ERROR_CORPUS.map((cause) => ({
  cause,
  results: cause.occurrences.map((input) => analyzeError(input, { tree, index })),
}));

/**
 * Clashes across root causes that masking alone would cause (Postgres, Redis and other services
 * refusing connections; fenced vs prose model output) are resolved by the rule in the signature.
 */
const KNOWN_CLASHES = new Set<string>([]);

describe('error corpus', () => {
  it('holds at least 40 root causes with several occurrences each', () => {
    expect(ERROR_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(ERROR_CORPUS.map((cause) => cause.id)).size).toBe(ERROR_CORPUS.length);
    for (const cause of ERROR_CORPUS)
      expect(cause.occurrences.length, cause.id).toBeGreaterThanOrEqual(3);
  });

  it.each(analysed.map(({ cause, results }) => [cause.id, cause.category, results] as const))(
    '%s is categorised as %s every time',
    (_id, category, results) => {
      for (const result of results) expect(result.category).toBe(category);
    },
  );

  it.each(analysed.map(({ cause, results }) => [cause.id, results] as const))(
    '%s: all occurrences share one pattern',
    (_id, results) => {
      expect(new Set(results.map((result) => result.patternKey)).size).toBe(1);
    },
  );

  it('gives different root causes different patterns', () => {
    const owners = new Map<string, Set<string>>();
    for (const { cause, results } of analysed) {
      for (const { patternKey } of results)
        owners.set(patternKey, (owners.get(patternKey) ?? new Set()).add(cause.id));
    }
    const clashes: string[] = [];
    for (const ids of owners.values()) {
      const list = [...ids];
      for (let i = 0; i < list.length; i++)
        for (let j = 0; j < i; j++) clashes.push(`${list[i]}~${list[j]}`);
    }
    expect(clashes.filter((pair) => !KNOWN_CLASHES.has(pair))).toEqual([]);
  });

  it('still tells the causes that share a signature apart by rule', () => {
    const ruleOf = (id: string) =>
      new Set(analysed.find(({ cause }) => cause.id === id)!.results.map((r) => r.ruleId));
    expect(ruleOf('pg-refused')).toEqual(new Set(['postgres.connection_refused']));
    expect(ruleOf('redis-refused')).toEqual(new Set(['redis.connection_refused']));
    expect(ruleOf('net-refused')).toEqual(new Set(['net.connection_refused']));
    expect(ruleOf('json-fenced')).toEqual(new Set(['output.json_in_code_fence']));
    expect(ruleOf('json-prose')).toEqual(new Set(['output.prose_instead_of_json']));
  });
});
