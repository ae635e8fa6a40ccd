/**
 * Error intelligence on the later collections of real errors (test/fixtures/real-errors/
 * later-collections.json), or on any file of the same shape, as a new user would meet them: one
 * fresh session, the default similarity threshold, nothing learned beforehand.
 *
 *   npx tsx bench/error-collections.ts                 # collections 2, 3 and 6, each on its own
 *   npx tsx bench/error-collections.ts --file set.json # [{ cause, url, message, category, transient, family }]
 *   DETAILS=1 npx tsx bench/error-collections.ts       # every message with its verdict, by cause
 *
 * Prints pairwise precision / recall / F1 of same-root-cause grouping (pattern identity), and the
 * share of messages whose category, transient flag and top remedy's family match the labels, and
 * the share whose pattern is a built-in rule's (the rule matched it, or it joined a message the rule
 * matched); the rest are read by their wording and words alone.
 */
import { readFileSync } from 'node:fs';
import { remedyFamily } from '../src/knowledge/actions.js';
import { sourceOf } from '../test/fixtures/real-errors/index.js';
import {
  freshOutcomes,
  LATER_COLLECTIONS,
  laterCollection,
} from '../test/fixtures/real-errors/later.js';
import { score, type Outcome, type ScoredError } from '../test/fixtures/real-errors/score.js';

const fileAt = process.argv.indexOf('--file');
const file = fileAt === -1 ? undefined : process.argv[fileAt + 1];

function fromFile(path: string): ScoredError[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as {
    cause: string;
    url: string;
    message: string;
    category: ScoredError['label']['category'];
    transient: boolean;
    family: ScoredError['label']['family'];
  }[];
  return raw.map((e) => ({
    cause: e.cause,
    url: e.url,
    source: sourceOf(e.url),
    input: { message: e.message },
    label: { category: e.category, transient: e.transient, family: e.family },
  }));
}

const f3 = (x: number) => x.toFixed(3);
const sets: [string, ScoredError[]][] =
  file === undefined
    ? [
        ...LATER_COLLECTIONS.map((c): [string, ScoredError[]] => [
          `collection ${c}`,
          laterCollection(c),
        ]),
      ]
    : [[file, fromFile(file)]];

console.log(
  '| set | messages | causes | pattern keys | pairwise P / R / F1 | category | transient | remedy top-1 / top-3 | keyed by a rule |\n|---|---|---|---|---|---|---|---|---|',
);
const details: string[] = [];
for (const [name, errors] of sets) {
  const outcomes = freshOutcomes(errors);
  const f = score(outcomes);
  console.log(
    `| ${name} | ${f.messages} | ${f.causes} | ${f.keys} | ${f3(f.precision)} / ${f3(f.recall)} / ${f3(f.f1)} | ${f3(f.category)} | ${f3(f.transient)} | ${f3(f.remedyTop1)} / ${f3(f.remedyTop3)} | ${f3(outcomes.filter((o) => o.verdict.key.startsWith('rule:')).length / outcomes.length)} |`,
  );
  if (!process.env.DETAILS) continue;
  const byCause = new Map<string, Outcome[]>();
  for (const o of outcomes) byCause.set(o.error.cause, [...(byCause.get(o.error.cause) ?? []), o]);
  for (const [cause, list] of byCause) {
    const label = list[0]!.error.label;
    details.push(
      `\n## ${cause} [${label.category} ${label.transient ? 'transient' : 'permanent'} ${label.family}] ${new Set(list.map((o) => o.verdict.key)).size} keys / ${list.length}`,
    );
    for (const { error, verdict } of list) {
      const wrong = [
        verdict.category === label.category ? '' : 'category',
        verdict.transient === label.transient ? '' : 'transient',
        remedyFamily(verdict.remedies[0]!) === label.family ? '' : 'family',
      ].filter(Boolean);
      details.push(
        `  ${verdict.key.slice(0, 24).padEnd(24)} ${verdict.category.padEnd(19)} ${verdict.remedies[0]!.padEnd(22)} ${wrong.join(',').padEnd(25)} ${error.input.message.slice(0, 100).replace(/\s+/g, ' ')}`,
      );
    }
  }
}
if (details.length > 0) console.log(details.join('\n'));
