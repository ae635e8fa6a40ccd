import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
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
import { rowToJob, textCodec } from '../row-mapping.js';
import { recordAttemptEnd } from './sqlite-lease-writes.js';

type Row = Record<string, unknown>;

/** @id @jobId @jobType @attempt @patternId @patternNew @action @remedy @changes @detected @before @confidence @now */
const INSERT_IMPROVEMENT = `
INSERT INTO ai_improvement_logs (id, job_id, job_type, attempt, pattern_id, pattern_new, action, remedy,
  changes_applied, detected, before_metrics, confidence, created_at)
VALUES (@id, @jobId, @jobType, @attempt, @patternId, @patternNew, @action, @remedy,
  @changes, @detected, @before, @confidence, @now)
RETURNING *`;

/** @jobId @status @outcome @after @now */
const SETTLE_IMPROVEMENTS = `
UPDATE ai_improvement_logs
SET validation_status = @status, outcome = @outcome, after_metrics = @after, validated_at = @now
WHERE job_id = @jobId AND validation_status = 'pending' AND (@id IS NULL OR id = @id)
RETURNING *`;

/** @jobId @patternId @action @status @since @limit @offset — NULL filters match all. */
const LIST_IMPROVEMENTS = `
SELECT * FROM ai_improvement_logs
WHERE (@jobId IS NULL OR job_id = @jobId) AND (@patternId IS NULL OR pattern_id = @patternId)
  AND (@action IS NULL OR action = @action) AND (@status IS NULL OR validation_status = @status)
  AND (@since IS NULL OR created_at >= @since)
ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`;

/** @patternId @remedy @action @params @success @failure @now */
const COUNT_REMEDY = `
INSERT INTO remedy_stats (pattern_id, remedy, action, params, success_count, failure_count, last_used, updated_at)
VALUES (@patternId, @remedy, @action, @params, @success, @failure, @now, @now)
ON CONFLICT (pattern_id, remedy) DO UPDATE SET
  success_count = success_count + excluded.success_count,
  failure_count = failure_count + excluded.failure_count,
  last_used = excluded.last_used, updated_at = excluded.updated_at
RETURNING *`;

/** @patternId @remedy @tries @success @failure @now */
const COUNT_REPEAT = `
INSERT INTO remedy_repeat_stats (pattern_id, remedy, tries, success_count, failure_count, updated_at)
VALUES (@patternId, @remedy, @tries, @success, @failure, @now)
ON CONFLICT (pattern_id, remedy, tries) DO UPDATE SET
  success_count = success_count + excluded.success_count,
  failure_count = failure_count + excluded.failure_count, updated_at = excluded.updated_at`;

/** @id @success @failure @confidence @now */
const COUNT_PATTERN = `
UPDATE universal_error_patterns
SET success_count = success_count + @success, failure_count = failure_count + @failure,
    confidence = @confidence, last_used = @now, updated_at = @now
WHERE id = @id`;

/** @id @runAt @knobs @patternId @error @now — knobs NULL keeps them. */
const REQUEUE_FAILED = `
UPDATE ai_generation_jobs
SET status = 'queued', run_at = @runAt, knobs = COALESCE(@knobs, knobs), finished_at = NULL,
    max_attempts = MAX(max_attempts, attempts + 1), healing_pattern_id = @patternId,
    healing_timestamp = @now, last_error = @error, updated_at = @now
WHERE id = @id AND status IN ('failed', 'queued')
RETURNING *`;

/** @id @token @runAt @knobs @patternId @error @now */
const RESTART_JOB = `
UPDATE ai_generation_jobs
SET status = 'queued', run_at = @runAt, knobs = COALESCE(@knobs, knobs), lease_token = lease_token + 1,
    lease_owner = NULL, lease_expires_at = NULL, max_attempts = MAX(max_attempts, attempts + 1),
    healing_pattern_id = @patternId, healing_timestamp = @now, last_error = @error, updated_at = @now
WHERE id = @id AND status = 'running' AND lease_token = @token
RETURNING *`;

/** @types (JSON array) @until @now @spread — each job wakes at until + a random 0..spread ms. */
const HOLD_QUEUED = `
UPDATE ai_generation_jobs SET run_at = @until + (random() & 2147483647) % (@spread + 1), updated_at = @now
WHERE status = 'queued' AND run_at < @until AND type IN (SELECT value FROM json_each(@types))`;

/** @resource @now */
const COUNT_RESOURCE_FAILURE = `
INSERT INTO resource_failure_streaks (resource, failures, updated_at) VALUES (@resource, 1, @now)
ON CONFLICT (resource) DO UPDATE SET failures = failures + 1, updated_at = excluded.updated_at
RETURNING failures`;

/** @resource @now — no write when there is no streak to reset. */
const RESET_RESOURCE_FAILURES = `
UPDATE resource_failure_streaks SET failures = 0, updated_at = @now
WHERE resource = @resource AND failures > 0`;

/** @patternId @since @limit */
const COUNT_FAILED_HEALS = `
SELECT count(*) AS failed FROM (
  SELECT 1 FROM ai_improvement_logs
  WHERE pattern_id = @patternId AND outcome = 'failure' AND validated_at >= @since LIMIT @limit
)`;

/** The healer's half of the SQLite store (see {@link HealStore}). @internal */
export class SqliteHeal implements HealStore {
  #db: Database.Database;
  #stmt: (sql: string) => Database.Statement;

  constructor(db: Database.Database, stmt: (sql: string) => Database.Statement) {
    this.#db = db;
    this.#stmt = stmt;
  }

  async insertImprovement(improvement: NewImprovement, now: number): Promise<Improvement> {
    const row = this.#stmt(INSERT_IMPROVEMENT).get({
      id: randomUUID(),
      jobId: improvement.jobId,
      jobType: improvement.jobType,
      attempt: improvement.attempt,
      patternId: improvement.patternId,
      patternNew: improvement.patternNew ? 1 : 0,
      action: improvement.action,
      remedy: improvement.remedy,
      changes: JSON.stringify(improvement.changesApplied),
      detected: JSON.stringify(improvement.detected),
      before: JSON.stringify(improvement.beforeMetrics),
      confidence: improvement.confidence,
      now,
    }) as Row;
    return rowToImprovement(row, textCodec);
  }

  async settleImprovements(settlement: ImprovementSettlement, now: number): Promise<Improvement[]> {
    const rows = this.#stmt(SETTLE_IMPROVEMENTS).all({
      jobId: settlement.jobId,
      id: settlement.id ?? null,
      status: settlement.outcome === 'success' ? 'validated' : 'failed',
      outcome: settlement.outcome,
      after: JSON.stringify(settlement.afterMetrics),
      now,
    }) as Row[];
    return rows.map((row) => rowToImprovement(row, textCodec));
  }

  async listImprovements(filter: ImprovementFilter = {}): Promise<Improvement[]> {
    const rows = this.#stmt(LIST_IMPROVEMENTS).all({
      jobId: filter.jobId ?? null,
      patternId: filter.patternId ?? null,
      action: filter.action ?? null,
      status: filter.status ?? null,
      since: filter.since ?? null,
      limit: filter.limit ?? 100,
      offset: filter.offset ?? 0,
    }) as Row[];
    return rows.map((row) => rowToImprovement(row, textCodec));
  }

  async listRemedyStats(patternIds?: readonly string[]): Promise<RemedyStat[]> {
    const rows =
      patternIds === undefined
        ? (this.#stmt('SELECT * FROM remedy_stats').all() as Row[])
        : (this.#stmt(
            'SELECT * FROM remedy_stats WHERE pattern_id IN (SELECT value FROM json_each(@ids))',
          ).all({
            ids: JSON.stringify(patternIds),
          }) as Row[]);
    return rows.map((row) => rowToRemedyStat(row, textCodec));
  }

  async listRemedyRepeats(patternIds?: readonly string[]): Promise<RemedyRepeatStat[]> {
    const rows =
      patternIds === undefined
        ? (this.#stmt('SELECT * FROM remedy_repeat_stats').all() as Row[])
        : (this.#stmt(
            'SELECT * FROM remedy_repeat_stats WHERE pattern_id IN (SELECT value FROM json_each(@ids))',
          ).all({ ids: JSON.stringify(patternIds) }) as Row[]);
    return rows.map(rowToRemedyRepeat);
  }

  async recordRemedyOutcome(outcome: RemedyOutcome, now: number): Promise<RemedyStat> {
    const success = outcome.success ? 1 : 0;
    const row = this.#db
      .transaction((): Row => {
        this.#stmt(COUNT_PATTERN).run({
          id: outcome.patternId,
          success,
          failure: 1 - success,
          confidence: outcome.confidence,
          now,
        });
        if (outcome.tries !== undefined)
          this.#stmt(COUNT_REPEAT).run({
            patternId: outcome.patternId,
            remedy: outcome.remedy,
            tries: outcome.tries,
            success,
            failure: 1 - success,
            now,
          });
        return this.#stmt(COUNT_REMEDY).get({
          patternId: outcome.patternId,
          remedy: outcome.remedy,
          action: outcome.action,
          params: JSON.stringify(outcome.params),
          success,
          failure: 1 - success,
          now,
        }) as Row;
      })
      .immediate();
    return rowToRemedyStat(row, textCodec);
  }

  async requeueJob(write: RequeueWrite, now: number): Promise<Job | undefined> {
    const row = this.#stmt(REQUEUE_FAILED).get({ ...this.#requeueParams(write), now }) as
      Row | undefined;
    return row ? rowToJob(row, textCodec) : undefined;
  }

  // The attempt it ends is recorded as revoked, as the monitor's revokeLease does, so the job's
  // history shows why that attempt stopped.
  async restartJob(write: RestartWrite, now: number): Promise<Job | undefined> {
    const params = { ...this.#requeueParams(write), token: write.token, now };
    const row = this.#db
      .transaction(() => {
        if (!recordAttemptEnd(this.#stmt, write, 'revoked', params.error, now)) return undefined;
        return this.#stmt(RESTART_JOB).get(params) as Row | undefined;
      })
      .immediate();
    return row ? rowToJob(row, textCodec) : undefined;
  }

  async holdQueuedJobs(
    types: readonly string[],
    until: number,
    now: number,
    spreadMs = 0,
  ): Promise<number> {
    if (types.length === 0) return 0;
    const spread = Math.max(0, Math.round(spreadMs));
    return this.#stmt(HOLD_QUEUED).run({ types: JSON.stringify(types), until, now, spread })
      .changes;
  }

  async countResourceFailure(resource: string, now: number): Promise<number> {
    const row = this.#stmt(COUNT_RESOURCE_FAILURE).get({ resource, now }) as { failures: number };
    return Number(row.failures);
  }

  async resetResourceFailures(resource: string, now: number): Promise<void> {
    this.#stmt(RESET_RESOURCE_FAILURES).run({ resource, now });
  }

  async countFailedHeals(patternId: string, since: number, limit: number): Promise<number> {
    const row = this.#stmt(COUNT_FAILED_HEALS).get({ patternId, since, limit }) as {
      failed: number;
    };
    return Number(row.failed);
  }

  #requeueParams(write: RequeueWrite): Record<string, unknown> & { error: string } {
    return {
      id: write.id,
      runAt: write.runAt,
      knobs: write.knobs === undefined ? null : JSON.stringify(write.knobs),
      patternId: write.patternId,
      error: JSON.stringify(write.error),
    };
  }
}
