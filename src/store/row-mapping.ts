import type {
  Job,
  JobError,
  JobStatus,
  Json,
  Pattern,
  PatternOccurrence,
  PatternSource,
} from '../core/types.js';
import type { NewJob } from './job-store.js';
import type { AttemptRecord } from './store.js';
import type {
  DurationHistory,
  FindingStatus,
  Leadership,
  RunningJob,
  StoredFinding,
} from './monitor-store.js';

/** How an engine hands back JSON and boolean columns. */
export interface ColumnCodec {
  json(value: unknown): Json | null;
  bool(value: unknown): boolean;
}

/** SQLite stores JSON as text and booleans as 0/1. */
export const textCodec: ColumnCodec = {
  json: (value) =>
    value === null || value === undefined ? null : (JSON.parse(value as string) as Json),
  bool: (value) => value === 1 || value === true,
};

/** Postgres returns jsonb already parsed and real booleans. */
export const nativeCodec: ColumnCodec = {
  json: (value) => (value === undefined ? null : (value as Json)),
  bool: (value) => value === true,
};

const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** True for a job whose stored row could not be read in full (see {@link rowToJob}). */
export function isCorruptJob(job: Job): boolean {
  return job.lastError?.code === 'ERR_CORRUPT_JOB';
}

/**
 * Maps a snake_case `ai_generation_jobs` row to a {@link Job}; the only place columns are renamed.
 * A JSON column that does not parse (a row edited outside Mega Mind) reads as null and the job's
 * `lastError` says which: one bad row must not make every read or sweep throw.
 */
export function rowToJob(row: Record<string, unknown>, codec: ColumnCodec): Job {
  const unreadable: string[] = [];
  const json = (column: string): Json | null => {
    try {
      return codec.json(row[column]);
    } catch {
      unreadable.push(column);
      return null;
    }
  };
  const job = mapJob(row, codec, json);
  if (unreadable.length === 0) return job;
  const message = `job ${job.id} is corrupt: column ${unreadable.join(', ')} is not valid JSON`;
  return {
    ...job,
    lastError: {
      message,
      name: 'OrchestratorError',
      code: 'ERR_CORRUPT_JOB',
      attempt: job.attempts,
      at: job.updatedAt,
      kind: 'thrown',
    },
  };
}

function mapJob(
  row: Record<string, unknown>,
  codec: ColumnCodec,
  json: (column: string) => Json | null,
): Job {
  return {
    id: String(row.id),
    type: row.type as string,
    payload: json('payload'),
    status: row.status as JobStatus,
    priority: Number(row.priority),
    runAt: Number(row.run_at),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    idempotencyKey: (row.idempotency_key as string | null) ?? null,
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseExpiresAt: num(row.lease_expires_at),
    leaseToken: Number(row.lease_token),
    stage: (row.stage as string | null) ?? null,
    progress: Number(row.progress),
    heartbeatAt: num(row.heartbeat_at),
    progressAt: num(row.progress_at),
    checkpoint: json('checkpoint'),
    knobs: (json('knobs') ?? {}) as Record<string, Json>,
    result: json('result'),
    lastError: json('last_error') as JobError | null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    selfHealed: codec.bool(row.self_healed),
    healingPatternId: (row.healing_pattern_id as string | null) ?? null,
    healingTimestamp: num(row.healing_timestamp),
  };
}

/** What an insert writes of a new job; every other column takes the schema's default. */
export interface InsertedRow {
  id: string;
  type: string;
  payload: Json;
  priority: number;
  run_at: number;
  max_attempts: number;
  idempotency_key: string | null;
  knobs: Record<string, Json>;
}

/** The columns an insert writes for a new job, under the id it was given. */
export function writtenRow(id: string, job: NewJob): InsertedRow {
  return {
    id,
    type: job.type,
    payload: job.payload,
    priority: job.priority,
    run_at: job.runAt,
    max_attempts: job.maxAttempts,
    idempotency_key: job.idempotencyKey,
    knobs: job.knobs,
  };
}

/**
 * The job a successful insert created, built from what was written instead of read back: a new
 * row's other columns are the schema's defaults (the store conformance suite checks that what an
 * insert answers equals a read of the job). Reading 30 columns back cost a quarter of a bulk
 * insert on PostgreSQL.
 */
export function insertedJob(row: InsertedRow, now: number): Job {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload ?? null,
    status: 'queued',
    priority: row.priority,
    runAt: row.run_at,
    attempts: 0,
    maxAttempts: row.max_attempts,
    idempotencyKey: row.idempotency_key,
    leaseOwner: null,
    leaseExpiresAt: null,
    leaseToken: 0,
    stage: null,
    progress: 0,
    heartbeatAt: null,
    progressAt: null,
    checkpoint: null,
    knobs: row.knobs,
    result: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    selfHealed: false,
    healingPatternId: null,
    healingTimestamp: null,
  };
}

/** Maps a `job_attempts` row. */
export function rowToAttempt(row: Record<string, unknown>, codec: ColumnCodec): AttemptRecord {
  return {
    jobId: String(row.job_id),
    attempt: Number(row.attempt),
    leaseToken: Number(row.lease_token),
    owner: (row.owner as string | null) ?? null,
    outcome: row.outcome as AttemptRecord['outcome'],
    error: codec.json(row.error) as JobError | null,
    at: Number(row.at),
  };
}

/** Maps a `universal_error_patterns` row to a {@link Pattern}; `solution` holds the remedies. */
export function rowToPattern(row: Record<string, unknown>, codec: ColumnCodec): Pattern {
  const remedies = codec.json(row.solution);
  return {
    id: String(row.id),
    patternKey: row.pattern_key as string,
    signature: row.pattern_key as string,
    template: row.template as string,
    category: row.category as string,
    transient: codec.bool(row.transient),
    rootCause: (row.root_cause as string | null) ?? null,
    remedies: Array.isArray(remedies)
      ? remedies.filter((r): r is string => typeof r === 'string')
      : [],
    prevention: (row.prevention as string | null) ?? null,
    facts: (codec.json(row.facts) ?? {}) as Record<string, Json>,
    source: row.source as PatternSource,
    occurrenceCount: Number(row.occurrence_count),
    successCount: Number(row.success_count),
    failureCount: Number(row.failure_count),
    confidence: Number(row.confidence),
    example: (row.example as string | null) ?? null,
    mergedInto: (row.merged_into as string | null) ?? null,
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    lastUsed: num(row.last_used),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Maps an `error_occurrences` row. */
export function rowToOccurrence(row: Record<string, unknown>): PatternOccurrence {
  return {
    id: Number(row.id),
    patternId: String(row.pattern_id),
    jobId: (row.job_id as string | null) ?? null,
    attempt: num(row.attempt),
    message: row.message as string,
    signature: (row.signature as string | null) ?? null,
    at: Number(row.at),
  };
}

/** Maps a running job's monitor projection. */
export function rowToRunningJob(row: Record<string, unknown>): RunningJob {
  return {
    id: String(row.id),
    type: row.type as string,
    stage: (row.stage as string | null) ?? null,
    progress: Number(row.progress),
    attempts: Number(row.attempts),
    leaseToken: Number(row.lease_token),
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseExpiresAt: num(row.lease_expires_at),
    attemptStartedAt: num(row.attempt_started_at),
    stageStartedAt: num(row.stage_started_at),
    progressAt: num(row.progress_at),
    heartbeatAt: num(row.heartbeat_at),
  };
}

/** Maps a `monitor_leaders` row. */
export function rowToLeadership(row: Record<string, unknown>): Leadership {
  return {
    name: row.name as string,
    owner: row.owner as string,
    epoch: Number(row.epoch),
    acquiredAt: Number(row.acquired_at),
    expiresAt: Number(row.expires_at),
  };
}

/** Maps a `monitor_findings` row. */
export function rowToFinding(row: Record<string, unknown>, codec: ColumnCodec): StoredFinding {
  return {
    id: Number(row.id),
    key: row.key as string,
    kind: row.kind as string,
    jobId: (row.job_id as string | null) ?? null,
    jobType: (row.job_type as string | null) ?? null,
    patternId: (row.pattern_id as string | null) ?? null,
    summary: row.summary as string,
    evidence: codec.json(row.evidence),
    detectedAt: Number(row.detected_at),
    detectedBy: row.detected_by as string,
    status: row.status as FindingStatus,
    dispatchedAt: num(row.dispatched_at),
    dispatchedBy: (row.dispatched_by as string | null) ?? null,
    handledAt: num(row.handled_at),
    outcome: (row.outcome as string | null) ?? null,
  };
}

/** Groups (type, stage, duration_ms) rows, ordered by key, into one history per key. */
export function groupDurations(rows: readonly Record<string, unknown>[]): DurationHistory[] {
  const histories: DurationHistory[] = [];
  let current: DurationHistory | undefined;
  for (const row of rows) {
    const type = String(row.type);
    const stage = String(row.stage);
    if (!current || current.type !== type || current.stage !== stage) {
      current = { type, stage, durationsMs: [] };
      histories.push(current);
    }
    current.durationsMs.push(Number(row.duration_ms));
  }
  return histories;
}
