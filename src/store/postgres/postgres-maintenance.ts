import type { JobPruneRule, MaintenanceStore } from '../maintenance-store.js';
import { isJobId } from './job-ids.js';

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const RETRY_JOB = `
WITH retried AS (
  UPDATE ai_generation_jobs
  SET status = 'queued', run_at = $2, attempts = 0, result = NULL, finished_at = NULL, started_at = NULL,
      lease_owner = NULL, lease_expires_at = NULL, lease_token = lease_token + 1, updated_at = $2
  WHERE id = $1 AND status IN ('failed', 'cancelled')
  RETURNING type
)
SELECT type, pg_notify($3, type) FROM retried`;

// $1 status, $2 type (null: all but $3), $3 except text[]
const SELECTED = `status = $1 AND (type = $2 OR ($2 IS NULL AND NOT (type = ANY($3::text[]))))`;

/** $4 before */
const PRUNE_BY_AGE = `WITH gone AS (DELETE FROM ai_generation_jobs WHERE ${SELECTED} AND finished_at < $4 RETURNING 1) SELECT count(*) AS n FROM gone`;

/** $4 keep */
const PRUNE_BY_COUNT = `
WITH ranked AS (
  SELECT id, row_number() OVER (PARTITION BY type ORDER BY finished_at DESC, id DESC) AS n FROM ai_generation_jobs WHERE ${SELECTED}
), gone AS (
  DELETE FROM ai_generation_jobs j USING ranked WHERE j.id = ranked.id AND ranked.n > $4 RETURNING 1
)
SELECT count(*) AS n FROM gone`;

/** Retry and retention in PostgreSQL. @internal */
export class PostgresMaintenance implements MaintenanceStore {
  #query: Query;
  #channel: string;

  constructor(query: Query, channel: string) {
    this.#query = query;
    this.#channel = channel;
  }

  async retryJob(id: string, now: number): Promise<boolean> {
    if (!isJobId(id)) return false;
    return (await this.#query(RETRY_JOB, [id, now, this.#channel])).length === 1;
  }

  async pruneJobs(rule: JobPruneRule): Promise<number> {
    const params = [rule.status, rule.type, rule.except];
    let deleted = 0;
    if (rule.finishedBefore !== null)
      deleted += count(await this.#query(PRUNE_BY_AGE, [...params, rule.finishedBefore]));
    if (rule.keepNewest !== null)
      deleted += count(await this.#query(PRUNE_BY_COUNT, [...params, rule.keepNewest]));
    return deleted;
  }

  async pruneOccurrences(before: number): Promise<number> {
    return count(
      await this.#query(
        'WITH gone AS (DELETE FROM error_occurrences WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM gone',
        [before],
      ),
    );
  }

  async pruneImprovementLogs(before: number): Promise<number> {
    return count(
      await this.#query(
        "WITH gone AS (DELETE FROM ai_improvement_logs WHERE created_at < $1 AND validation_status <> 'pending' RETURNING 1) SELECT count(*) AS n FROM gone",
        [before],
      ),
    );
  }
}

const count = (rows: Record<string, unknown>[]): number => Number(rows[0]?.n ?? 0);
