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
import { rowToJob } from '../row-mapping.js';
import { changes, rows, type Row, type SqlDialect, type SqlRunner } from './sql-runner.js';
import type { Revocations } from './revocations.js';

/** $1 id $2 job_id $3 job_type $4 attempt $5 pattern_id $6 pattern_new $7 action $8 remedy $9 changes $10 detected $11 before $12 confidence $13 now */
const INSERT_IMPROVEMENT = `
INSERT INTO ai_improvement_logs (id, job_id, job_type, attempt, pattern_id, pattern_new, action, remedy,
  changes_applied, detected, before_metrics, confidence, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING *`;

/** $1 job_id $2 status $3 outcome $4 after $5 now $6 id (NULL: every pending one of the job) */
const SETTLE_IMPROVEMENTS = `
UPDATE ai_improvement_logs
SET validation_status = $2, outcome = $3, after_metrics = $4, validated_at = $5
WHERE job_id = $1 AND validation_status = 'pending' AND (CAST($6 AS TEXT) IS NULL OR id = $6)
RETURNING *`;

/** $1 pattern_id $2 success $3 failure $4 confidence $5 now */
const COUNT_PATTERN = `
UPDATE universal_error_patterns
SET success_count = success_count + $2, failure_count = failure_count + $3,
    confidence = $4, last_used = $5, updated_at = $5
WHERE id = $1`;

/** $1 pattern_id $2 remedy $3 tries $4 success $5 failure $6 now */
const COUNT_REPEAT = `
INSERT INTO remedy_repeat_stats (pattern_id, remedy, tries, success_count, failure_count, updated_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (pattern_id, remedy, tries) DO UPDATE SET
  success_count = remedy_repeat_stats.success_count + excluded.success_count,
  failure_count = remedy_repeat_stats.failure_count + excluded.failure_count,
  updated_at = excluded.updated_at`;

/** $1 pattern_id $2 remedy $3 action $4 params $5 success $6 failure $7 now */
const COUNT_REMEDY = `
INSERT INTO remedy_stats (pattern_id, remedy, action, params, success_count, failure_count, last_used, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
ON CONFLICT (pattern_id, remedy) DO UPDATE SET
  success_count = remedy_stats.success_count + excluded.success_count,
  failure_count = remedy_stats.failure_count + excluded.failure_count,
  last_used = excluded.last_used, updated_at = excluded.updated_at
RETURNING *`;

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
SELECT count(*) AS failed FROM (
  SELECT 1 FROM ai_improvement_logs
  WHERE pattern_id = $1 AND outcome = 'failure' AND validated_at >= $2 LIMIT $3
) AS recent`;

/** The statements whose text depends on the engine's dialect. */
function dialectQueries(d: SqlDialect) {
  return {
    /** $1 job_id $2 pattern_id $3 action $4 status $5 since $6 limit $7 offset — NULL filters match all. */
    LIST_IMPROVEMENTS: `
SELECT * FROM ai_improvement_logs
WHERE (CAST($1 AS TEXT) IS NULL OR job_id = $1) AND (CAST($2 AS TEXT) IS NULL OR pattern_id = $2)
  AND (CAST($3 AS TEXT) IS NULL OR action = $3) AND (CAST($4 AS TEXT) IS NULL OR validation_status = $4)
  AND (CAST($5 AS BIGINT) IS NULL OR created_at >= $5)
ORDER BY created_at DESC, ${d.tieBreak('id')} DESC LIMIT $6 OFFSET $7`,
    /** $1 pattern ids (see SqlDialect.list) */
    REMEDY_STATS_OF: `SELECT * FROM remedy_stats WHERE pattern_id ${d.inList('$1')}`,
    /** $1 pattern ids (see SqlDialect.list) */
    REMEDY_REPEATS_OF: `SELECT * FROM remedy_repeat_stats WHERE pattern_id ${d.inList('$1')}`,
    /** $1 id $2 run_at $3 knobs (NULL keeps them) $4 pattern_id $5 now $6 error */
    REQUEUE_FAILED: `
UPDATE ai_generation_jobs
SET status = 'queued', run_at = $2, knobs = COALESCE($3, knobs), finished_at = NULL,
    max_attempts = ${d.greatest}(max_attempts, attempts + 1), healing_pattern_id = $4,
    healing_timestamp = $5, last_error = $6, updated_at = $5
WHERE id = $1 AND status IN ('failed', 'queued')
RETURNING *`,
    /** $1 types (see SqlDialect.list) $2 until $3 now $4 spread — each job wakes at until + a random 0..spread ms. */
    HOLD_QUEUED: `
UPDATE ai_generation_jobs SET run_at = $2 + ${d.randomBelow('CAST($4 AS BIGINT) + 1')}, updated_at = $3
WHERE status = 'queued' AND run_at < $2 AND type ${d.inList('$1')}`,
  };
}

/** The healer's tables and job writes, on either engine (see {@link HealStore}). @internal */
export class SqlHeal implements HealStore {
  #sql: SqlRunner;
  #revocations: Revocations;
  #q: ReturnType<typeof dialectQueries>;

  constructor(sql: SqlRunner, revocations: Revocations) {
    this.#sql = sql;
    this.#revocations = revocations;
    this.#q = dialectQueries(sql.dialect);
  }

  async insertImprovement(improvement: NewImprovement, now: number): Promise<Improvement> {
    const [row] = await this.#sql.all(INSERT_IMPROVEMENT, [
      randomUUID(),
      improvement.jobId,
      improvement.jobType,
      improvement.attempt,
      improvement.patternId,
      this.#sql.dialect.bool(improvement.patternNew),
      improvement.action,
      improvement.remedy,
      JSON.stringify(improvement.changesApplied),
      JSON.stringify(improvement.detected),
      JSON.stringify(improvement.beforeMetrics),
      improvement.confidence,
      now,
    ]);
    return this.#improvement(row!);
  }

  async settleImprovements(settlement: ImprovementSettlement, now: number): Promise<Improvement[]> {
    const settled = await this.#sql.all(SETTLE_IMPROVEMENTS, [
      settlement.jobId,
      settlement.outcome === 'success' ? 'validated' : 'failed',
      settlement.outcome,
      JSON.stringify(settlement.afterMetrics),
      now,
      settlement.id ?? null,
    ]);
    return settled.map((row) => this.#improvement(row));
  }

  async listImprovements(filter: ImprovementFilter = {}): Promise<Improvement[]> {
    const listed = await this.#sql.all(this.#q.LIST_IMPROVEMENTS, [
      filter.jobId ?? null,
      filter.patternId ?? null,
      filter.action ?? null,
      filter.status ?? null,
      filter.since ?? null,
      filter.limit ?? 100,
      filter.offset ?? 0,
    ]);
    return listed.map((row) => this.#improvement(row));
  }

  async listRemedyStats(patternIds?: readonly string[]): Promise<RemedyStat[]> {
    const stats = await this.#of('SELECT * FROM remedy_stats', this.#q.REMEDY_STATS_OF, patternIds);
    return stats.map((row) => rowToRemedyStat(row, this.#sql.dialect.codec));
  }

  async listRemedyRepeats(patternIds?: readonly string[]): Promise<RemedyRepeatStat[]> {
    const all = 'SELECT * FROM remedy_repeat_stats';
    return (await this.#of(all, this.#q.REMEDY_REPEATS_OF, patternIds)).map(rowToRemedyRepeat);
  }

  async recordRemedyOutcome(outcome: RemedyOutcome, now: number): Promise<RemedyStat> {
    const success = outcome.success ? 1 : 0;
    const { patternId, remedy } = outcome;
    const row = await this.#sql.transaction(function* () {
      yield* changes(COUNT_PATTERN, [patternId, success, 1 - success, outcome.confidence, now]);
      if (outcome.tries !== undefined)
        yield* changes(COUNT_REPEAT, [patternId, remedy, outcome.tries, success, 1 - success, now]);
      const params = JSON.stringify(outcome.params);
      const counted = [patternId, remedy, outcome.action, params, success, 1 - success, now];
      return (yield* rows(COUNT_REMEDY, counted))[0]!;
    });
    return rowToRemedyStat(row, this.#sql.dialect.codec);
  }

  async requeueJob(write: RequeueWrite, now: number): Promise<Job | undefined> {
    const [row] = await this.#sql.all(this.#q.REQUEUE_FAILED, [
      write.id,
      write.runAt,
      write.knobs === undefined ? null : JSON.stringify(write.knobs),
      write.patternId,
      now,
      JSON.stringify(write.error),
    ]);
    return row ? rowToJob(row, this.#sql.dialect.codec) : undefined;
  }

  restartJob(write: RestartWrite, now: number): Promise<Job | undefined> {
    return this.#revocations.restartJob(write, now);
  }

  async holdQueuedJobs(
    types: readonly string[],
    until: number,
    now: number,
    spreadMs = 0,
  ): Promise<number> {
    if (types.length === 0) return 0;
    const spread = Math.max(0, Math.round(spreadMs));
    const list = this.#sql.dialect.list(types);
    return this.#sql.run(this.#q.HOLD_QUEUED, [list, until, now, spread]);
  }

  async countResourceFailure(resource: string, now: number): Promise<number> {
    const [row] = await this.#sql.all(COUNT_RESOURCE_FAILURE, [resource, now]);
    return Number(row!.failures);
  }

  async resetResourceFailures(resource: string, now: number): Promise<void> {
    await this.#sql.run(RESET_RESOURCE_FAILURES, [resource, now]);
  }

  async countFailedHeals(patternId: string, since: number, limit: number): Promise<number> {
    const [row] = await this.#sql.all(COUNT_FAILED_HEALS, [patternId, since, limit]);
    return Number(row?.failed ?? 0);
  }

  /** Every row of `all`, or those of the given patterns through `of`. */
  #of(all: string, of: string, patternIds: readonly string[] | undefined): Promise<Row[]> {
    if (patternIds === undefined) return this.#sql.all(all);
    return this.#sql.all(of, [this.#sql.dialect.list(patternIds)]);
  }

  #improvement(row: Row): Improvement {
    return rowToImprovement(row, this.#sql.dialect.codec);
  }
}
