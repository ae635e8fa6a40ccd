import { formatDuration, type PredictedLateFinding } from '../finding.js';
import { attemptOf, type ScanContext } from './scan-context.js';

/**
 * Attempts not yet slow whose progress rate so far says they will be: at `progress`% after
 * `elapsed`, the whole run takes `elapsed × 100 / progress`. Flagged before it happens, with the
 * predicted finish time, once the job is far enough along for the rate to mean something.
 */
export function detectPredictedLate(ctx: ScanContext): PredictedLateFinding[] {
  const findings: PredictedLateFinding[] = [];
  for (const job of ctx.jobs) {
    const expectation = ctx.thresholds.expected(job.type, null);
    if (!expectation || job.attemptStartedAt === null) continue;
    if (job.progress < ctx.options.predictFromPercent || job.progress >= 100) continue;
    const elapsedMs = ctx.now - job.attemptStartedAt;
    const thresholdMs = ctx.thresholds.slowAfter(expectation);
    if (
      elapsedMs > thresholdMs ||
      elapsedMs < expectation.expectedMs * ctx.options.predictFromElapsed
    )
      continue;
    const predictedTotalMs = (elapsedMs * 100) / job.progress;
    if (predictedTotalMs <= thresholdMs) continue;
    const predictedFinishAt = Math.round(job.attemptStartedAt + predictedTotalMs);
    findings.push({
      kind: 'predicted_late',
      key: `predicted_late:${job.id}:${job.leaseToken}`,
      summary:
        `${job.type} job ${job.id} predicted late: ${job.progress}% after ${formatDuration(elapsedMs)}, ` +
        `finishing in about ${formatDuration(predictedTotalMs)} against ${formatDuration(expectation.expectedMs)} expected`,
      detectedAt: ctx.now,
      ...attemptOf(job),
      elapsedMs,
      expectedMs: expectation.expectedMs,
      thresholdMs,
      basis: expectation.basis,
      samples: expectation.samples,
      percentPerMinute: (job.progress / Math.max(1, elapsedMs)) * 60_000,
      predictedTotalMs: Math.round(predictedTotalMs),
      predictedFinishAt,
    });
  }
  return findings;
}
