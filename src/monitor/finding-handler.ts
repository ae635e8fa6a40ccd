import type { Clock } from '../core/clock.js';
import type { JobError } from '../core/types.js';
import type { PatternBook } from '../patterns/pattern-book.js';
import type { MonitorStore } from '../store/store.js';
import type { DispatchedFinding } from './finding.js';

/**
 * Where the monitor hands each finding, once: the healer's entry point. What it returns (or
 * nothing) is stored as the finding's outcome; if it throws, the finding is marked failed with
 * the message. It is called at most once per finding across every process sharing the database.
 */
export type FindingHandler = (finding: DispatchedFinding) => Promise<string | void> | string | void;

/** What {@link restartStuckJobs} needs. */
export interface RestartDeps {
  store: Pick<MonitorStore, 'revokeLease'>;
  clock: Clock;
  /** When given, each stuck finding is counted on the synthetic "stuck at stage" pattern. */
  patterns?: Pick<PatternBook, 'stuck'>;
}

/**
 * The handler used until a healer is wired: findings are only recorded, except a stuck job, which
 * is restarted through the store — its lease is revoked (the old attempt's writes are refused and
 * its worker aborts it) and it is queued again, or failed when it has no attempts left.
 */
export function restartStuckJobs(deps: RestartDeps): FindingHandler {
  return async (finding) => {
    if (finding.kind !== 'stuck') return 'recorded';
    const now = deps.clock.now();
    const error: JobError = {
      message: `no progress for ${finding.idleMs} ms (stuckAfterMs ${finding.stuckAfterMs}): ${finding.summary}`,
      name: 'StuckJobError',
      code: 'ERR_JOB_STUCK',
      stage: finding.stage ?? undefined,
      attempt: finding.attempt,
      at: now,
      kind: 'stuck',
    };
    const job = await deps.store.revokeLease(
      { id: finding.jobId, token: finding.leaseToken, error },
      now,
    );
    if (deps.patterns)
      await deps.patterns.stuck(
        finding.jobType,
        finding.stage ?? undefined,
        finding.progress,
        now,
        { jobId: finding.jobId, attempt: finding.attempt },
      );
    if (!job) return 'not restarted: the attempt had already ended';
    return job.status === 'queued'
      ? `restarted: attempt ${finding.attempt} revoked, job queued again`
      : 'revoked: no attempts left, job failed';
  };
}
