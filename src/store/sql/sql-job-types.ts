import type { JobTypeDescription } from '../../core/job-type.js';
import type { JobTypeStore } from '../job-type-store.js';
import { changes, type SqlRunner } from './sql-runner.js';

/** $1 type $2 description (JSON) $3 now */
const DESCRIBE_JOB_TYPE = `
INSERT INTO megamind_job_types (type, description, described_at) VALUES ($1, $2, $3)
ON CONFLICT (type) DO UPDATE SET description = excluded.description, described_at = excluded.described_at`;

/** Job type descriptions, on either engine (see {@link JobTypeStore}). @internal */
export class SqlJobTypes implements JobTypeStore {
  #sql: SqlRunner;

  constructor(sql: SqlRunner) {
    this.#sql = sql;
  }

  async describeJobTypes(types: readonly JobTypeDescription[], now: number): Promise<void> {
    const described = types.map((type) => [
      type.type,
      JSON.stringify({ ...type, describedAt: now }),
      now,
    ]);
    if (described.length > 0)
      await this.#sql.transaction(function* () {
        for (const params of described) yield* changes(DESCRIBE_JOB_TYPE, params);
      });
  }

  async listJobTypes(): Promise<JobTypeDescription[]> {
    const described = await this.#sql.all(
      'SELECT description FROM megamind_job_types ORDER BY type',
    );
    return described.map(
      (row) => this.#sql.dialect.codec.json(row.description) as unknown as JobTypeDescription,
    );
  }
}
