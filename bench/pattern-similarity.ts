/**
 * How the pattern index groups real errors by similarity alone (every rule switched off), held out
 * by collection: the cause-word weights trained on the other collections against every word
 * weighed alike, at several thresholds.
 *
 *   npx tsx bench/pattern-similarity.ts
 *
 * Prints pairwise precision / recall / F1 over the first corpus and the later collections
 * (test/fixtures/real-errors), pairs counted within a collection.
 */
import { PatternIndex } from '../src/patterns/pattern-index.js';
import { heldOutBySimilarity } from '../test/fixtures/real-errors/similarity.js';

const f3 = (x: number) => x.toFixed(3);
console.log('| words | threshold | pairwise P / R / F1 |\n|---|---|---|');
for (const weighted of [false, true])
  for (const threshold of [0.35, 0.4, 0.45, 0.5]) {
    const f = heldOutBySimilarity(threshold, weighted);
    const mark = threshold === PatternIndex.DEFAULT_THRESHOLD && weighted ? ' (default)' : '';
    console.log(
      `| ${weighted ? 'weighed by cause' : 'alike'} | ${threshold}${mark} | ${f3(f.precision)} / ${f3(f.recall)} / ${f3(f.f1)} |`,
    );
  }
