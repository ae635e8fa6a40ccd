import { randomUUID } from 'node:crypto';
import type { Job } from '../../core/types.js';
import type {
  HealStore,
  Improvement,
  ImprovementFilter,
  ImprovementSettlement,
  NewImprovement,
  RemedyOutcome,
  RemedyRepeatStat,
  RemedyStat,
  RequeueWrite,
  RestartWrite,
} from '../heal-store.js';
import { rowToImprovement, rowToRemedyRepeat, rowToRemedyStat } from '../heal-row-mapping.js';
import { nativeCodec, rowToJob } from '../row-mapping.js';
import { uncharged } from './queries.js';

type Row = Record<string, unknown>;
type Query = (sql: string, params?: unknown[]) => Promise<Row[]>;

/** $1 id $2 job_id $3 job_type $4 attempt $5 pattern_id $6 pattern_new $7 action $8 remedy $9 changes $10 detected $11 before $12 confidence $13 now */
const INSERT_IMPROVEMENT = `
INSERT INTO ai_improvement_logs (id, job_id, job_type, attempt, pattern_id, pattern_new, action, remedy,
  changes_applied, detected, before_metrics, confidence, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13)
RETURNING *`;

/** $1 job_id $2 status $3 outcome $4 after $5 now */
const SETTLE_IMPROVEMENTS = `
UPDATE ai_improvement_logs
SET validation_status = $2, outcome = $3, after_metrics = $4::jsonb, validated_at = $5
WHERE job_id = $1 AND validation_status = 'pending' AND ($6::text IS NULL OR id = $6)
RETURNING *`;

/** $1 job_id $2 pattern_id $3 action $4 status $5 since $6 limit $7 offset — NULL filters match all. */
const LIST_IMPROVEMENTS = `
SELECT * FROM ai_improvement_logs
WHERE ($1::text IS NULL OR job_id = $1) AND ($2::text IS NULL OR pattern_id = $2)
  AND ($3::text IS NULL OR action = $3) AND ($4::text IS NULL OR validation_status = $4)
  AND ($5::bigint IS NULL OR created_at >= $5)
ORDER BY created_at DESC, id DESC LIMIT $6 OFFSET $7`;

/** $1 pattern_ids (text[] or NULL for all) */
const LIST_REMEDY_STATS = `SELECT * FROM remedy_stats WHERE $1::text[] IS NULL OR pattern_id = ANY($1)`;

const LIST_REMEDY_REPEATS = `SELECT * FROM remedy_repeat_stats WHERE $1::text[] IS NULL OR pattern_id = ANY($1)`;

/**
 * $1 pattern_id $2 remedy $3 action $4 params $5 success $6 failure $7 confidence $8 now $9 tries
 * (NULL: not counted by repeat) — counts on the remedy, the pattern and the repeat at once.
 */
const COUNT_OUTCOME = `
WITH pattern AS (
  UPDATE universal_error_patterns
  SET success_count = success_count + $5, failure_count = failure_count + $6,
      confidence = $7, last_used = $8, updated_at = $8
  WHERE id = $1
), repeat AS (
  INSERT INTO remedy_repeat_stats (pattern_id, remedy, tries, success_count, failure_count, updated_at)
  SELECT $1, $2, $9::int, $5, $6, $8 WHERE $9::int IS NOT NULL
  ON CONFLICT (pattern_id, remedy, tries) DO UPDATE SET
    success_count = remedy_repeat_stats.success_count + excluded.success_count,
    failure_count = remedy_repeat_stats.failure_count + excluded.failure_count,
    updated_at = excluded.updated_at
)
INSERT INTO remedy_stats (pattern_id, remedy, action, params, success_count, failure_count, last_used, updated_at)
VALUES ($1, $2, $3, $4::jsonb, $5, $6, $8, $8)
ON CONFLICT (pattern_id, remedy) DO UPDATE SET
  success_count = remedy_stats.success_count + excluded.success_count,
  failure_count = remedy_stats.failure_count + excluded.failure_count,
  last_used = excluded.last_used, updated_at = excluded.updated_at
RETURNING *`;

/** $1 id $2 run_at $3 knobs (NULL keeps them) $4 pattern_id $5 now $6 error */
const REQUEUE_FAILED = `
UPDATE ai_generation_jobs
SET status = 'queued', run_at = $2, knobs = COALESCE($3::jsonb, knobs), finished_at = NULL,
    max_attempts = GREATEST(max_attempts, attempts + 1), healing_pattern_id = $4,
    healing_timestamp = $5, last_error = $6::jsonb, updated_at = $5
WHERE id = $1 AND status IN ('failed', 'queued')
RETURNING *`;

/** $1 id $2 run_at $3 knobs $4 pattern_id $5 now $6 error $7 token */
// The attempt it ends is recorded as revoked, as the monitor's revokeLease does.
const RESTART_JOB = `
WITH updated AS (
  UPDATE ai_generation_jobs j
  SET status = 'queued', run_at = $2, knobs = COALESCE($3::jsonb, j.knobs), lease_token = j.lease_token + 1,
      lease_owner = NULL, lease_expires_at = NULL, max_attempts = GREATEST(j.max_attempts, j.attempts + 1),
      healing_pattern_id = $4, healing_timestamp = $5, last_error = $6::jsonb, updated_at = $5
  FROM ai_generation_jobs old
  WHERE j.id = $1 AND j.status = 'running' AND j.lease_token = $7 AND old.id = j.id
  RETURNING j.*, old.lease_owner AS old_owner, old.attempts + ${uncharged('old')} AS ended_attempt
), history AS (
  INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
  SELECT id, ended_attempt, $7, old_owner, 'revoked', last_error, $5 FROM updated
)
SELECT * FROM updated`;

/** $1 types $2 until $3 now $4 spread — each job wakes at until + a random 0..spread ms. */
const HOLD_QUEUED = `
WITH held AS (
  UPDATE ai_generation_jobs SET run_at = $2 + floor(random() * ($4::bigint + 1))::bigint, updated_at = $3
  WHERE status = 'queued' AND run_at < $2 AND type = ANY($1::text[])
  RETURNING 1
)
SELECT count(*)::int AS held FROM held`;

/** $1 resource $2 now */
const COUNT_RESOURCE_FAILURE = `
INSERT INTO resource_failure_streaks (resource, failures, updated_at) VALUES ($1, 1, $2)
ON CONFLICT (resource) DO UPDATE
SET failures = resource_failure_streaks.failures + 1, updated_at = excluded.updated_at
RETURNING failures`;

/** $1 resource $2 now — no write when there is no streak to reset. */
const RESET_RESOURCE_FAILURES = `
UPDATE resource_failure_streaks SET failures = 0, updated_at = $2
WHERE resource = $1 AND failures > 0`;

/** $1 pattern_id $2 since $3 limit */
const COUNT_FAILED_HEALS = `
SELECT count(*)::int AS failed FROM (
  SELECT 1 FROM ai_improvement_logs
  WHERE pattern_id = $1 AND outcome = 'failure' AND validated_at >= $2 LIMIT $3
) AS recent`;

/** The healer's half of the PostgreSQL store (see {@link HealStore}). @internal */
export class PostgresHeal implements HealStore {
  #query: Query;

  constructor(query: Query) {
    this.#query = query;
  }

  async insertImprovement(improvement: NewImprovement, now: number): Promise<Improvement> {
    const [row] = await this.#query(INSERT_IMPROVEMENT, [
      randomUUID(),
      improvement.jobId,
      improvement.jobType,
      improvement.attempt,
      improvement.patternId,
      improvement.patternNew,
      improvement.action,
      improvement.remedy,
      JSON.stringify(improvement.changesApplied),
      JSON.stringify(improvement.detected),
      JSON.stringify(improvement.beforeMetrics),
      improvement.confidence,
      now,
    ]);
    return rowToImprovement(row as Row, nativeCodec);
  }

  async settleImprovements(settlement: ImprovementSettlement, now: number): Promise<Improvement[]> {
    const status = settlement.outcome === 'success' ? 'validated' : 'failed';
    const rows = await this.#query(SETTLE_IMPROVEMENTS, [
      settlement.jobId,
      status,
      settlement.outcome,
      JSON.stringify(settlement.afterMetrics),
      now,
      settlement.id ?? null,
    ]);
    return rows.map((row) => rowToImprovement(row, nativeCodec));
  }

  async listImprovements(filter: ImprovementFilter = {}): Promise<Improvement[]> {
    const rows = await this.#query(LIST_IMPROVEMENTS, [
      filter.jobId ?? null,
      filter.patternId ?? null,
      filter.action ?? null,
      filter.status ?? null,
      filter.since ?? null,
      filter.limit ?? 100,
      filter.offset ?? 0,
    ]);
    return rows.map((row) => rowToImprovement(row, nativeCodec));
  }

  async listRemedyStats(patternIds?: readonly string[]): Promise<RemedyStat[]> {
    const rows = await this.#query(LIST_REMEDY_STATS, [
      patternIds === undefined ? null : [...patternIds],
    ]);
    return rows.map((row) => rowToRemedyStat(row, nativeCodec));
  }

  async listRemedyRepeats(patternIds?: readonly string[]): Promise<RemedyRepeatStat[]> {
    const rows = await this.#query(LIST_REMEDY_REPEATS, [
      patternIds === undefined ? null : [...patternIds],
    ]);
    return rows.map(rowToRemedyRepeat);
  }

  async recordRemedyOutcome(outcome: RemedyOutcome, now: number): Promise<RemedyStat> {
    const success = outcome.success ? 1 : 0;
    const [row] = await this.#query(COUNT_OUTCOME, [
      outcome.patternId,
      outcome.remedy,
      outcome.action,
      JSON.stringify(outcome.params),
      success,
      1 - success,
      outcome.confidence,
      now,
      outcome.tries ?? null,
    ]);
    return rowToRemedyStat(row as Row, nativeCodec);
  }

  async requeueJob(write: RequeueWrite, now: number): Promise<Job | undefined> {
    const [row] = await this.#query(REQUEUE_FAILED, this.#requeueParams(write, now));
    return row ? rowToJob(row, nativeCodec) : undefined;
  }

  async restartJob(write: RestartWrite, now: number): Promise<Job | undefined> {
    const [row] = await this.#query(RESTART_JOB, [...this.#requeueParams(write, now), write.token]);
    return row ? rowToJob(row, nativeCodec) : undefined;
  }

  async holdQueuedJobs(
    types: readonly string[],
    until: number,
    now: number,
    spreadMs = 0,
  ): Promise<number> {
    if (types.length === 0) return 0;
    const spread = Math.max(0, Math.round(spreadMs));
    const [row] = await this.#query(HOLD_QUEUED, [[...types], until, now, spread]);
    return Number(row?.held ?? 0);
  }

  async countResourceFailure(resource: string, now: number): Promise<number> {
    const [row] = await this.#query(COUNT_RESOURCE_FAILURE, [resource, now]);
    return Number(row!.failures);
  }

  async resetResourceFailures(resource: string, now: number): Promise<void> {
    await this.#query(RESET_RESOURCE_FAILURES, [resource, now]);
  }

  async countFailedHeals(patternId: string, since: number, limit: number): Promise<number> {
    const [row] = await this.#query(COUNT_FAILED_HEALS, [patternId, since, limit]);
    return Number(row?.failed ?? 0);
  }

  #requeueParams(write: RequeueWrite, now: number): unknown[] {
    return [
      write.id,
      write.runAt,
      write.knobs === undefined ? null : JSON.stringify(write.knobs),
      write.patternId,
      now,
      JSON.stringify(write.error),
    ];
  }
}
