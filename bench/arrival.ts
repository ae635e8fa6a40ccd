/**
 * How the error intelligence meets errors it was not fitted on, estimated on every later
 * collection at once (test/fixtures/real-errors/arrival.ts): each collection with every rule, and
 * as if it had just arrived (the rules written from it switched off, the learned models trained
 * without it).
 *
 *   npx tsx bench/arrival.ts
 *
 * Prints per collection and summed (pairs added up, accuracies weighted by messages): pairwise
 * precision / recall / F1, category, transient and remedy top-1 accuracy.
 */
import { arrivalEstimate } from '../test/fixtures/real-errors/arrival.js';
import { combine, type Figures } from '../test/fixtures/real-errors/score.js';

const f3 = (x: number) => x.toFixed(3);
const row = (f: Figures) =>
  `${f3(f.precision)} / ${f3(f.recall)} / ${f3(f.f1)} | ${f3(f.category)} | ${f3(f.transient)} | ${f3(f.remedyTop1)}`;

console.log(
  '| collection | messages | rules off | all rules: P / R / F1 | category | transient | top-1 | own rules off: P / R / F1 | category | transient | top-1 |\n|---|---|---|---|---|---|---|---|---|---|---|',
);
const estimate = arrivalEstimate();
for (const c of estimate)
  console.log(
    `| ${c.collection} | ${c.messages} | ${c.rulesOff} | ${row(c.all)} | ${row(c.arrival)} |`,
  );
console.log(
  `| all | ${estimate.reduce((n, c) => n + c.messages, 0)} | | ${row(combine(estimate.map((c) => c.all)))} | ${row(combine(estimate.map((c) => c.arrival)))} |`,
);
