import type { Job, JobError, JobStatus, Json } from '../core/types.js';

/** A job to insert; the store fills in ids and bookkeeping. */
export interface NewJob {
  type: string;
  payload: Json;
  priority: number;
  runAt: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  /** When the idempotency key stops deduplicating (ms); null or absent: never. */
  idempotencyExpiresAt?: number | null;
  knobs: Record<string, Json>;
}

/** What inserting one job did. */
export interface InsertedJob {
  job: Job;
  /** False when a job with the same idempotency key already existed and was returned instead. */
  created: boolean;
}

/** Which jobs to claim and for whom. */
export interface ClaimRequest {
  types: readonly string[];
  owner: string;
  leaseMs: number;
  /** Most jobs in all. */
  limit: number;
  /** Most jobs per type; a type without an entry is bounded by `limit` alone. */
  limits?: Readonly<Record<string, number>>;
  now: number;
}

/** A write made under a lease: refused unless `token` is still the job's current token. */
export interface Fenced {
  id: string;
  token: number;
}

/** A heartbeat, optionally with progress. */
export interface HeartbeatWrite extends Fenced {
  leaseMs: number;
  /** The attempt's handler runs: charge the attempt (once per lease token). Claims charge nothing. */
  started?: boolean;
  stage?: string;
  progress?: number;
  /**
   * The handler made progress (a stage, a progress value or `ctx.heartbeat()`): moves the job's
   * `progressAt`, which the monitor's stuck detection reads. The worker's automatic lease renewal
   * leaves it unset: it proves the process is alive, not that the job moves.
   */
  madeProgress?: boolean;
}

/** A finished attempt. */
export interface CompletionWrite extends Fenced {
  result: Json;
  /** The knob values the attempt ran with, when they differ from the stored ones (learned starting values). */
  knobs?: Record<string, Json>;
}

/** A failed attempt: `retryAt` schedules another one, `null` fails the job for good. */
export interface FailureWrite extends Fenced {
  error: JobError;
  retryAt: number | null;
  /** Give the attempt back: the retry does not count against `maxAttempts` (waiting out a rate limit). */
  refundAttempt?: boolean;
  /** The job's new knob values, replacing the stored ones (already validated). */
  knobs?: Record<string, Json>;
  /** The pattern whose remedy is being applied: sets `healing_pattern_id` and `healing_timestamp`. */
  healingPatternId?: string;
}

/** Gives a running job back without it counting as an attempt (shutdown, delay). */
export interface ReleaseWrite extends Fenced {
  runAt: number;
}

/** Filter for listing jobs. */
export interface JobFilter {
  status?: JobStatus;
  type?: string;
  limit?: number;
  offset?: number;
}

/** What an expired-lease sweep did. */
export interface ExpiredLease {
  job: Job;
  /** True when the job had attempts left and was queued again. */
  requeued: boolean;
  /** False for a job claimed but never started (prefetched by a worker that died): no attempt was spent. */
  started: boolean;
}

/** One row of a job's attempt history. */
export interface AttemptRecord {
  jobId: string;
  attempt: number;
  leaseToken: number;
  owner: string | null;
  outcome: 'failed' | 'lease_expired' | 'released' | 'revoked';
  error: JobError | null;
  at: number;
}

/** Job operations: insert, read, claim under a lease, fenced writes, sweeps and wake-ups. */
export interface JobStore {
  /** Inserts jobs in one transaction; an existing idempotency key returns the existing job. */
  insertJobs(jobs: readonly NewJob[], now: number): Promise<InsertedJob[]>;
  getJob(id: string): Promise<Job | undefined>;
  listJobs(filter?: JobFilter): Promise<Job[]>;
  countJobs(filter?: Omit<JobFilter, 'limit' | 'offset'>): Promise<number>;
  /** A job's failed, expired and released attempts, oldest first. */
  listAttempts(jobId: string): Promise<AttemptRecord[]>;

  /**
   * Claims up to `limit` due jobs, type by type in the order given, highest priority first, giving
   * each a new lease and token. The attempt is not charged yet: `attempts` counts attempts whose
   * handler started (a heartbeat with `started`, or the attempt's outcome, charges it). The lease
   * runs `leaseMs` on the store's clock (PostgreSQL's `now()`; SQLite: this machine's); `now` only
   * decides which jobs are due and stamps bookkeeping columns.
   */
  claimJobs(request: ClaimRequest): Promise<Job[]>;
  /** Renews leases; returns the ids whose token was still current. */
  heartbeat(writes: readonly HeartbeatWrite[], now: number): Promise<Set<string>>;
  /** Saves a checkpoint; false when the token is stale. */
  saveCheckpoint(write: Fenced & { data: Json }, now: number): Promise<boolean>;
  /** Completes attempts; returns the ids whose token was still current. */
  completeJobs(writes: readonly CompletionWrite[], now: number): Promise<Set<string>>;
  /** Records failed attempts; returns the ids whose token was still current. */
  failJobs(writes: readonly FailureWrite[], now: number): Promise<Set<string>>;
  /** Puts running jobs back in the queue, not counting the attempt; returns accepted ids. */
  releaseJobs(writes: readonly ReleaseWrite[], now: number): Promise<Set<string>>;
  /**
   * Ends every lease that has expired on the store's clock: the job is queued again (due at `now`)
   * if it has attempts left, failed otherwise. This is how a dead worker's job comes back.
   */
  expireLeases(now: number): Promise<ExpiredLease[]>;
  /**
   * Milliseconds until the earliest running lease expires (≤ 0 when overdue), or null when nothing
   * runs: when the next sweep is worth making. Measured on the store's clock, as leases are.
   */
  msUntilNextLeaseExpiry(): Promise<number | null>;
  /** Cancels a queued or running job (a running one loses its lease); false if already final. */
  cancelJob(id: string, now: number): Promise<boolean>;

  /** Calls `listener` when jobs may have become available; returns an unsubscribe function. */
  onJobsAvailable(listener: (types: readonly string[]) => void): Promise<() => Promise<void>>;
}
