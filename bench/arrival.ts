/**
 * How the error intelligence meets errors it was not fitted on, estimated on every later
 * collection at once: each collection is scored twice in one fresh session, once with every
 * built-in rule and once without the rules whose fixtures cite one of the collection's own threads
 * (the rules written from it, as if it had just arrived). The second figure is what a collection
 * of new errors can expect; the gap between the two is what fitting on a collection is worth.
 * Both learned models are trained without the collection (and the category model without the
 * rules switched off), so nothing the scored messages taught is used on them.
 *
 *   npx tsx bench/arrival.ts
 *
 * Prints per collection and summed (pairs added up, accuracies weighted by messages): pairwise
 * precision / recall / F1, category, transient and remedy top-1 accuracy.
 */
import { trainCauseWords, type CauseWordModel } from '../src/knowledge/cause-words.js';
import { trainCategoryWords, type CategoryModel } from '../src/knowledge/category-words.js';
import { RULES } from '../src/knowledge/rules/index.js';
import { analyzeError } from '../src/patterns/analyze-error.js';
import { PatternIndex } from '../src/patterns/pattern-index.js';
import { RULE_FIXTURES } from '../test/fixtures/errors/index.js';
import {
  causeExamples as allCauseExamples,
  labelledExamples,
  ruleExample,
} from '../test/fixtures/real-errors/category-training.js';
import { LATER_COLLECTIONS, laterCollection } from '../test/fixtures/real-errors/later.js';
import {
  combine,
  run,
  score,
  type Figures,
  type ScoredError,
} from '../test/fixtures/real-errors/score.js';

const causeExamples = allCauseExamples();
const labelled = labelledExamples();

/** The models trained on everything but one collection, and without the rules switched off. */
interface HeldOutModels {
  causeWords: CauseWordModel;
  categories: CategoryModel;
}

function modelsWithout(collection: number, rules: typeof RULES): HeldOutModels {
  const name = `collection ${collection}`;
  return {
    causeWords: trainCauseWords(causeExamples.filter((e) => e.collection !== name)),
    categories: trainCategoryWords([
      ...labelled.filter((e) => e.collection !== name),
      ...rules.map(ruleExample),
    ]),
  };
}

function scoreWith(
  errors: readonly ScoredError[],
  rules: typeof RULES,
  models: HeldOutModels,
): Figures {
  const index = new PatternIndex({ causeWords: models.causeWords });
  return score(
    run((input) => {
      const analysis = analyzeError(input, { index, rules, categoryModel: models.categories });
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
for (const collection of LATER_COLLECTIONS) {
  const errors = laterCollection(collection);
  const threads = new Set(errors.map((e) => e.url));
  const own = new Set(RULE_FIXTURES.filter((f) => threads.has(f.source)).map((f) => f.rule));
  const all = scoreWith(errors, RULES, modelsWithout(collection, RULES));
  const fewer = RULES.filter((rule) => !own.has(rule.id));
  const fresh = scoreWith(errors, fewer, modelsWithout(collection, fewer));
  withAll.push(all);
  withoutOwn.push(fresh);
  console.log(`| ${collection} | ${errors.length} | ${own.size} | ${row(all)} | ${row(fresh)} |`);
}
console.log(
  `| all | ${withAll.reduce((n, f) => n + f.messages, 0)} | | ${row(combine(withAll))} | ${row(combine(withoutOwn))} |`,
);
