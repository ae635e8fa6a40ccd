import type { MaintenanceStore } from '../maintenance-store.js';

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

/** Retry and retention in PostgreSQL. @internal */
export class PostgresMaintenance implements MaintenanceStore {
  #query: Query;
  #channel: string;

  constructor(query: Query, channel: string) {
    this.#query = query;
    this.#channel = channel;
  }

  async retryJob(id: string, now: number): Promise<boolean> {
    if (!UUID.test(id)) return false;
    return (await this.#query(RETRY_JOB, [id, now, this.#channel])).length === 1;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
