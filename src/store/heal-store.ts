import type { Job, JobError, Json } from '../core/types.js';

/** How a heal turned out: the next attempt completed, failed the same way, or failed otherwise. */
export const HEAL_OUTCOMES = ['success', 'failure', 'changed', 'abandoned'] as const;
/** One of {@link HEAL_OUTCOMES}; `abandoned` when the job was cancelled or ended without a next attempt. */
export type HealOutcome = (typeof HEAL_OUTCOMES)[number];

/** Validation states of an improvement log row (the seed's column). */
export const VALIDATION_STATUSES = ['pending', 'validated', 'failed'] as const;
/** One of {@link VALIDATION_STATUSES}. */
export type ValidationStatus = (typeof VALIDATION_STATUSES)[number];

/** One heal as written to `ai_improvement_logs`. Times are ms since the epoch. */
export interface Improvement {
  id: string;
  jobId: string | null;
  jobType: string | null;
  /** The attempt that failed and was healed. */
  attempt: number | null;
  patternId: string | null;
  /** True when this heal's pattern was seen for the first time. */
  patternNew: boolean;
  /** The action id (the seed's `action`). */
  action: string;
  /** Action and canonical parameters, the key the learner counts outcomes under. */
  remedy: string | null;
  /** What was changed: parameters, knobs before and after, hooks called, delay. */
  changesApplied: Record<string, Json>;
  /** What was detected: the error, its category, where the analysis came from. */
  detected: Record<string, Json>;
  beforeMetrics: Record<string, Json>;
  afterMetrics: Record<string, Json> | null;
  validationStatus: ValidationStatus;
  outcome: HealOutcome | null;
  /** The probability the remedy works, as the learner believed when it chose it. */
  confidence: number;
  createdAt: number;
  validatedAt: number | null;
}

/** A heal to log; it starts `pending`. */
export type NewImprovement = Omit<
  Improvement,
  'id' | 'afterMetrics' | 'validationStatus' | 'outcome' | 'createdAt' | 'validatedAt'
>;

/** How to settle a job's pending heals. */
export interface ImprovementSettlement {
  jobId: string;
  /** Only this improvement of the job; every pending one of the job when left out. */
  id?: string;
  outcome: HealOutcome;
  afterMetrics: Record<string, Json>;
}

/** Filter for listing improvements, newest first. */
export interface ImprovementFilter {
  jobId?: string;
  patternId?: string;
  action?: string;
  status?: ValidationStatus;
  /** Only rows created at or after this time (ms since the epoch). */
  since?: number;
  /** @default 100 */
  limit?: number;
  offset?: number;
}

/** Successes and failures of one remedy (action + parameters) on one pattern. */
export interface RemedyStat {
  patternId: string;
  remedy: string;
  action: string;
  params: Record<string, Json>;
  successCount: number;
  failureCount: number;
  lastUsed: number | null;
}

/** One verified outcome of a remedy, counted on the remedy and on its pattern. */
export interface RemedyOutcome {
  patternId: string;
  remedy: string;
  action: string;
  params: Record<string, Json>;
  success: boolean;
  /** The pattern's new calibrated confidence that its best remedy works. */
  confidence: number;
  /**
   * How many times the remedy had already failed on the job for this pattern (0, 1, or 2 for two
   * or more): counted apart as well, since a repeat often succeeds at another rate than a first try.
   */
  tries?: number;
}

/** Outcomes of one remedy on one pattern after it had already failed `tries` times on the job. */
export interface RemedyRepeatStat {
  patternId: string;
  remedy: string;
  /** 0, 1, or 2 for two or more. */
  tries: number;
  successCount: number;
  failureCount: number;
}

/** A failed (or already queued) job put back in the queue by a heal. */
export interface RequeueWrite {
  id: string;
  runAt: number;
  /** The job's complete new knob map; undefined keeps the current one. */
  knobs?: Record<string, Json>;
  patternId: string;
  /** Written as the job's last error; its `healing` reaches the next attempt as `ctx.healing`. */
  error: JobError;
}

/** A running attempt revoked (its token bumped, so its writes are refused) and queued afresh. */
export interface RestartWrite extends RequeueWrite {
  /** The lease token the restart expects; a newer attempt is left alone. */
  token: number;
}

/**
 * What the healer needs from storage: the improvement log, the learner's counts, and the few job
 * writes a heal makes outside a failed attempt (requeue a failed job, restart a stuck one, hold
 * queued jobs behind an open breaker).
 */
export interface HealStore {
  insertImprovement(improvement: NewImprovement, now: number): Promise<Improvement>;
  /**
   * Settles every pending improvement of a job with one outcome (`success` → validated, otherwise
   * failed) and returns the rows it settled; a row settled elsewhere first is not returned, so
   * each outcome is counted once across processes.
   */
  settleImprovements(settlement: ImprovementSettlement, now: number): Promise<Improvement[]>;
  listImprovements(filter?: ImprovementFilter): Promise<Improvement[]>;
  /** Learned remedy counts, of the given patterns or of all. */
  listRemedyStats(patternIds?: readonly string[]): Promise<RemedyStat[]>;
  /** Learned remedy counts by how many times the remedy had already failed on the job. */
  listRemedyRepeats(patternIds?: readonly string[]): Promise<RemedyRepeatStat[]>;
  /**
   * Counts one outcome on the remedy's stats and on its pattern (`success_count` or
   * `failure_count`, `confidence`, `last_used`), and by repeat when `tries` is given, in one
   * transaction.
   */
  recordRemedyOutcome(outcome: RemedyOutcome, now: number): Promise<RemedyStat>;
  /** Queues a failed job again, or re-schedules a queued one, with a healing mark; undefined for a running or finished job. */
  requeueJob(write: RequeueWrite, now: number): Promise<Job | undefined>;
  /** Revokes a running attempt and queues the job again; undefined unless the token was current. */
  restartJob(write: RestartWrite, now: number): Promise<Job | undefined>;
  /**
   * Delays queued jobs of these types that are due before `until` to `until`, each plus a random
   * share of `spreadMs` (default 0) so they do not all wake at one instant; returns how many.
   */
  holdQueuedJobs(
    types: readonly string[],
    until: number,
    now: number,
    spreadMs?: number,
  ): Promise<number>;
  /**
   * Counts a failure on a resource and returns its failures in a row since the last success, as
   * every process counted them (a breaker opens only after enough of them).
   */
  countResourceFailure(resource: string, now: number): Promise<number>;
  /** A job on the resource succeeded: its failures in a row start again from zero. */
  resetResourceFailures(resource: string, now: number): Promise<void>;
  /**
   * Heals of a pattern that failed (outcome `failure`) at or after `since`, in every process,
   * counted up to `limit` (the intensity limit needs to know only whether it is exceeded).
   */
  countFailedHeals(patternId: string, since: number, limit: number): Promise<number>;
}
