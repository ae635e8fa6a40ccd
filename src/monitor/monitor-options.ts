import { MINUTE, SECOND } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import type { FindingHandler } from './finding-handler.js';

/** Thresholds for one job type (and its stages) that override what the type describes. */
export interface TypeThresholds {
  stuckAfterMs?: number;
  expectedDurationMs?: number;
  stages?: Record<string, { stuckAfterMs?: number; expectedDurationMs?: number }>;
}

/** What the monitor takes. Every field is optional. */
export interface MonitorOptions {
  /** How often the leader scans running jobs. @default 10000 */
  scanIntervalMs?: number;
  /** Stuck threshold for a type the store has no description of. @default 300000 (5 min) */
  stuckAfterMs?: number;
  /** Per job type overrides of the described thresholds. */
  thresholds?: Record<string, TypeThresholds>;
  /** Slow means running longer than the expected duration times this. @default 1.5 */
  slowFactor?: number;
  /** The expected duration learned from history is the p95 of successful runs… @default 0.95 */
  learnedPercentile?: number;
  /** …once this many successful runs of the type (or stage) are known. @default 20 */
  minSamples?: number;
  /** Successful runs kept per type and stage. @default 200 */
  samplesKept?: number;
  /** Predict lateness only once a job has reached this percent. @default 5 */
  predictFromPercent?: number;
  /** …and has run this fraction of its expected duration. @default 0.1 */
  predictFromElapsed?: number;
  /** Error spikes: the window occurrences are counted in. @default 300000 (5 min) */
  spikeWindowMs?: number;
  /** Error spikes: windows before the current one that make the baseline. @default 12 */
  spikeBaselineWindows?: number;
  /** Error spikes: the window must hold this many times the baseline mean… @default 3 */
  spikeFactor?: number;
  /** …and at least this many occurrences. @default 5 */
  spikeMinCount?: number;
  /**
   * A finding dispatched this long ago and never settled is abandoned (its process died while
   * handling it) and its key freed, so a job still stuck is found and handed on afresh.
   * @default 600000 (10 min)
   */
  handlerTimeoutMs?: number;
  /** Where findings go; the healer's entry point. @default record, and restart stuck jobs */
  onFinding?: FindingHandler;
  /** Name of this monitor in the leadership. @default hostname:pid:random */
  owner?: string;
}

/** Options with every default filled in. */
export interface ResolvedMonitorOptions {
  scanIntervalMs: number;
  /** How often leadership is taken or renewed: a third of the scan interval. */
  electionIntervalMs: number;
  /** How long a leadership lasts without renewal: one scan interval, so takeover is within two. */
  leadershipTtlMs: number;
  stuckAfterMs: number;
  thresholds: Record<string, TypeThresholds>;
  slowFactor: number;
  learnedPercentile: number;
  minSamples: number;
  samplesKept: number;
  predictFromPercent: number;
  predictFromElapsed: number;
  spikeWindowMs: number;
  spikeBaselineWindows: number;
  spikeFactor: number;
  spikeMinCount: number;
  handlerTimeoutMs: number;
}

const DEFAULTS = {
  scanIntervalMs: 10 * SECOND,
  stuckAfterMs: 5 * MINUTE,
  slowFactor: 1.5,
  learnedPercentile: 0.95,
  minSamples: 20,
  samplesKept: 200,
  predictFromPercent: 5,
  predictFromElapsed: 0.1,
  spikeWindowMs: 5 * MINUTE,
  spikeBaselineWindows: 12,
  spikeFactor: 3,
  spikeMinCount: 5,
  handlerTimeoutMs: 10 * MINUTE,
} satisfies Partial<Record<keyof MonitorOptions, unknown>>;

function positive(name: string, value: unknown, integer = false): void {
  if (value === undefined) return;
  if (!(
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > 0 &&
    (!integer || Number.isInteger(value))
  )) {
    throw invalidArgument(
      `monitor ${name} must be a ${integer ? 'whole ' : ''}number greater than 0, got ${String(value)}`,
    );
  }
}

/** Fills in defaults and validates, naming the first wrong option. */
export function resolveMonitorOptions(options: MonitorOptions = {}): ResolvedMonitorOptions {
  for (const name of [
    'scanIntervalMs',
    'stuckAfterMs',
    'slowFactor',
    'spikeWindowMs',
    'spikeFactor',
    'predictFromPercent',
    'predictFromElapsed',
    'handlerTimeoutMs',
  ] as const) {
    positive(name, options[name]);
  }
  for (const name of [
    'minSamples',
    'samplesKept',
    'spikeBaselineWindows',
    'spikeMinCount',
  ] as const)
    positive(name, options[name], true);
  const percentile = options.learnedPercentile ?? DEFAULTS.learnedPercentile;
  if (!(percentile > 0 && percentile <= 1))
    throw invalidArgument(`monitor learnedPercentile must be in (0, 1], got ${String(percentile)}`);
  for (const [type, thresholds] of Object.entries(options.thresholds ?? {})) {
    positive(`thresholds.${type}.stuckAfterMs`, thresholds.stuckAfterMs);
    positive(`thresholds.${type}.expectedDurationMs`, thresholds.expectedDurationMs);
    for (const [stage, stageThresholds] of Object.entries(thresholds.stages ?? {})) {
      positive(`thresholds.${type}.stages.${stage}.stuckAfterMs`, stageThresholds.stuckAfterMs);
      positive(
        `thresholds.${type}.stages.${stage}.expectedDurationMs`,
        stageThresholds.expectedDurationMs,
      );
    }
  }
  const scanIntervalMs = options.scanIntervalMs ?? DEFAULTS.scanIntervalMs;
  return {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    scanIntervalMs,
    electionIntervalMs: Math.max(1, Math.floor(scanIntervalMs / 3)),
    leadershipTtlMs: scanIntervalMs,
    thresholds: options.thresholds ?? {},
    learnedPercentile: percentile,
  } as ResolvedMonitorOptions;
}
