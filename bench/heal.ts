/**
 * Healing benchmark: one fault mix, five policies, measured in one run.
 *
 *   npx tsx bench/heal.ts [--jobs 600] [--spacing-ms 20] [--seed 1] [--unknown 0.1]
 *
 * `--unknown SHARE` adds a fault no rule knows (a 422 in words of its own that only a smaller
 * batch passes) as that share of the jobs: the first occurrence must be explored, later ones can
 * be healed from what was learned.
 *
 * Every job calls a real fault source: a loopback HTTP server (503s, 429s with a reset time, hangs,
 * a slow endpoint only a longer timeout reaches, a body-size limit only a smaller batch passes) or a
 * real PostgreSQL pool too small for the load (pool exhaustion), or fails with an error nothing
 * fixes (poison). Policies: no retry; plain retry (5 attempts, exponential backoff, as BullMQ and
 * pg-boss do); Mega Mind cold (empty database); Mega Mind warm (the cold run's database, so its
 * patterns); an oracle hook that knows each job's fault and its right fix.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createMegaMind, type MegaMind } from '../src/app/mega-mind.js';
import type { Json } from '../src/core/types.js';
import type { HealReport } from '../src/heal/heal-report.js';
import type { FailureHook } from '../src/orchestrator/failure-hook.js';
import { ExponentialBackoff } from '../src/orchestrator/retry-policy.js';
import { FAULTS, startFaultSources, type Fault, type FaultSources } from './lib/heal-faults.js';
import { percentile, summarise, type JobLedger, type PolicyResult } from './lib/heal-metrics.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1] ?? '');
const JOBS = Number(args.get('jobs') ?? 600);
const SPACING_MS = Number(args.get('spacing-ms') ?? 20);
const SEED = Number(args.get('seed') ?? 1);
const ONLY = args.get('policies')?.split(',');
const DUMP = args.get('dump');
const UNKNOWN_SHARE = Number(args.get('unknown') ?? 0);
const PG_URL =
  process.env.BENCH_PG_URL ??
  process.env.MEGAMIND_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const POLICIES = ['no-retry', 'plain-retry', 'megamind-cold', 'megamind-warm', 'oracle'] as const;
type Policy = (typeof POLICIES)[number];

/** The fault of each job, the same sequence for every policy. */
function faultMix(count: number, seed: number): Fault[] {
  let state = seed >>> 0;
  const random = () =>
    (state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296;
  const weights: [Fault, number][] = [
    ['unavailable', 0.2],
    ['rate-limited', 0.2],
    ['hang', 0.1],
    ['slow', 0.12],
    ['too-large', 0.1],
    ['pool', 0.1],
    ['poison-config', 0.09],
    ['poison-code', 0.09],
  ];
  if (UNKNOWN_SHARE > 0) {
    for (const entry of weights) entry[1] *= 1 - UNKNOWN_SHARE;
    weights.push(['unknown-window', UNKNOWN_SHARE]);
  }
  return Array.from({ length: count }, () => {
    let r = random();
    for (const [fault, weight] of weights) if ((r -= weight) < 0) return fault;
    return 'unavailable';
  });
}

/** What the oracle knows: each fault's right fix, applied at the first failure. */
function oracleHook(): FailureHook {
  return {
    async onFailure({ job, error, now }) {
      const fault = (job.payload as { fault: Fault }).fault;
      if (fault === 'poison-config' || fault === 'poison-code') return { kind: 'fail' };
      if (job.attempts >= job.maxAttempts && fault !== 'rate-limited') return { kind: 'fail' };
      const wait = /try again in (\d+)ms/.exec(error.message);
      if (fault === 'rate-limited' && wait)
        return { kind: 'wait', retryAt: now + Number(wait[1]) + 5 };
      const knobs: Record<string, Json> = { ...job.knobs };
      if (fault === 'slow') knobs.timeoutMs = 800;
      if (fault === 'too-large' || fault === 'unknown-window') knobs.batchSize = 10;
      if (fault === 'pool') knobs.concurrency = 1;
      return { kind: 'retry', retryAt: now + (fault === 'unavailable' ? 20 : 0), knobs };
    },
  };
}

async function runPolicy(
  policy: Policy,
  sources: FaultSources,
  faults: Fault[],
  database: string,
): Promise<PolicyResult> {
  const ledger = new Map<string, JobLedger>();
  const reports: HealReport[] = [];
  const heal = policy.startsWith('megamind')
    ? {
        backoff: { initialDelayMs: 20, maxDelayMs: 400 },
        maxHealsPerJob: 6,
        random: SEED,
        intensity: { maxFailures: 10_000, windowMs: 60_000 },
      }
    : undefined;
  const mm: MegaMind = createMegaMind({
    database,
    pollIntervalMs: 20,
    heal,
    learnPatterns: policy.startsWith('megamind'),
    retryPolicy:
      policy === 'no-retry'
        ? { decide: () => ({ retryAt: null }) }
        : new ExponentialBackoff({ initialDelayMs: 20, factor: 2, maxDelayMs: 400 }),
    failureHooks: policy === 'oracle' ? [oracleHook()] : [],
  });
  if (heal) mm.healer.on('heal', (report) => reports.push(report));
  const maxAttempts = policy === 'no-retry' ? 1 : 5;
  for (const fault of new Set(faults)) sources.define(mm, fault, maxAttempts, ledger);
  await mm.ready();
  const t0 = Date.now();
  await mm.enqueueMany(
    faults.map((fault, i) => ({
      type: fault,
      payload: { fault, i },
      options: { delayMs: i * SPACING_MS },
    })),
  );
  await mm.start();
  const jobs = await waitUntilSettled(mm, faults.length);
  await mm.healer.idle();
  const improvements = heal ? await mm.improvements({ limit: 100_000, since: t0 }) : [];
  if (args.has('actions') && heal) {
    const byJob = new Map(jobs.map((job) => [job.id, job.type]));
    const counts = new Map<string, number>();
    for (const i of improvements) {
      const key = `${byJob.get(i.jobId ?? '')} ${i.remedy ?? i.action} ${i.outcome}${i.outcome === 'abandoned' ? ` (${String(i.detected.reason).slice(0, 40)})` : ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of [...counts].sort()) console.error(`  ${policy} ${key}: ${n}`);
  }
  if (DUMP) {
    const heals = reports.map((r) => r.healMs);
    console.error(
      'healMs p50/p99',
      percentile(heals, 0.5).toFixed(1),
      percentile(heals, 0.99).toFixed(1),
    );
    for (const job of jobs.filter((j) => j.type === DUMP).slice(0, 12)) {
      const rows = improvements.filter((i) => i.jobId === job.id).reverse();
      const runs = ledger.get(job.id)?.runs ?? [];
      console.error(
        policy,
        job.status,
        runs.map((r) => `${r.ok ? 'ok' : 'x'}@${r.start - t0}-${r.end - t0}`).join(' '),
        '|',
        rows
          .map(
            (i) =>
              `${i.remedy}:${i.outcome}:${i.confidence}:${String(i.changesApplied.delayMs)}:${String(i.detected.reason)}`,
          )
          .join(' '),
      );
    }
  }
  await mm.stop();
  return summarise(policy, jobs, ledger, reports, improvements);
}

async function waitUntilSettled(mm: MegaMind, count: number) {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const open =
      (await mm.countJobs({ status: 'queued' })) + (await mm.countJobs({ status: 'running' }));
    if (open === 0) break;
    if (Date.now() > deadline) throw new Error(`${open} jobs still open after 15 min`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return mm.listJobs({ limit: count * 2 });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'megamind-heal-bench-'));
  const pool = new pg.Pool({ connectionString: PG_URL, max: 3, connectionTimeoutMillis: 60 });
  pool.on('error', () => {});
  const sources = await startFaultSources(pool);
  const faults = faultMix(JOBS, SEED);
  const results: PolicyResult[] = [];
  const started = performance.now();
  const loadBefore = loadAverage();
  try {
    for (const policy of POLICIES.filter(
      (p) =>
        ONLY === undefined ||
        ONLY.includes(p) ||
        (p === 'megamind-cold' && ONLY.includes('megamind-warm')),
    )) {
      const database = join(dir, `${policy}.db`);
      // The warm run starts from everything the cold run learned: patterns, counts, template tree.
      if (policy === 'megamind-warm') copyFileSync(join(dir, 'megamind-cold.db'), database);
      sources.reset();
      const t = performance.now();
      results.push(await runPolicy(policy, sources, faults, database));
      console.error(`${policy}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await sources.close();
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
  }
  printResults(results, faults);
  // Timing figures mean little on a busy machine: say how busy it was.
  console.log(
    `\nmachine: ${cpus().length} cores, Node ${process.version}; load average (1/5/15 min) ${loadBefore} before, ${loadAverage()} after`,
  );
  console.error(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

function printResults(results: PolicyResult[], faults: Fault[]): void {
  const counts = FAULTS.map((fault) => `${fault} ${faults.filter((f) => f === fault).length}`).join(
    ', ',
  );
  console.log(
    `\n${faults.length} jobs per policy (${counts}); seed ${SEED}; spacing ${SPACING_MS} ms\n`,
  );
  // A run without the oracle or plain retry (`--policies`) leaves their comparison columns empty.
  const oracle = results.find((r) => r.policy === 'oracle');
  const plain = results.find((r) => r.policy === 'plain-retry');
  console.log(
    '| policy | success | vs oracle | failed runs (wasted) | vs plain retry | recovery p50 / p95 ms | poison: stopped, runs each | Brier (floor) | decision p50 / p99 ms (known) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const cells = [
      r.policy,
      `${(100 * r.successRate).toFixed(1)} %`,
      oracle === undefined || oracle.successRate === 0
        ? '-'
        : `${((100 * r.successRate) / oracle.successRate).toFixed(1)} %`,
      String(r.wastedRuns),
      plain === undefined || plain.wastedRuns === 0
        ? '-'
        : `${((100 * r.wastedRuns) / plain.wastedRuns).toFixed(0)} %`,
      `${fmt(r.recovery.p50)} / ${fmt(r.recovery.p95)}`,
      `${r.poison.stopped}/${r.poison.total}, ${r.poison.runsEach.toFixed(2)}`,
      r.brier === null ? '-' : `${r.brier.toFixed(3)} (${r.brierFloor!.toFixed(3)})`,
      r.decisionMs.length === 0
        ? '-'
        : `${percentile(r.decisionMs, 0.5).toFixed(2)} / ${percentile(r.decisionMs, 0.99).toFixed(2)}`,
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  faultTable(
    'First vs later occurrences (time to recovery, ms: first job of the fault / median of the later ones, and their ratio)',
    results,
    (r, fault) => {
      const o = r.occurrences[fault];
      return o
        ? `${fmt(o.first)} / ${fmt(o.laterMedian)} (${o.ratio === null ? '-' : `${o.ratio.toFixed(1)}×`}); runs ${o.firstRuns ?? '-'} / ${o.laterRuns ?? '-'}`
        : '-';
    },
  );
  faultTable(
    'Time the fault cost a job (ms from its first run to its successful run): the first job it cost anything / the mean of the jobs that started after that one recovered (share of those it cost nothing), and their ratio',
    results,
    (r, fault) => {
      const l = r.lost[fault];
      return l
        ? `${fmt(l.first)} / ${fmt(l.laterMean)} (${(100 * l.laterUntouched).toFixed(0)} % of ${l.later} untouched; ${l.ratio === null ? '∞' : `${l.ratio.toFixed(1)}×`})`
        : '-';
    },
  );
  console.log("\nCalibration of the healer's confidence (heals with a verified outcome)\n");
  console.log('| policy | band | heals | mean confidence | worked |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    for (const band of r.calibration)
      console.log(
        `| ${r.policy} | ${band.band} | ${band.count} | ${band.meanConfidence.toFixed(2)} | ${band.observed.toFixed(2)} |`,
      );
  }
  console.log(
    '\nWhere the Brier score comes from (job type, remedy, #times already tried on the job; the largest parts)\n',
  );
  console.log('| policy | heals of | count | mean confidence | worked | share of squared error |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    for (const part of r.brierParts.slice(0, 8))
      console.log(
        `| ${r.policy} | ${part.key} | ${part.count} | ${part.meanConfidence.toFixed(2)} | ${part.observed.toFixed(2)} | ${(100 * part.share).toFixed(0)} % |`,
      );
  }
  console.log('\nPoison jobs, runs before they stopped, first 10 in order:');
  for (const r of results)
    console.log(`  ${r.policy}: ${r.poison.sequence.slice(0, 10).join(' ')}`);
}

/** One row per policy, one column per fault that can be recovered from. */
function faultTable(
  title: string,
  results: readonly PolicyResult[],
  cell: (result: PolicyResult, fault: Fault) => string,
): void {
  const faults = FAULTS.filter((f) => !f.startsWith('poison'));
  console.log(`\n${title}\n`);
  console.log(`| policy | ${faults.join(' | ')} |`);
  console.log(`|---|${faults.map(() => '---').join('|')}|`);
  for (const r of results)
    console.log(`| ${r.policy} | ${faults.map((fault) => cell(r, fault)).join(' | ')} |`);
}

function fmt(value: number | null): string {
  return value === null ? '-' : String(Math.round(value));
}

await main();
