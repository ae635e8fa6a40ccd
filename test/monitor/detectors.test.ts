import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.js';
import { detectErrorSpikes } from '../../src/monitor/detectors/error-spike.js';
import { detectPredictedLate } from '../../src/monitor/detectors/predicted-late.js';
import { detectStuck } from '../../src/monitor/detectors/stuck.js';
import { resolveMonitorOptions } from '../../src/monitor/monitor-options.js';
import { percentile, Thresholds, type MonitoredJobType } from '../../src/monitor/thresholds.js';
import type { RunningJob } from '../../src/store/store.js';

const T0 = Date.UTC(2026, 0, 1);
const options = resolveMonitorOptions({
  thresholds: { import: { stages: { Upload: { stuckAfterMs: 30_000 } } } },
});
const types: MonitoredJobType[] = [
  {
    type: 'build',
    stuckAfterMs: 2 * MINUTE,
    expectedDurationMs: null,
    stages: [{ name: 'Link', percent: 80, stuckAfterMs: 10 * MINUTE }],
  },
  { type: 'import', stuckAfterMs: MINUTE, expectedDurationMs: 60_000, stages: [] },
];

function running(overrides: Partial<RunningJob>): RunningJob {
  return {
    id: 'job-1',
    type: 'build',
    stage: null,
    progress: 0,
    attempts: 1,
    leaseToken: 1,
    leaseOwner: 'w1',
    leaseExpiresAt: T0 + 10_000,
    attemptStartedAt: T0,
    stageStartedAt: T0,
    progressAt: T0,
    heartbeatAt: T0,
    ...overrides,
  };
}

describe('stuck thresholds', () => {
  it('take the monitor options first, then the stage, then the type, then the default', () => {
    const thresholds = new Thresholds(options, types, []);
    expect(thresholds.stuckAfter('import', 'Upload')).toEqual({ ms: 30_000, from: 'options' });
    expect(thresholds.stuckAfter('build', 'Link')).toEqual({ ms: 10 * MINUTE, from: 'stage' });
    expect(thresholds.stuckAfter('build', 'Compile')).toEqual({ ms: 2 * MINUTE, from: 'type' });
    expect(thresholds.stuckAfter('unknown', null)).toEqual({ ms: 5 * MINUTE, from: 'options' });
  });

  it('find a job in a long stage only once that stage’s own threshold passes, and name stage and percent', () => {
    const thresholds = new Thresholds(options, types, []);
    const jobs = [
      running({ id: 'a', stage: 'Link', progress: 80 }),
      running({ id: 'b', stage: 'Compile', progress: 40 }),
    ];
    const found = detectStuck({
      now: T0 + 3 * MINUTE,
      previousScanAt: null,
      jobs,
      thresholds,
      options,
    });
    expect(found.map((f) => f.jobId)).toEqual(['b']);
    expect(found[0]!.summary).toBe("build job b stuck at 'Compile' (40%): no progress for 3m 0s");
    expect(found[0]!.key).toBe(`stuck:b:1:${T0}`);
  });
});

describe('learned durations', () => {
  it('use the p95 of successful runs once there are enough, and never override a declared duration', () => {
    const durations = Array.from({ length: 20 }, (_, i) => 1000 * (i + 1));
    expect(percentile(durations, 0.95)).toBe(19_000);
    const thresholds = new Thresholds(options, types, [
      { type: 'build', stage: '', durationsMs: durations },
      { type: 'build', stage: 'Link', durationsMs: durations.slice(0, 5) },
      { type: 'import', stage: '', durationsMs: durations },
    ]);
    expect(thresholds.expected('build', null)).toEqual({
      expectedMs: 19_000,
      basis: 'learned',
      samples: 20,
    });
    expect(thresholds.expected('build', 'Link')).toBeUndefined();
    expect(thresholds.expected('import', null)).toEqual({
      expectedMs: 60_000,
      basis: 'declared',
      samples: 0,
    });
  });

  it('predict a late finish from the progress rate, not before the job is far enough along', () => {
    const thresholds = new Thresholds(options, types, []);
    const ctx = (now: number, progress: number) => ({
      now,
      previousScanAt: null,
      jobs: [running({ type: 'import', progress })],
      thresholds,
      options,
    });
    expect(detectPredictedLate(ctx(T0 + 30_000, 3))).toEqual([]); // below 5 %
    expect(detectPredictedLate(ctx(T0 + 30_000, 50))).toEqual([]); // on time: 60 s in total
    const [late] = detectPredictedLate(ctx(T0 + 30_000, 20));
    expect(late).toMatchObject({
      predictedTotalMs: 150_000,
      predictedFinishAt: T0 + 150_000,
      thresholdMs: 90_000,
      basis: 'declared',
    });
  });
});

describe('scan cutoffs', () => {
  it('give each type its smallest thresholds, so a scan reads only jobs that could be a finding', () => {
    const thresholds = new Thresholds(options, types, [
      { type: 'build', stage: 'Link', durationsMs: Array.from({ length: 20 }, () => 40_000) },
    ]);
    const cutoffs = thresholds.cutoffs(T0);
    expect(cutoffs).toMatchObject({
      now: T0,
      defaultStuckAfterMs: 5 * MINUTE,
      predictFromPercent: 5,
    });
    expect(cutoffs.rules).toEqual([
      {
        type: 'build',
        stuckAfterMs: 2 * MINUTE,
        slowAfterMs: null,
        stageSlowAfterMs: 60_000,
        predictFromMs: null,
        predictAfterMs: null,
      },
      {
        type: 'import',
        stuckAfterMs: 30_000,
        slowAfterMs: 90_000,
        stageSlowAfterMs: null,
        predictFromMs: 6_000,
        predictAfterMs: 90_000,
      },
    ]);
  });
});

describe('error spikes', () => {
  it('flag a pattern whose window holds spikeFactor times its baseline mean, once per window', () => {
    const now = T0 + 17 * options.spikeWindowMs + 1000;
    const counts = [
      { patternId: 'p-spike', recent: 12, baseline: 24 }, // 2 per window before, 12 now
      { patternId: 'p-steady', recent: 6, baseline: 72 }, // 6 per window, as always
      { patternId: 'p-rare', recent: 3, baseline: 0 }, // new, but below the minimum count
    ];
    const found = detectErrorSpikes(counts, now, options);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'error_spike',
      patternId: 'p-spike',
      recent: 12,
      baselinePerWindow: 2,
      key: `error_spike:p-spike:${T0 + 17 * options.spikeWindowMs}`,
    });
  });
});
