/**
 * Speed of the fingerprint on distinct lines: the worst case, where no line repeats, so every one
 * is masked, hashed and searched (issue 13's target: 500k lines/s).
 *
 *   npx tsx bench/fingerprint-speed.ts        # data from ../shared/data/loghub-2k, or $LOGHUB_DIR
 *   RUNS=25 npx tsx bench/fingerprint-speed.ts
 *
 * Three stages, each timed on its own over the distinct `Content` lines of the ten Loghub-2k
 * systems (read in place, never copied: research licence): masking alone (`maskShape`), the
 * signature without a tree (`fingerprintError`: mask + SHA-256), and mining (`TemplateTree.add` on
 * a fresh tree per system). Distinct lines still share templates (743 in 10,212), which the
 * signature's memo of templates remembers, so the signature is also timed on the lines made unique
 * per template (a word of its own appended to each): the memo's help apart from raw speed. Wall and CPU lines/s, median and min–max over the runs after one
 * warm-up, and the load average, since the machine is shared.
 */
import { loadavg } from 'node:os';
import { fingerprintError } from '../src/patterns/fingerprint.js';
import { maskShape } from '../src/patterns/mask.js';
import { TemplateTree } from '../src/patterns/template-tree.js';
import { LOGHUB_SYSTEMS, readStructured } from './lib/loghub-data.js';

const runs = Number(process.env.RUNS ?? 15);

function distinctLines(system: string): string[] {
  const { header, rows } = readStructured(system);
  const content = header.indexOf('Content');
  if (content === -1) throw new Error(`${system}: no Content column`);
  return [...new Set(rows.map((r) => r[content] ?? ''))];
}

const sets = LOGHUB_SYSTEMS.map(distinctLines);
const lines = sets.reduce((n, s) => n + s.length, 0);

// A word of letters (kept verbatim by masking) that differs for every line.
const uniqueWord = (i: number): string =>
  `zq${[...i.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('')}`;
// The same lines, each given a word of its own: every masked template differs, so the
// signature's memo of templates never answers and the figure is the hash's full cost.
let counter = 0;
const uniqueSets = sets.map((set) => set.map((m) => `${m} ${uniqueWord(counter++)}`));

interface Rates {
  median: number;
  min: number;
  max: number;
}

function rates(values: number[]): Rates {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

/** Lines per wall and per CPU second of `stage` over every set, one warm-up run not counted. */
function measure(stage: (set: string[]) => void, data: string[][]): { wall: Rates; cpu: Rates } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (const set of data) stage(set);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpuStart);
    if (run === 0) continue;
    wall.push(lines / seconds);
    cpu.push(lines / ((used.user + used.system) / 1e6));
  }
  return { wall: rates(wall), cpu: rates(cpu) };
}

// Results go to a sink so the engine cannot drop the work as dead code.
let sink = 0;
const signatures = (set: string[]): void =>
  set.forEach((message) => (sink += fingerprintError({ message }).signature.length));
const stages: Array<[string, (set: string[]) => void, string[][]]> = [
  ['maskShape', (set) => set.forEach((m) => (sink += maskShape(m).length)), sets],
  ['fingerprintError (no tree)', signatures, sets],
  ['fingerprintError (no tree), every template distinct', signatures, uniqueSets],
  [
    'TemplateTree.add (fresh tree per system)',
    (set) => {
      const tree = new TemplateTree();
      for (const m of set) sink += tree.add(m).template.length;
    },
    sets,
  ],
];

const k = (x: number): string => `${Math.round(x / 1000)}k`;
const range = (r: Rates): string => `${k(r.median)} (${k(r.min)}–${k(r.max)})`;
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

console.log(`node ${process.version}, one thread, ${lines} distinct lines, ${runs} runs`);
console.log(`load average before: ${load()}`);
console.log('| stage | wall lines/s, median (min–max) | CPU lines/s, median (min–max) |');
console.log('|---|---|---|');
for (const [name, stage, data] of stages) {
  const r = measure(stage, data);
  console.log(`| ${name} | ${range(r.wall)} | ${range(r.cpu)} |`);
}
console.log(`load average after: ${load()}`);
if (sink === 0) console.log('(nothing measured)');
