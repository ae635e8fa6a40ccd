import type { JobTypeDescription } from '../core/job-type.js';
import type { DurationHistory, RunningJobCutoffs, RunningJobRule } from '../store/store.js';
import type { ExpectationBasis, ThresholdSource } from './finding.js';
import type { ResolvedMonitorOptions } from './monitor-options.js';

/** What the monitor needs of a job type: the stored description's thresholds and stages. */
export type MonitoredJobType = Pick<
  JobTypeDescription,
  'type' | 'stages' | 'expectedDurationMs' | 'stuckAfterMs'
>;

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

  constructor(
    options: ResolvedMonitorOptions,
    types: readonly MonitoredJobType[],
    history: readonly DurationHistory[],
  ) {
    this.#options = options;
    this.#types = new Map(types.map((type) => [type.type, type]));
    for (const { type, stage, durationsMs } of history) {
      if (durationsMs.length < options.minSamples) continue;
      const expectedMs = percentile(durationsMs, options.learnedPercentile);
      this.#learned.set(key(type, stage), {
        expectedMs,
        basis: 'learned',
        samples: durationsMs.length,
      });
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
        : (override?.stages?.[stage]?.expectedDurationMs ??
          this.#stage(type, stage)?.expectedDurationMs);
    if (declared !== undefined && declared !== null)
      return { expectedMs: declared, basis: 'declared', samples: 0 };
    return this.#learned.get(key(type, stage ?? ''));
  }

  /** The slow threshold of an expectation. */
  slowAfter(expectation: Expectation): number {
    return expectation.expectedMs * this.#options.slowFactor;
  }

  /**
   * Each type's smallest thresholds, as the store's running-jobs read takes them: a running job
   * past none of its type's cannot be stuck, slow or predicted late, so the scan need not read it.
   */
  cutoffs(now: number): RunningJobCutoffs {
    const o = this.#options;
    const stagesOf = new Map<string, Set<string>>();
    const add = (type: string, stage?: string) => {
      const stages = stagesOf.get(type) ?? new Set<string>();
      if (stage) stages.add(stage);
      stagesOf.set(type, stages);
    };
    for (const t of this.#types.values())
      for (const stage of [undefined, ...t.stages.map((s) => s.name)]) add(t.type, stage);
    for (const [type, t] of Object.entries(o.thresholds))
      for (const stage of [undefined, ...Object.keys(t.stages ?? {})]) add(type, stage);
    for (const k of this.#learned.keys()) add(...(k.split('\u0000') as [string, string]));
    const smallest = (values: (number | undefined)[]) => {
      const known = values.filter((v): v is number => v !== undefined);
      return known.length === 0 ? null : Math.min(...known);
    };
    const rules: RunningJobRule[] = [...stagesOf].map(([type, stages]) => {
      const whole = this.expected(type, null);
      const slowAfterMs = whole ? this.slowAfter(whole) : null;
      return {
        type,
        stuckAfterMs: smallest([
          this.stuckAfter(type, null).ms,
          ...[...stages].map((stage) => this.stuckAfter(type, stage).ms),
        ]),
        slowAfterMs,
        stageSlowAfterMs: smallest(
          [...stages]
            .map((stage) => this.expected(type, stage))
            .map((e) => (e ? this.slowAfter(e) : undefined)),
        ),
        predictFromMs: whole ? whole.expectedMs * o.predictFromElapsed : null,
        predictAfterMs: slowAfterMs,
      };
    });
    return {
      now,
      defaultStuckAfterMs: o.stuckAfterMs,
      predictFromPercent: o.predictFromPercent,
      rules,
    };
  }

  #stage(type: string, stage: string | null) {
    return stage === null ? undefined : this.#types.get(type)?.stages.find((s) => s.name === stage);
  }
}

function key(type: string, stage: string): string {
  return `${type}\u0000${stage}`;
}
