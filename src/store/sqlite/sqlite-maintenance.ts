import type Database from 'better-sqlite3';
import type { MaintenanceStore } from '../maintenance-store.js';

const RETRY_JOB = `
UPDATE ai_generation_jobs
SET status = 'queued', run_at = @now, attempts = 0, result = NULL, finished_at = NULL, started_at = NULL,
    lease_owner = NULL, lease_expires_at = NULL, lease_token = lease_token + 1, updated_at = @now
WHERE id = @id AND status IN ('failed', 'cancelled')`;

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
}
