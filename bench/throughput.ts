/**
 * Throughput, latency and recovery of Mega Mind against BullMQ, pg-boss and graphile-worker,
 * measured in one run on one machine.
 *
 *   npx tsx throughput.ts [--systems megamind-pg,megamind-sqlite,bullmq,pgboss,graphile]
 *                         [--runs 3] [--jobs 20000] [--skip recovery,latency,...]
 *
 * Prints a markdown table and writes the raw figures to bench/results/throughput-<time>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SYSTEM_NAMES } from './adapters/adapter.js';
import type { SystemAdapter, SystemName } from './adapters/adapter.js';
import { loadAdapter } from './adapters/index.js';
import {
  measureBulkEnqueue,
  measureDrain,
  measureLatency,
  measureRecovery,
  measureSingleEnqueue,
} from './lib/measure.js';
import { figuresTable, ratiosTable } from './lib/report.js';
import type { BenchResults, SystemResults } from './lib/results.js';
import { emptySystemResults, push } from './lib/results.js';

const MEASUREMENTS = ['bulk', 'single', 'drain', 'latency', 'recovery'] as const;
type Measurement = (typeof MEASUREMENTS)[number];

const { values } = parseArgs({
  options: {
    systems: { type: 'string', default: SYSTEM_NAMES.join(',') },
    runs: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '20000' },
    skip: { type: 'string', default: '' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const systems = values.systems.split(',').map((s) => s.trim()) as SystemName[];
for (const s of systems)
  if (!SYSTEM_NAMES.includes(s))
    fail(`--systems: unknown system '${s}' (known: ${SYSTEM_NAMES.join(', ')})`);
const runs = Number(values.runs);
const jobs = Number(values.jobs);
if (!Number.isInteger(runs) || runs < 1) fail('--runs must be a positive integer');
if (!Number.isInteger(jobs) || jobs < 10) fail('--jobs must be an integer of at least 10');
const skip = new Set(values.skip.split(',').filter(Boolean));
for (const s of skip)
  if (!MEASUREMENTS.includes(s as Measurement)) fail(`--skip: unknown measurement '${s}'`);
const singleJobs = Math.max(10, Math.round(jobs / 10));
// Generous bound for the slowest peer configuration (pg-boss at c=1 drains ~200 jobs/s).
const drainTimeoutMs = Math.max(60_000, (jobs / 50) * 1000);

const results: BenchResults = {
  startedAt: new Date().toISOString(),
  argv: process.argv.slice(2),
  jobs,
  singleJobs,
  runs,
  machine: { cpus: cpus().length, node: process.version, loadavgStart: loadavg() },
  systems: {},
};

function log(message: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Runs one measurement; a failure is recorded and the benchmark goes on. */
async function attempt(r: SystemResults, what: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (err) {
    const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    log(`  FAILED ${message}`);
    r.errors.push(message);
  }
}

async function measureSystem(adapter: SystemAdapter, r: SystemResults): Promise<void> {
  if (!skip.has('bulk'))
    await attempt(r, 'bulk enqueue', async () => {
      r.bulkEnqueue.push(await measureBulkEnqueue(adapter, jobs));
      log(`  bulk enqueue: ${r.bulkEnqueue.at(-1)?.toFixed(0)} jobs/s`);
    });
  if (!skip.has('single'))
    await attempt(r, 'single enqueue', async () => {
      r.singleEnqueue.push(await measureSingleEnqueue(adapter, singleJobs));
      log(`  single enqueue: ${r.singleEnqueue.at(-1)?.toFixed(0)} jobs/s`);
    });
  if (!skip.has('drain'))
    for (const [index, variant] of adapter.drainVariants.entries())
      await attempt(r, `drain ${variant.label}`, async () => {
        const { jobsPerSecond, handlerJobsPerSecond, maxRssMb } = await measureDrain(
          adapter,
          variant,
          jobs,
          drainTimeoutMs,
        );
        push(r.drain, variant.label, jobsPerSecond);
        push(r.drainHandlers, variant.label, handlerJobsPerSecond);
        if (index === 0) r.rssMb.push(maxRssMb);
        log(
          `  drain ${variant.label}: ${jobsPerSecond.toFixed(0)} jobs/s (handlers ${handlerJobsPerSecond.toFixed(0)}), worker peak RSS ${maxRssMb.toFixed(0)} MB`,
        );
      });
  if (!skip.has('latency'))
    await attempt(r, 'latency', async () => {
      const { p50, p99 } = await measureLatency(adapter, adapter.latencyVariant);
      r.latencyLabel = adapter.latencyVariant.label;
      r.latencyP50.push(p50);
      r.latencyP99.push(p99);
      log(`  add → start: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    });
  if (!skip.has('recovery'))
    for (const recovery of adapter.recoveryVariants) {
      if (recovery.kind === 'computed') {
        r.recoveryComputed[recovery.label] = {
          text: recovery.text,
          lowerBoundSeconds: recovery.lowerBoundSeconds,
        };
        continue;
      }
      await attempt(r, `recovery ${recovery.label}`, async () => {
        const seconds = await measureRecovery(adapter, recovery);
        push(r.recovery, recovery.label, seconds);
        log(`  recovery ${recovery.label}: ${seconds.toFixed(2)} s`);
      });
    }
}

const adapters: SystemAdapter[] = [];
for (const name of systems) {
  const adapter = await loadAdapter(name);
  adapters.push(adapter);
  results.systems[name] = emptySystemResults(adapter.title);
}

for (let run = 0; run < runs; run++) {
  // Rotate the order so that no system always runs first (or last) on a machine whose load drifts.
  const order = adapters.map((_, k) => adapters[(k + run) % adapters.length] as SystemAdapter);
  for (const adapter of order) {
    log(`run ${run + 1}/${runs}: ${adapter.title}`);
    await measureSystem(adapter, results.systems[adapter.name] as SystemResults);
  }
}

results.finishedAt = new Date().toISOString();
results.machine.loadavgEnd = loadavg();
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(
  `./results/throughput-${results.startedAt.replace(/[:.]/g, '-')}.json`,
  import.meta.url,
);
await writeFile(
  file,
  JSON.stringify(results, (_, v: unknown) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v), 2),
);

console.log(
  `## Throughput, latency and recovery (${jobs} jobs, ${runs} run${runs > 1 ? 's' : ''}; median (min–max))\n`,
);
console.log(figuresTable(results));
const ratios = ratiosTable(results);
if (ratios)
  console.log(`\nMega Mind's ratio to each peer (> 1: Mega Mind better; medians):\n\n${ratios}`);
const errors = Object.entries(results.systems).flatMap(([s, r]) =>
  r.errors.map((e) => `- ${s}: ${e}`),
);
if (errors.length) console.log(`\nFailed measurements:\n${errors.join('\n')}`);
console.log(
  `\nRaw figures: ${file.pathname}; load average ${results.machine.loadavgStart.map((l) => l.toFixed(1)).join('/')} at start, ${results.machine.loadavgEnd.map((l) => l.toFixed(1)).join('/')} at end.`,
);
// Exit 1 when a measurement failed, so a script or CI step notices.
process.exit(errors.length ? 1 : 0);
