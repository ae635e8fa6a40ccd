import type Database from 'better-sqlite3';
import type { JobPruneRule, MaintenanceStore } from '../maintenance-store.js';

const RETRY_JOB = `
UPDATE ai_generation_jobs
SET status = 'queued', run_at = @now, attempts = 0, result = NULL, finished_at = NULL, started_at = NULL,
    lease_owner = NULL, lease_expires_at = NULL, lease_token = lease_token + 1, updated_at = @now
WHERE id = @id AND status IN ('failed', 'cancelled')`;

const SELECTED = `status = @status AND (type = @type OR (@type IS NULL AND type NOT IN (SELECT value FROM json_each(@except))))`;

const PRUNE_BY_AGE = `DELETE FROM ai_generation_jobs WHERE ${SELECTED} AND finished_at < @before`;

const PRUNE_BY_COUNT = `
DELETE FROM ai_generation_jobs WHERE id IN (
  SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY type ORDER BY finished_at DESC, rowid DESC) AS n
    FROM ai_generation_jobs WHERE ${SELECTED}
  ) WHERE n > @keep
)`;

/** Retry and retention in SQLite. @internal */
export class SqliteMaintenance implements MaintenanceStore {
  #stmt: (sql: string) => Database.Statement;
  #wake: () => void;

  constructor(stmt: (sql: string) => Database.Statement, wake: () => void) {
    this.#stmt = stmt;
    this.#wake = wake;
  }

  async retryJob(id: string, now: number): Promise<boolean> {
    const retried = this.#stmt(RETRY_JOB).run({ id, now }).changes === 1;
    if (retried) this.#wake();
    return retried;
  }

  async pruneJobs(rule: JobPruneRule): Promise<number> {
    const params = { status: rule.status, type: rule.type, except: JSON.stringify(rule.except) };
    let deleted = 0;
    if (rule.finishedBefore !== null)
      deleted += this.#stmt(PRUNE_BY_AGE).run({ ...params, before: rule.finishedBefore }).changes;
    if (rule.keepNewest !== null)
      deleted += this.#stmt(PRUNE_BY_COUNT).run({ ...params, keep: rule.keepNewest }).changes;
    return deleted;
  }

  async pruneOccurrences(before: number): Promise<number> {
    return this.#stmt('DELETE FROM error_occurrences WHERE at < ?').run(before).changes;
  }

  async pruneImprovementLogs(before: number): Promise<number> {
    return this.#stmt(
      "DELETE FROM ai_improvement_logs WHERE created_at < ? AND validation_status <> 'pending'",
    ).run(before).changes;
  }
}
