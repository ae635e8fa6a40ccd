import { describeStage, formatDuration, type SlowFinding } from '../finding.js';
import type { Expectation } from '../thresholds.js';
import { attemptOf, type ScanContext } from './scan-context.js';

/**
 * Running attempts, and current stages, taking longer than expected × the slow factor. The
 * expectation is declared (`expectedDurationMs` on the type or stage) or learned (the p95 of
 * successful runs). One finding per attempt and scope.
 */
export function detectSlow(ctx: ScanContext): SlowFinding[] {
  const findings: SlowFinding[] = [];
  for (const job of ctx.jobs) {
    const scopes = [
      {
        scope: 'attempt' as const,
        since: job.attemptStartedAt,
        expectation: ctx.thresholds.expected(job.type, null),
      },
      {
        scope: 'stage' as const,
        since: job.stageStartedAt,
        expectation: job.stage === null ? undefined : ctx.thresholds.expected(job.type, job.stage),
      },
    ];
    for (const { scope, since, expectation } of scopes) {
      if (since === null || !expectation) continue;
      const elapsedMs = ctx.now - since;
      const thresholdMs = ctx.thresholds.slowAfter(expectation);
      if (elapsedMs <= thresholdMs) continue;
      findings.push(slowFinding(ctx.now, job, scope, elapsedMs, thresholdMs, expectation));
    }
  }
  return findings;
}

function slowFinding(
  now: number,
  job: ScanContext['jobs'][number],
  scope: 'attempt' | 'stage',
  elapsedMs: number,
  thresholdMs: number,
  e: Expectation,
): SlowFinding {
  const what =
    scope === 'attempt' ? 'running' : `in stage ${describeStage(job.stage, job.progress)}`;
  const basis = e.basis === 'declared' ? 'declared' : `p95 of ${e.samples} successful runs`;
  return {
    kind: 'slow',
    key: `slow:${job.id}:${job.leaseToken}:${scope === 'attempt' ? '' : (job.stage ?? '')}`,
    summary: `${job.type} job ${job.id} slow: ${what} for ${formatDuration(elapsedMs)}, expected ${formatDuration(e.expectedMs)} (${basis})`,
    detectedAt: now,
    ...attemptOf(job),
    scope,
    elapsedMs,
    expectedMs: e.expectedMs,
    thresholdMs,
    basis: e.basis,
    samples: e.samples,
  };
}
