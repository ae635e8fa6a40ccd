import type { JobTypeDescription } from '../core/job-type.js';
import type { DurationHistory, RunningJobCutoffs } from '../store/store.js';
import type { ExpectationBasis, ThresholdSource } from './finding.js';
import type { ResolvedMonitorOptions } from './monitor-options.js';

/** What the monitor needs of a job type: the stored description's thresholds and stages. */
export type MonitoredJobType = Pick<JobTypeDescription, 'type' | 'stages' | 'expectedDurationMs' | 'stuckAfterMs'>;

/** How long a run (or a stage) is expected to take, and why. */
export interface Expectation {
  expectedMs: number;
  basis: ExpectationBasis;
  samples: number;
}

/** The `p`-quantile (0–1) of `values` by the nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

/**
 * Every threshold detection reads, per job type and stage: the monitor's options win over the
 * stage's declaration, which wins over the type's; expected durations not declared are learned
 * from successful runs once there are enough of them.
 */
export class Thresholds {
  readonly #options: ResolvedMonitorOptions;
  readonly #types: ReadonlyMap<string, MonitoredJobType>;
  readonly #learned = new Map<string, Expectation>();

  constructor(options: ResolvedMonitorOptions, types: readonly MonitoredJobType[], history: readonly DurationHistory[]) {
    this.#options = options;
    this.#types = new Map(types.map((type) => [type.type, type]));
    for (const { type, stage, durationsMs } of history) {
      if (durationsMs.length < options.minSamples) continue;
      const expectedMs = percentile(durationsMs, options.learnedPercentile);
      this.#learned.set(key(type, stage), { expectedMs, basis: 'learned', samples: durationsMs.length });
    }
  }

  /** How long a job of `type` in `stage` may go without progress. */
  stuckAfter(type: string, stage: string | null): { ms: number; from: ThresholdSource } {
    const override = this.#options.thresholds[type];
    const stageOverride = stage === null ? undefined : override?.stages?.[stage]?.stuckAfterMs;
    if (stageOverride !== undefined) return { ms: stageOverride, from: 'options' };
    const declared = this.#stage(type, stage)?.stuckAfterMs;
    if (declared !== undefined) return { ms: declared, from: 'stage' };
    if (override?.stuckAfterMs !== undefined) return { ms: override.stuckAfterMs, from: 'options' };
    const described = this.#types.get(type)?.stuckAfterMs;
    if (described !== undefined) return { ms: described, from: 'type' };
    return { ms: this.#options.stuckAfterMs, from: 'options' };
  }

  /** How long a whole attempt of `type` (stage null) or one stage of it is expected to take. */
  expected(type: string, stage: string | null): Expectation | undefined {
    const override = this.#options.thresholds[type];
    const declared =
      stage === null
        ? (override?.expectedDurationMs ?? this.#types.get(type)?.expectedDurationMs ?? undefined)
        : (override?.stages?.[stage]?.expectedDurationMs ?? this.#stage(type, stage)?.expectedDurationMs);
    if (declared !== undefined && declared !== null) return { expectedMs: declared, basis: 'declared', samples: 0 };
    return this.#learned.get(key(type, stage ?? ''));
  }

  /** The slow threshold of an expectation. */
  slowAfter(expectation: Expectation): number {
    return expectation.expectedMs * this.#options.slowFactor;
  }

  /**
   * The smallest thresholds in effect, as times: a running job that passes none of them cannot
   * be stuck, slow or predicted late, so the scan need not read it.
   */
  cutoffs(now: number): RunningJobCutoffs {
    const o = this.#options;
    const overrides = Object.values(o.thresholds);
    const stuck = [
      o.stuckAfterMs,
      ...[...this.#types.values()].flatMap((t) => [t.stuckAfterMs, ...t.stages.map((s) => s.stuckAfterMs)]),
      ...overrides.flatMap((t) => [t.stuckAfterMs, ...Object.values(t.stages ?? {}).map((s) => s.stuckAfterMs)]),
    ];
    const attempt = [
      ...[...this.#types.values()].map((t) => t.expectedDurationMs ?? undefined),
      ...overrides.map((t) => t.expectedDurationMs),
      ...[...this.#learned].filter(([k]) => k.endsWith('\u0000')).map(([, e]) => e.expectedMs),
    ];
    const stage = [
      ...[...this.#types.values()].flatMap((t) => t.stages.map((s) => s.expectedDurationMs)),
      ...overrides.flatMap((t) => Object.values(t.stages ?? {}).map((s) => s.expectedDurationMs)),
      ...[...this.#learned].filter(([k]) => !k.endsWith('\u0000')).map(([, e]) => e.expectedMs),
    ];
    const before = (values: (number | null | undefined)[], factor: number) => {
      const known = values.filter((v): v is number => typeof v === 'number');
      return known.length === 0 ? null : now - Math.min(...known) * factor;
    };
    return {
      progressBefore: before(stuck, 1),
      attemptStartedBefore: before(attempt, Math.min(o.predictFromElapsed, o.slowFactor)),
      stageStartedBefore: before(stage, o.slowFactor),
    };
  }

  #stage(type: string, stage: string | null) {
    return stage === null ? undefined : this.#types.get(type)?.stages.find((s) => s.name === stage);
  }
}

function key(type: string, stage: string): string {
  return `${type}\u0000${stage}`;
}
