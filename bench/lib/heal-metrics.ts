import type { Job } from '../../src/core/types.js';
import type { HealReport } from '../../src/heal/heal-report.js';
import type { Improvement } from '../../src/store/heal-store.js';
import type { Fault, JobLedger } from './heal-faults.js';

export type { JobLedger } from './heal-faults.js';

/** The figures of one policy. */
export interface PolicyResult {
  policy: string;
  successRate: number;
  /** Handler runs that failed (an attempt given back after a 429 still counts: the call was made). */
  wastedRuns: number;
  /** From a job's first failed run to its successful one, for jobs that failed at least once. */
  recovery: { p50: number | null; p95: number | null };
  poison: { total: number; stopped: number; runsEach: number; sequence: number[] };
  /** Mean squared error of the healer's confidence against the verified outcome. */
  brier: number | null;
  /**
   * The Brier score a forecaster would get that knew the true success rate in this run of each
   * (pattern, remedy, times the remedy was already tried on the job): the part of the score no
   * calibration on that information can remove.
   */
  brierFloor: number | null;
  /**
   * Where the Brier score comes from: per job type, remedy and how many times that remedy had
   * already been tried on the job, the heals, their mean confidence, how many worked, and their
   * share of the total squared error.
   */
  brierParts: {
    key: string;
    count: number;
    meanConfidence: number;
    observed: number;
    share: number;
  }[];
  /** Reliability: per band of confidence, how many heals, their mean confidence and how many worked. */
  calibration: { band: string; count: number; meanConfidence: number; observed: number }[];
  /** Decision latency of heals on known patterns. */
  decisionMs: number[];
  occurrences: Partial<
    Record<
      Fault,
      {
        first: number | null;
        laterMedian: number | null;
        ratio: number | null;
        firstRuns: number | null;
        laterRuns: number | null;
      }
    >
  >;
  /**
   * Time the fault cost each completed job (from its first run's start to its successful run's
   * start; 0 when the first run passed): the first job it cost anything, against every job of the
   * fault that started after that one had recovered, so a later job the learned fix kept from
   * failing counts as healed at once.
   */
  lost: Partial<
    Record<
      Fault,
      {
        first: number;
        laterMean: number;
        laterUntouched: number;
        later: number;
        ratio: number | null;
      }
    >
  >;
}

/** The p-quantile of values (nearest rank); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Reduces a policy's jobs, handler ledger, heal reports and improvement log to its figures. */
export function summarise(
  policy: string,
  jobs: readonly Job[],
  ledger: ReadonlyMap<string, JobLedger>,
  reports: readonly HealReport[],
  improvements: readonly Improvement[],
): PolicyResult {
  const mine = jobs.filter((job) => ledger.has(job.id));
  const completed = mine.filter((job) => job.status === 'completed');
  let wastedRuns = 0;
  const recoveries: {
    fault: Fault;
    firstFailure: number;
    ttr: number | null;
    runs: number | null;
  }[] = [];
  for (const job of mine) {
    const entry = ledger.get(job.id)!;
    const failed = entry.runs.filter((run) => !run.ok);
    wastedRuns += failed.length;
    if (failed.length === 0) continue;
    const firstFailure = Math.min(...failed.map((run) => run.end));
    const success = entry.runs.find((run) => run.ok);
    recoveries.push({
      fault: entry.fault,
      firstFailure,
      ttr: success ? success.end - firstFailure : null,
      runs: success ? entry.runs.length : null,
    });
  }
  const ttrs = recoveries.map((r) => r.ttr).filter((t): t is number => t !== null);
  const poisonJobs = mine
    .filter((job) => ledger.get(job.id)!.fault.startsWith('poison'))
    .sort((a, b) => ledger.get(a.id)!.index - ledger.get(b.id)!.index);
  const runsOf = (job: Job) => ledger.get(job.id)!.runs.length;
  const scored = improvements.filter((i) => i.outcome === 'success' || i.outcome === 'failure');
  const brier =
    scored.length === 0
      ? null
      : scored.reduce(
          (sum, i) => sum + (i.confidence - (i.outcome === 'success' ? 1 : 0)) ** 2,
          0,
        ) / scored.length;
  const occurrences: PolicyResult['occurrences'] = {};
  for (const fault of new Set(recoveries.map((r) => r.fault))) {
    const ordered = recoveries
      .filter((r) => r.fault === fault)
      .sort((a, b) => a.firstFailure - b.firstFailure);
    const first = ordered[0]?.ttr ?? null;
    const later = orNull(
      percentile(
        ordered
          .slice(1)
          .map((r) => r.ttr)
          .filter((t): t is number => t !== null),
        0.5,
      ),
    );
    const laterRuns = orNull(
      percentile(
        ordered
          .slice(1)
          .map((r) => r.runs)
          .filter((t): t is number => t !== null),
        0.5,
      ),
    );
    occurrences[fault] = {
      first,
      laterMedian: later,
      ratio: first !== null && later !== null && later > 0 ? first / later : null,
      firstRuns: ordered[0]?.runs ?? null,
      laterRuns,
    };
  }
  return {
    policy,
    lost: lostTimeOf(mine, ledger),
    successRate: completed.length / Math.max(1, mine.length),
    wastedRuns,
    recovery: { p50: orNull(percentile(ttrs, 0.5)), p95: orNull(percentile(ttrs, 0.95)) },
    poison: {
      total: poisonJobs.length,
      stopped: poisonJobs.filter((job) => job.status === 'failed').length,
      runsEach:
        poisonJobs.length === 0
          ? 0
          : poisonJobs.reduce((sum, job) => sum + runsOf(job), 0) / poisonJobs.length,
      sequence: poisonJobs.map(runsOf),
    },
    brier,
    brierFloor: floorOf(scored),
    calibration: bandsOf(scored),
    brierParts: partsOf(scored),
    decisionMs: reports.filter((r) => !r.pattern.new).map((r) => r.decisionMs),
    occurrences,
  };
}

function floorOf(scored: readonly Improvement[]): number | null {
  if (scored.length === 0) return null;
  const groups = new Map<string, { n: number; wins: number }>();
  for (const [i, tries] of withTries(scored)) {
    const key = `${i.patternId}|${i.remedy}|${tries}`;
    const group = groups.get(key) ?? { n: 0, wins: 0 };
    group.n += 1;
    if (i.outcome === 'success') group.wins += 1;
    groups.set(key, group);
  }
  let sum = 0;
  for (const { n, wins } of groups.values()) sum += n * (wins / n) * (1 - wins / n);
  return sum / scored.length;
}

/** Each heal with how many times its remedy had been tried on its job before (2 = two or more). */
function withTries(scored: readonly Improvement[]): [Improvement, number][] {
  const tried = new Map<string, number>();
  return [...scored]
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((i) => {
      const key = `${i.jobId}|${i.remedy}`;
      const tries = tried.get(key) ?? 0;
      tried.set(key, tries + 1);
      return [i, Math.min(tries, 2)];
    });
}

function bandsOf(scored: readonly Improvement[]): PolicyResult['calibration'] {
  const bands = [0, 0.2, 0.4, 0.6, 0.8, 1.0001];
  const out: PolicyResult['calibration'] = [];
  for (let b = 0; b < bands.length - 1; b++) {
    const inBand = scored.filter((i) => i.confidence >= bands[b]! && i.confidence < bands[b + 1]!);
    if (inBand.length === 0) continue;
    out.push({
      band: `${bands[b]!.toFixed(1)}–${Math.min(1, bands[b + 1]!).toFixed(1)}`,
      count: inBand.length,
      meanConfidence: inBand.reduce((sum, i) => sum + i.confidence, 0) / inBand.length,
      observed: inBand.filter((i) => i.outcome === 'success').length / inBand.length,
    });
  }
  return out;
}

function partsOf(scored: readonly Improvement[]): PolicyResult['brierParts'] {
  const groups = new Map<string, { n: number; conf: number; wins: number; error: number }>();
  let total = 0;
  for (const [i, tries] of withTries(scored)) {
    const key = `${i.jobType} ${i.remedy} #${tries}`;
    const group = groups.get(key) ?? { n: 0, conf: 0, wins: 0, error: 0 };
    const outcome = i.outcome === 'success' ? 1 : 0;
    const error = (i.confidence - outcome) ** 2;
    group.n += 1;
    group.conf += i.confidence;
    group.wins += outcome;
    group.error += error;
    total += error;
    groups.set(key, group);
  }
  return [...groups]
    .map(([key, g]) => ({
      key,
      count: g.n,
      meanConfidence: g.conf / g.n,
      observed: g.wins / g.n,
      share: total === 0 ? 0 : g.error / total,
    }))
    .sort((a, b) => b.share - a.share);
}

function lostTimeOf(
  jobs: readonly Job[],
  ledger: ReadonlyMap<string, JobLedger>,
): PolicyResult['lost'] {
  const byFault = new Map<Fault, { start: number; recovered: number; lost: number }[]>();
  for (const job of jobs) {
    const { fault, runs } = ledger.get(job.id)!;
    const success = runs.find((run) => run.ok);
    if (!success || runs.length === 0) continue;
    const start = Math.min(...runs.map((run) => run.start));
    const list = byFault.get(fault) ?? [];
    list.push({ start, recovered: success.end, lost: success.start - start });
    byFault.set(fault, list);
  }
  const out: PolicyResult['lost'] = {};
  for (const [fault, list] of byFault) {
    const first = list.filter((j) => j.lost > 0).sort((a, b) => a.start - b.start)[0];
    if (!first) continue;
    const later = list.filter((j) => j.start > first.recovered);
    if (later.length === 0) continue;
    const laterMean = later.reduce((sum, j) => sum + j.lost, 0) / later.length;
    out[fault] = {
      first: first.lost,
      laterMean,
      laterUntouched: later.filter((j) => j.lost === 0).length / later.length,
      later: later.length,
      ratio: laterMean > 0 ? first.lost / laterMean : null,
    };
  }
  return out;
}
