import type { SystemName } from '../adapters/adapter.js';
import type { BenchResults, SystemResults } from './results.js';
import { summarize } from './stats.js';

const MEGAMIND: SystemName[] = ['megamind-pg', 'megamind-sqlite'];

function fmt(value: number, digits = 0): string {
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 10_000) return `${(value / 1000).toFixed(1)}k`;
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

/** `median (min–max)`, or just the value for a single run. */
function cell(samples: number[], digits = 0): string {
  if (samples.length === 0) return '–';
  if (samples.some((s) => s === Number.POSITIVE_INFINITY)) {
    const finite = samples.filter(Number.isFinite);
    return `${finite.length}/${samples.length} recovered within the bound${finite.length ? `: ${cell(finite, digits)}` : ''}`;
  }
  const s = summarize(samples);
  return s.runs === 1
    ? fmt(s.median, digits)
    : `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}

function variantCell(
  record: Record<string, number[]>,
  filter: (label: string) => boolean,
  digits = 0,
): string {
  const lines = Object.entries(record)
    .filter(([label]) => filter(label))
    .map(([label, samples]) => `${cell(samples, digits)} *${label}*`);
  return lines.length ? lines.join('<br>') : '–';
}

function recoveryCell(r: SystemResults, index: 0 | 1): string {
  const measured = Object.entries(r.recovery).map(([label, samples]) => ({
    label,
    text: cell(samples, 2),
  }));
  const computed = Object.entries(r.recoveryComputed).map(([label, { text }]) => ({ label, text }));
  // Order as the adapter lists them: computed ones are always the defaults.
  const all = computed.length ? [...computed, ...measured] : measured;
  const entry = all[index];
  return entry ? `${entry.text} *${entry.label}*` : '–';
}

/** The markdown table of every system's figures, one column per system. */
export function figuresTable(results: BenchResults): string {
  const systems = Object.entries(results.systems) as [SystemName, SystemResults][];
  const head = `| | ${systems.map(([, r]) => r.title).join(' | ')} |\n|---|${systems.map(() => '---').join('|')}|`;
  const row = (name: string, f: (r: SystemResults) => string): string =>
    `| ${name} | ${systems.map(([, r]) => f(r)).join(' | ')} |`;
  return [
    head,
    row(`enqueue bulk, ${fmt(results.jobs)} jobs (jobs/s)`, (r) => cell(r.bulkEnqueue)),
    row(`enqueue one at a time, awaited, ${fmt(results.singleJobs)} jobs (jobs/s)`, (r) =>
      cell(r.singleEnqueue),
    ),
    row(`drain ${fmt(results.jobs)}, concurrency 10 (jobs/s)`, (r) =>
      variantCell(r.drain, (l) => l.startsWith('c=10')),
    ),
    row(`drain ${fmt(results.jobs)}, concurrency 1 (jobs/s)`, (r) =>
      variantCell(r.drain, (l) => l.startsWith('c=1') && !l.startsWith('c=10')),
    ),
    row(
      'add() → handler start, p50 (ms), idle worker, 200 jobs/s',
      (r) => `${cell(r.latencyP50, 1)} *${r.latencyLabel}*`,
    ),
    row('add() → handler start, p99 (ms)', (r) => cell(r.latencyP99, 1)),
    row('job of a SIGKILLed worker started again, defaults (s)', (r) => recoveryCell(r, 0)),
    row('same, most aggressive settings (s)', (r) => recoveryCell(r, 1)),
    row('worker peak RSS, drain at c=10 (MB)', (r) => cell(r.rssMb)),
  ].join('\n');
}

function ratio(ours: number[], theirs: number[], higherIsBetter: boolean): string {
  const a = summarize(ours).median;
  const b = summarize(theirs).median;
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0 || b === 0) return '–';
  const r = higherIsBetter ? a / b : b / a;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** The best (highest median) variant of a drain metric among labels that match. */
function bestDrain(r: SystemResults, prefix: string): number[] {
  let best: number[] = [];
  for (const [label, samples] of Object.entries(r.drain)) {
    const matches =
      prefix === 'c=1'
        ? label.startsWith('c=1') && !label.startsWith('c=10')
        : label.startsWith(prefix);
    if (matches && (best.length === 0 || summarize(samples).median > summarize(best).median))
      best = samples;
  }
  return best;
}

function firstDrain(r: SystemResults, prefix: string): number[] {
  const entry = Object.entries(r.drain).find(([label]) =>
    prefix === 'c=1'
      ? label.startsWith('c=1') && !label.startsWith('c=10')
      : label.startsWith(prefix),
  );
  return entry?.[1] ?? [];
}

/** Mega Mind against each peer: how many times better Mega Mind is (> 1 better, < 1 worse). */
export function ratiosTable(results: BenchResults): string {
  const ours = MEGAMIND.filter((s) => results.systems[s]).map(
    (s) => [s, results.systems[s]!] as const,
  );
  const peers = (Object.entries(results.systems) as [SystemName, SystemResults][]).filter(
    ([s]) => !MEGAMIND.includes(s),
  );
  if (ours.length === 0 || peers.length === 0) return '';
  const columns = ours.flatMap(([, o]) =>
    peers.map(([, p]) => ({ o, p, title: `${o.title} vs ${p.title}` })),
  );
  const head = `| | ${columns.map((c) => c.title).join(' | ')} |\n|---|${columns.map(() => '---').join('|')}|`;
  const row = (name: string, f: (o: SystemResults, p: SystemResults) => string): string =>
    `| ${name} | ${columns.map(({ o, p }) => f(o, p)).join(' | ')} |`;
  const firstRecovery = (r: SystemResults, index: number): number[] =>
    Object.values(r.recovery)[index] ?? [];
  return [
    head,
    row('enqueue bulk', (o, p) => ratio(o.bulkEnqueue, p.bulkEnqueue, true)),
    row('enqueue one at a time', (o, p) => ratio(o.singleEnqueue, p.singleEnqueue, true)),
    row('drain c=10, vs peer defaults', (o, p) =>
      ratio(firstDrain(o, 'c=10'), firstDrain(p, 'c=10'), true),
    ),
    row('drain c=10, vs peer best', (o, p) =>
      ratio(bestDrain(o, 'c=10'), bestDrain(p, 'c=10'), true),
    ),
    row('drain c=1, vs peer defaults', (o, p) =>
      ratio(firstDrain(o, 'c=1'), firstDrain(p, 'c=1'), true),
    ),
    row('drain c=1, vs peer best', (o, p) => ratio(bestDrain(o, 'c=1'), bestDrain(p, 'c=1'), true)),
    row('add → start p50', (o, p) => ratio(o.latencyP50, p.latencyP50, false)),
    row('add → start p99', (o, p) => ratio(o.latencyP99, p.latencyP99, false)),
    row('recovery, defaults', (o, p) => {
      const ours = Object.values(o.recovery)[0] ?? [];
      const computed = Object.values(p.recoveryComputed)[0];
      if (!computed) return ratio(ours, Object.values(p.recovery)[0] ?? [], false);
      const median = summarize(ours).median;
      return Number.isFinite(median) && median > 0
        ? `≥ ${(computed.lowerBoundSeconds / median).toFixed(0)}× (computed)`
        : '–';
    }),
    row('recovery, aggressive settings', (o, p) =>
      ratio(
        firstRecovery(o, Object.keys(o.recovery).length - 1),
        firstRecovery(p, Object.keys(p.recovery).length - 1),
        false,
      ),
    ),
  ].join('\n');
}
