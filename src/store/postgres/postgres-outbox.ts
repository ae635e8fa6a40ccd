import type { Job } from '../../core/types.js';
import type { NewJob } from '../job-store.js';
import { nativeCodec, rowToJob } from '../row-mapping.js';

/**
 * A connection the application owns — a `pg` Client, PoolClient or Pool — inside whose
 * transaction jobs are inserted: they exist if and only if that transaction commits.
 */
export interface SqlExecutor {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** True for anything with a `query` method, i.e. a `pg` Client, PoolClient or Pool. */
export function isSqlExecutor(value: unknown): value is SqlExecutor {
  return typeof (value as { query?: unknown } | null)?.query === 'function';
}

/**
 * Inserts jobs through the application's connection by calling the schema's `megamind_add_job`,
 * the same function other languages and triggers call. The connection's search_path is not
 * touched: the function is schema-qualified and carries its own.
 */
export async function insertJobsWithin(
  db: SqlExecutor,
  schema: string,
  jobs: readonly NewJob[],
  now: number,
): Promise<Job[]> {
  const inserted: Job[] = [];
  for (const job of jobs) {
    const { rows } = await db.query(
      `SELECT to_jsonb("${schema}".megamind_add_job($1, $2::jsonb, $3, $4, $5, $6, $7::jsonb, $8, $9)) AS job`,
      [
        job.type,
        JSON.stringify(job.payload),
        job.runAt,
        job.priority,
        job.maxAttempts,
        job.idempotencyKey,
        JSON.stringify(job.knobs),
        job.idempotencyExpiresAt == null ? null : job.idempotencyExpiresAt - now,
        now,
      ],
    );
    inserted.push(rowToJob((rows[0] as { job: Record<string, unknown> }).job, nativeCodec));
  }
  return inserted;
}
