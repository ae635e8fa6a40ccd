import type Database from 'better-sqlite3';
import type { JobTypeDescription } from '../../core/job-type.js';
import type { JobTypeStore } from '../job-type-store.js';

/** Job type descriptions in SQLite. @internal */
export class SqliteJobTypes implements JobTypeStore {
  #db: Database.Database;
  #stmt: (sql: string) => Database.Statement;

  constructor(db: Database.Database, stmt: (sql: string) => Database.Statement) {
    this.#db = db;
    this.#stmt = stmt;
  }

  async describeJobTypes(types: readonly JobTypeDescription[], now: number): Promise<void> {
    const upsert = this.#stmt(
      `INSERT INTO megamind_job_types (type, description, described_at) VALUES (?, ?, ?)
       ON CONFLICT (type) DO UPDATE SET description = excluded.description, described_at = excluded.described_at`,
    );
    this.#db.transaction(() => {
      for (const type of types)
        upsert.run(type.type, JSON.stringify({ ...type, describedAt: now }), now);
    })();
  }

  async listJobTypes(): Promise<JobTypeDescription[]> {
    const rows = this.#stmt('SELECT description FROM megamind_job_types ORDER BY type').all() as {
      description: string;
    }[];
    return rows.map((row) => JSON.parse(row.description) as JobTypeDescription);
  }
}
