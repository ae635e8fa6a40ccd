/**
 * The healer on real error texts, through its public API: what it does at the first failure of a
 * job that throws an error copied from a public issue thread.
 *
 *   npx tsx bench/heal-real-errors.ts                  # the first corpus and the unknown-wording set
 *   npx tsx bench/heal-real-errors.ts --file set.json  # any array of { message, family, transient }
 *   DETAILS=1 npx tsx bench/heal-real-errors.ts        # list every wrong first decision
 *
 * Every message runs as one job of its own type, which declares every knob the remedy catalogue
 * knows and one resource with a reset hook, so any remedy can act and only the analysis decides.
 * The job throws the error once and completes when run again. Scored against the thread's labels:
 * whether the first decision is in the family that fixed it (a terminal decision counts as
 * `human`), transient errors ended at once (jobs lost), and errors only a person fixes given
 * another run (attempts wasted). Messages run in a shuffled order on one SQLite database, so later
 * messages of a cause meet what earlier ones taught.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMegaMind } from '../src/app/mega-mind.js';
import type { HealReport } from '../src/heal/heal-report.js';
import { remedyFamily, type RemedyFamily } from '../src/knowledge/actions.js';
import type { KnobDefinitions } from '../src/core/job-type.js';
import { REAL_ERRORS } from '../test/fixtures/real-errors/index.js';
import UNKNOWN_WORDING from '../test/fixtures/real-errors/unknown-wording.json' with { type: 'json' };

interface Case {
  message: string;
  name?: string;
  code?: string | number;
  status?: number;
  stack?: string;
  family: RemedyFamily;
  transient: boolean;
  url: string;
}

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const file = args.get('file');

function cases(): Case[] {
  if (file !== undefined) return JSON.parse(readFileSync(file, 'utf8')) as Case[];
  return [
    ...REAL_ERRORS.map((e) => ({
      ...e.input,
      family: e.label.family,
      transient: e.label.transient,
      url: e.url,
    })),
    ...(UNKNOWN_WORDING as Case[]),
  ];
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const all = shuffled(cases(), 1);
const dir = mkdtempSync(join(tmpdir(), 'mm-heal-real-'));
const mm = createMegaMind({
  database: join(dir, 'heal.db'),
  pollIntervalMs: 10,
  heal: {
    backoff: { initialDelayMs: 5, maxDelayMs: 20 },
    random: 1,
    resetHooks: Object.fromEntries(all.map((_, i) => [`service-${i}`, async () => {}])),
  },
});
const first = new Map<string, HealReport>();
mm.healer.on('heal', (report) => {
  if (!first.has(report.jobId)) first.set(report.jobId, report);
});
const knobs: KnobDefinitions = {
  timeoutMs: { kind: 'number', default: 30_000, min: 1_000, max: 600_000, integer: true },
  batchSize: { kind: 'number', default: 50, min: 1, max: 500, integer: true },
  concurrency: { kind: 'number', default: 8, min: 1, max: 64, integer: true },
  model: { kind: 'choice', default: 'large', options: ['large', 'small'] },
  maxContextTokens: { kind: 'number', default: 100_000, min: 1_000, max: 200_000, integer: true },
  memoryMb: { kind: 'number', default: 1_024, min: 256, max: 16_384, integer: true },
  poolSize: { kind: 'number', default: 10, min: 1, max: 100, integer: true },
};
// One type and one resource per message: a breaker opened by one error must not hold the others.
all.forEach((c, i) =>
  mm.define(`real-${i}`, {
    maxAttempts: 3,
    knobs,
    resources: [`service-${i}`],
    run(_payload, ctx) {
      if (ctx.attempt > 1) return 'ok';
      const { message, name, code, status, stack } = c;
      throw Object.assign(new Error(message), {
        ...(name === undefined ? {} : { name }),
        ...(code === undefined ? {} : { code }),
        ...(status === undefined ? {} : { status }),
        ...(stack === undefined ? {} : { stack }),
      });
    },
  }),
);

const ids: string[] = [];
for (let i = 0; i < all.length; i++) ids.push((await mm.enqueue(`real-${i}`, null)).id);
await mm.start();
// Only the first decision is scored: a job told to wait out a stated reset may sleep for minutes.
const deadline = Date.now() + 120_000;
for (;;) {
  const jobs = await Promise.all(ids.map((id) => mm.getJob(id)));
  const decided = jobs.every(
    (job, i) => first.has(ids[i]!) || (job && ['completed', 'failed'].includes(job.status)),
  );
  if (decided) break;
  if (Date.now() > deadline) throw new Error('first decisions not made within 120 s');
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await mm.stop();

let right = 0;
let lost = 0;
let transient = 0;
let wasted = 0;
let human = 0;
const wrong: string[] = [];
const byFamily = new Map<string, { n: number; right: number }>();
ids.forEach((id, i) => {
  const c = all[i]!;
  const report = first.get(id);
  const family: RemedyFamily | 'none' = !report
    ? 'none'
    : report.applied
      ? remedyFamily(report.applied.action)
      : 'human';
  const ok = family === c.family;
  if (ok) right++;
  const f = byFamily.get(c.family) ?? { n: 0, right: 0 };
  byFamily.set(c.family, { n: f.n + 1, right: f.right + (ok ? 1 : 0) });
  if (c.transient) {
    transient++;
    if (family === 'human') lost++;
  }
  if (c.family === 'human') {
    human++;
    if (family !== 'human') wasted++;
  }
  if (!ok)
    wrong.push(
      `${c.family} → ${family} (${report?.applied?.action ?? report?.decision ?? 'no heal'}, ${report?.detected.category ?? '-'}): ${c.message.slice(0, 110).replace(/\n/g, ' ')}`,
    );
});

const pct = (a: number, b: number) => `${((100 * a) / Math.max(b, 1)).toFixed(1)} %`;
console.log(
  `${all.length} real errors${file === undefined ? ' (test/fixtures/real-errors)' : ` (${file})`}\n`,
);
console.log(`| measure | value |\n|---|---|`);
console.log(
  `| first decision in the family that fixed it | ${pct(right, all.length)} (${right}/${all.length}) |`,
);
console.log(
  `| transient errors ended at the first failure (jobs lost) | ${pct(lost, transient)} (${lost}/${transient}) |`,
);
console.log(
  `| errors only a person fixes given another run (attempts wasted) | ${pct(wasted, human)} (${wasted}/${human}) |`,
);
console.log(`\n| labelled family | errors | first decision right |\n|---|---|---|`);
for (const [family, f] of [...byFamily].sort())
  console.log(`| ${family} | ${f.n} | ${pct(f.right, f.n)} |`);
if (process.env.DETAILS) console.log(`\n${wrong.join('\n')}`);
rmSync(dir, { recursive: true, force: true });
