import type { JobTypeDescription } from '../../core/job-type.js';
import type { JobTypeStore } from '../job-type-store.js';

type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Job type descriptions in PostgreSQL. @internal */
export class PostgresJobTypes implements JobTypeStore {
  #query: Query;

  constructor(query: Query) {
    this.#query = query;
  }

  async describeJobTypes(types: readonly JobTypeDescription[], now: number): Promise<void> {
    if (types.length === 0) return;
    await this.#query(
      `INSERT INTO megamind_job_types (type, description, described_at)
       SELECT d->>'type', d, $2 FROM jsonb_array_elements($1::jsonb) AS d
       ON CONFLICT (type) DO UPDATE SET description = excluded.description, described_at = excluded.described_at`,
      [JSON.stringify(types.map((type) => ({ ...type, describedAt: now }))), now],
    );
  }

  async listJobTypes(): Promise<JobTypeDescription[]> {
    const rows = await this.#query('SELECT description FROM megamind_job_types ORDER BY type');
    return rows.map(
      (row) =>
        (typeof row.description === 'string'
          ? JSON.parse(row.description)
          : row.description) as JobTypeDescription,
    );
  }
}
