/**
 * How the error intelligence meets errors it was not fitted on, estimated on every later
 * collection at once: each collection is scored twice in one fresh session, once with every
 * built-in rule and once without the rules whose fixtures cite one of the collection's own threads
 * (the rules written from it, as if it had just arrived). The second figure is what a collection
 * of new errors can expect; the gap between the two is what fitting on a collection is worth.
 * Joins weigh words by a cause-word model trained without the collection; the category model
 * was trained on every collection, so the estimate is a little high for categories.
 *
 *   npx tsx bench/arrival.ts
 *
 * Prints per collection and summed (pairs added up, accuracies weighted by messages): pairwise
 * precision / recall / F1, category, transient and remedy top-1 accuracy.
 */
import { trainCauseWords, type CauseWordModel } from '../src/knowledge/cause-words.js';
import { RULES } from '../src/knowledge/rules/index.js';
import { analyzeError } from '../src/patterns/analyze-error.js';
import { PatternIndex } from '../src/patterns/pattern-index.js';
import { RULE_FIXTURES } from '../test/fixtures/errors/index.js';
import { causeExamples } from '../test/fixtures/real-errors/category-training.js';
import { LATER_COLLECTIONS, laterCollection } from '../test/fixtures/real-errors/later.js';
import {
  combine,
  run,
  score,
  type Figures,
  type ScoredError,
} from '../test/fixtures/real-errors/score.js';

function scoreWith(
  errors: readonly ScoredError[],
  rules: typeof RULES,
  causeWords: CauseWordModel,
): Figures {
  const index = new PatternIndex({ causeWords });
  return score(
    run((input) => {
      const analysis = analyzeError(input, { index, rules });
      return { ...analysis, key: analysis.patternKey };
    }, errors),
  );
}

const f3 = (x: number) => x.toFixed(3);
const row = (f: Figures) =>
  `${f3(f.precision)} / ${f3(f.recall)} / ${f3(f.f1)} | ${f3(f.category)} | ${f3(f.transient)} | ${f3(f.remedyTop1)}`;

console.log(
  '| collection | messages | rules off | all rules: P / R / F1 | category | transient | top-1 | own rules off: P / R / F1 | category | transient | top-1 |\n|---|---|---|---|---|---|---|---|---|---|---|',
);
const withAll: Figures[] = [];
const withoutOwn: Figures[] = [];
const examples = causeExamples();
for (const collection of LATER_COLLECTIONS) {
  const errors = laterCollection(collection);
  const threads = new Set(errors.map((e) => e.url));
  const own = new Set(RULE_FIXTURES.filter((f) => threads.has(f.source)).map((f) => f.rule));
  const causeWords = trainCauseWords(
    examples.filter((e) => e.collection !== `collection ${collection}`),
  );
  const all = scoreWith(errors, RULES, causeWords);
  const fresh = scoreWith(
    errors,
    RULES.filter((rule) => !own.has(rule.id)),
    causeWords,
  );
  withAll.push(all);
  withoutOwn.push(fresh);
  console.log(`| ${collection} | ${errors.length} | ${own.size} | ${row(all)} | ${row(fresh)} |`);
}
console.log(
  `| all | ${withAll.reduce((n, f) => n + f.messages, 0)} | | ${row(combine(withAll))} | ${row(combine(withoutOwn))} |`,
);
