/**
 * Terminology
 *
 * - **job**: one unit of work of a defined type, with a JSON payload, stored in `ai_generation_jobs`.
 * - **attempt**: one claim of a job by a worker; `attempts` counts them.
 * - **lease**: the right to run an attempt — an owner, an expiry and a fencing `token` that grows
 *   with every claim. Every write of an attempt carries its token and is refused once stale.
 * - **stage**: a named step of a job with a progress percentage ("Setting up database foundation", 25).
 * - **checkpoint**: JSON a handler saves so that a later attempt can resume.
 * - **knob**: a per-job setting a job type declares and a healer may change within its bounds.
 * - **finding**: something the monitor detected (stuck, failed, slow, …).
 * - **fingerprint**: an error's signature, template and category.
 * - **remedy**: an action applied to heal a job; its **outcome** is what the next attempt did.
 * - **pattern**: one root cause as the pattern book knows it — a signature, a category, ranked
 *   remedies and counts — stored in `universal_error_patterns`; an **occurrence** is one error of it.
 */

/** States a job moves through. */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
/** One of {@link JOB_STATUSES}. */
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A JSON value, as stored in payloads, results, checkpoints and knobs. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What was recorded about a failed attempt. */
export interface JobError {
  message: string;
  name?: string;
  code?: string;
  stack?: string;
  stage?: string;
  attempt: number;
  /** Milliseconds since the epoch. */
  at: number;
  /** The lease was lost rather than the handler throwing (dead worker, timeout of the lease). */
  kind?: 'thrown' | 'timeout' | 'lease_expired' | 'aborted' | 'stuck';
  /** Why the job was handed to a person instead of being retried (a failure hook escalated it). */
  escalation?: string;
  /** What a healer did about this failure before the next attempt; that attempt sees it as `ctx.healing`. */
  healing?: Healing;
}

/** A remedy applied to a job before its next attempt. */
export interface Healing {
  /** The pattern whose remedy was applied. */
  patternId: string;
  /** The remedy action id (see `ACTIONS`). */
  action?: string;
  /** The remedy's parameters. */
  params?: { [key: string]: Json };
}

/**
 * A job as stored. Times are milliseconds since the epoch. `P` and `R` type its payload and
 * result when the job type is known at compile time (see `JobMap`).
 */
export interface Job<P = Json, R = Json> {
  id: string;
  type: string;
  payload: P;
  status: JobStatus;
  priority: number;
  runAt: number;
  attempts: number;
  maxAttempts: number;
  idempotencyKey: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  leaseToken: number;
  stage: string | null;
  progress: number;
  heartbeatAt: number | null;
  /** The last progress the handler made (stage, progress, checkpoint, `ctx.heartbeat()`); lease renewals do not count. */
  progressAt: number | null;
  checkpoint: Json | null;
  knobs: Record<string, Json>;
  result: R | null;
  lastError: JobError | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  selfHealed: boolean;
  healingPatternId: string | null;
  healingTimestamp: number | null;
}

/** Where a pattern's analysis came from. */
export const PATTERN_SOURCES = ['rule', 'similar', 'llm', 'synthetic', 'operator'] as const;
/**
 * One of {@link PATTERN_SOURCES}: a built-in rule, a similar known pattern, an LLM, made up by the
 * engine (stuck jobs), or taught by a person through the API or CLI.
 */
export type PatternSource = (typeof PATTERN_SOURCES)[number];

/** A learned error pattern, as stored in `universal_error_patterns`. Times are ms since the epoch. */
export interface Pattern {
  id: string;
  /**
   * The pattern identity: the same for every occurrence of one root cause, whatever shape its
   * message came in (each occurrence keeps its own shape as {@link PatternOccurrence.signature}).
   */
  patternKey: string;
  /** @deprecated The same value as {@link Pattern.patternKey}, under its old name. */
  signature: string;
  /** The redacted message with its variable parts masked. */
  template: string;
  /** A category id (see `CATEGORIES`). */
  category: string;
  transient: boolean;
  rootCause: string | null;
  /** Remedy action ids, best first (the seed's `solution` column). */
  remedies: string[];
  prevention: string | null;
  /** Structured facts of the error (codes, status, host, resource…), redacted. */
  facts: Record<string, Json>;
  source: PatternSource;
  occurrenceCount: number;
  successCount: number;
  failureCount: number;
  confidence: number;
  /** One redacted message of the pattern, for people reading the pattern book. */
  example: string | null;
  /** The pattern this one was merged into, or null while it is live. */
  mergedInto: string | null;
  firstSeen: number;
  lastSeen: number;
  lastUsed: number | null;
  createdAt: number;
  updatedAt: number;
}

/** One error of a pattern, as stored in `error_occurrences`. */
export interface PatternOccurrence {
  id: number;
  patternId: string;
  jobId: string | null;
  attempt: number | null;
  /** The redacted message. */
  message: string;
  /** The fingerprint of the message's exact shape, or null for occurrences stored before it was kept. */
  signature: string | null;
  at: number;
}
