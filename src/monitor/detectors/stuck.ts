import { describeStage, formatDuration, type StuckFinding } from '../finding.js';
import { attemptOf, type ScanContext } from './scan-context.js';

/**
 * Running jobs whose progress has not moved for their type's (or stage's) `stuckAfterMs`. Lease
 * renewals do not count as progress, so a hung handler in a live worker is found. One stall of one
 * attempt is one finding: the key names the attempt's token and the last progress time.
 */
export function detectStuck(ctx: ScanContext): StuckFinding[] {
  const findings: StuckFinding[] = [];
  for (const job of ctx.jobs) {
    const progressAt = job.progressAt ?? job.attemptStartedAt ?? job.heartbeatAt;
    if (progressAt === null) continue;
    const idleMs = ctx.now - progressAt;
    const threshold = ctx.thresholds.stuckAfter(job.type, job.stage);
    if (idleMs < threshold.ms) continue;
    findings.push({
      kind: 'stuck',
      key: `stuck:${job.id}:${job.leaseToken}:${progressAt}`,
      summary: `${job.type} job ${job.id} stuck at ${describeStage(job.stage, job.progress)}: no progress for ${formatDuration(idleMs)}`,
      detectedAt: ctx.now,
      ...attemptOf(job),
      progressAt,
      idleMs,
      stuckAfterMs: threshold.ms,
      thresholdFrom: threshold.from,
      leaseOwner: job.leaseOwner,
      heartbeatAt: job.heartbeatAt,
      previousScanAt: ctx.previousScanAt,
    });
  }
  return findings;
}
