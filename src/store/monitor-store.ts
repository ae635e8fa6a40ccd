import type { Job, JobError, Json } from '../core/types.js';
import type { AttemptRecord, Fenced } from './job-store.js';

/** A running job as the monitor reads it: only the columns detection needs. Times in ms. */
export interface RunningJob {
  id: string;
  type: string;
  stage: string | null;
  progress: number;
  attempts: number;
  leaseToken: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** When this attempt was claimed. */
  attemptStartedAt: number | null;
  /** When the current stage began (or the attempt, if it has not changed stage). */
  stageStartedAt: number | null;
  /** The last stage, progress value, checkpoint or `ctx.heartbeat()`; not a lease renewal. */
  progressAt: number | null;
  /** The last lease renewal of any kind. */
  heartbeatAt: number | null;
}

/** The smallest thresholds of one job type, in ms (null: the type has none of that kind). */
export interface RunningJobRule {
  type: string;
  /** No progress for this long may be stuck (the smallest of the type's and its stages'). */
  stuckAfterMs: number | null;
  /** An attempt running this long is slow. */
  slowAfterMs: number | null;
  /** A stage lasting this long may be slow (the smallest of its stages'). */
  stageSlowAfterMs: number | null;
  /** Lateness is predicted once an attempt has run this long… */
  predictFromMs: number | null;
  /** …and `elapsed × 100 / progress` passes this. */
  predictAfterMs: number | null;
}

/**
 * Which running jobs a scan needs: those past one of their type's smallest thresholds, so a scan
 * transfers the candidates, not every running job. Types without a rule get `defaultStuckAfterMs`.
 */
export interface RunningJobCutoffs {
  now: number;
  defaultStuckAfterMs: number;
  /** Lateness is predicted from this percent on. */
  predictFromPercent: number;
  rules: RunningJobRule[];
}

/** A leadership held in the store: the holder leads until `expiresAt`; `epoch` grows at every change of hands. */
export interface Leadership {
  name: string;
  owner: string;
  epoch: number;
  acquiredAt: number;
  expiresAt: number;
}

/** Where a finding is on its way to the handler. */
export const FINDING_STATUSES = ['open', 'dispatched', 'handled', 'failed'] as const;
/** One of {@link FINDING_STATUSES}: `open` (stored), `dispatched` (given to the handler), then `handled` or `failed`. */
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding to store. `key` makes it idempotent: a second insert of the same key is ignored. */
export interface NewFinding {
  key: string;
  kind: string;
  jobId: string | null;
  jobType: string | null;
  patternId: string | null;
  summary: string;
  evidence: Json;
  detectedAt: number;
  detectedBy: string;
}

/** A stored finding and where it is in its hand-off. */
export interface StoredFinding extends NewFinding {
  id: number;
  status: FindingStatus;
  dispatchedAt: number | null;
  dispatchedBy: string | null;
  handledAt: number | null;
  outcome: string | null;
}

/**
 * Takes an open finding for dispatch. With `leader`, the claim holds only while that leadership
 * (name and epoch) is still held by `owner`, so a deposed leader cannot hand anything on.
 */
export interface FindingClaim {
  id: number;
  owner: string;
  now: number;
  leader?: { name: string; epoch: number };
}

/** Filter for listing findings, newest first. */
export interface FindingFilter {
  kind?: string;
  status?: FindingStatus;
  jobId?: string;
  limit?: number;
}

/** How many findings there are of one kind in one status. */
export interface FindingCount {
  kind: string;
  status: FindingStatus;
  count: number;
}

/** The duration of one successful attempt (`stage` '') or of one stage of it. */
export interface DurationSample {
  type: string;
  stage: string;
  durationMs: number;
  at: number;
}

/** The newest durations of one job type and stage ('' for whole attempts), oldest first. */
export interface DurationHistory {
  type: string;
  stage: string;
  durationsMs: number[];
}

/** Occurrences of one pattern in the recent window and in the baseline before it. */
export interface OccurrenceCounts {
  patternId: string;
  recent: number;
  baseline: number;
}

/** A recorded attempt with its row id (a cursor) and its job's type. */
export interface RecentAttempt extends AttemptRecord {
  id: number;
  type: string;
}

/**
 * What the proactive monitor reads and writes: running jobs (read through the running-jobs index,
 * never the whole table), one leadership shared by every process, idempotent findings, learned
 * durations, recent error occurrences, and the fenced restart of a stuck attempt.
 */
export interface MonitorStore {
  /** Takes or renews the named leadership for `ttlMs`; undefined while another owner holds it. */
  acquireLeadership(
    name: string,
    owner: string,
    ttlMs: number,
    now: number,
  ): Promise<Leadership | undefined>;
  /** Gives the leadership up at once, if `owner` still holds it at `epoch`. */
  resignLeadership(name: string, owner: string, epoch: number): Promise<void>;
  /** The named leadership as stored (possibly expired), or undefined. */
  getLeadership(name: string): Promise<Leadership | undefined>;

  /** Running jobs (all of them, or the candidates `cutoffs` names), read through the index of running jobs. */
  listRunningJobs(cutoffs?: RunningJobCutoffs): Promise<RunningJob[]>;
  /** Attempt records with an id above `afterId`, oldest first, at most `limit`. */
  listAttemptsAfter(afterId: number, limit: number): Promise<RecentAttempt[]>;
  /** The highest attempt record id (0 when none): where a new reader starts. */
  lastAttemptId(): Promise<number>;

  /** Stores findings whose key is new; returns only those, as stored. */
  insertFindings(findings: readonly NewFinding[]): Promise<StoredFinding[]>;
  /** Moves an open finding to `dispatched`; false when someone else took it (or the leadership is gone). */
  claimFinding(claim: FindingClaim): Promise<boolean>;
  /** Records what handling a dispatched finding did. */
  settleFinding(
    id: number,
    status: 'handled' | 'failed',
    outcome: string,
    now: number,
  ): Promise<void>;
  /** Findings, newest first. */
  listFindings(filter?: FindingFilter): Promise<StoredFinding[]>;
  /** Open findings detected at or before `before`, oldest first: left behind by a process that died. */
  listOpenFindings(before: number, limit: number): Promise<StoredFinding[]>;
  /** Findings counted by kind and status. */
  countFindings(): Promise<FindingCount[]>;
  /**
   * Fails findings dispatched at or before `before` and never settled (their process died while
   * handling them) and frees their keys, so a condition that still holds is found afresh.
   */
  abandonFindings(before: number, now: number): Promise<StoredFinding[]>;

  /** Stores durations, keeping the newest `keep` per job type and stage. */
  addDurationSamples(samples: readonly DurationSample[], keep: number): Promise<void>;
  /** The newest `perKey` durations of every job type and stage. */
  listDurationHistory(perKey: number): Promise<DurationHistory[]>;

  /** Per pattern, occurrences at or after `recentSince` and those in [`baselineSince`, `recentSince`). */
  countOccurrences(baselineSince: number, recentSince: number): Promise<OccurrenceCounts[]>;

  /**
   * Ends a running attempt from outside: bumps the lease token, so the old attempt's writes are
   * refused and its worker aborts it at the next renewal, records the attempt as `revoked` with
   * `error`, and queues the job again (or fails it when it has no attempts left). Undefined when
   * the token is no longer current.
   */
  revokeLease(write: Fenced & { error: JobError }, now: number): Promise<Job | undefined>;
}
