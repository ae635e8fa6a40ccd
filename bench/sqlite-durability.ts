/**
 * What flushing every enqueue costs on SQLite: enqueues with `enqueueSync: 'full'` (the default:
 * an acknowledged job survives an OS crash or power loss) against `'normal'` (it survives a killed
 * process only), alternating, in one run on one machine. Claims and completions are NORMAL in both.
 *
 *   npx tsx sqlite-durability.ts [--runs 3] [--single 1000] [--bulk 20000]
 */
import { rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMegaMind } from '../src/index.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    single: { type: 'string', default: '1000' },
    bulk: { type: 'string', default: '20000' },
  },
});
const file = join(tmpdir(), 'megamind-durability.db');

async function measure(enqueueSync: 'full' | 'normal'): Promise<{ single: number; bulk: number }> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const store = new SqliteStore({ filename: file, enqueueSync });
  const mm = createMegaMind({ store, learnPatterns: false });
  mm.define('noop', { run: () => null });
  await mm.ready();
  const single = Number(values.single);
  let started = performance.now();
  for (let i = 0; i < single; i++) await mm.enqueue('noop', { i });
  const singleRate = single / ((performance.now() - started) / 1000);
  const bulk = Number(values.bulk);
  started = performance.now();
  await mm.enqueueMany(Array.from({ length: bulk }, (_, i) => ({ type: 'noop', payload: { i } })));
  const bulkRate = bulk / ((performance.now() - started) / 1000);
  await mm.stop();
  await store.close();
  return { single: singleRate, bulk: bulkRate };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const results: Record<'full' | 'normal', { single: number[]; bulk: number[] }> = {
  full: { single: [], bulk: [] },
  normal: { single: [], bulk: [] },
};
console.log(
  `${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (let run = 0; run < Number(values.runs); run++) {
  for (const mode of run % 2 === 0
    ? (['full', 'normal'] as const)
    : (['normal', 'full'] as const)) {
    const r = await measure(mode);
    results[mode].single.push(r.single);
    results[mode].bulk.push(r.bulk);
  }
}
const fmt = (xs: number[]) =>
  `${Math.round(median(xs))} (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
console.log('| enqueueSync | one at a time, awaited (jobs/s) | bulk enqueueMany (jobs/s) |');
console.log('|---|---|---|');
for (const mode of ['full', 'normal'] as const)
  console.log(`| ${mode} | ${fmt(results[mode].single)} | ${fmt(results[mode].bulk)} |`);
console.log(
  `load at end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
