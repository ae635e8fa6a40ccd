import type { JobFilter } from '../job-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Job ids are uuid columns in PostgreSQL: anything else can name no job, and is answered as
 * "not found" here rather than as a cast error from the server. @internal
 */
export function isJobId(id: string): boolean {
  return UUID.test(id);
}

/** The WHERE clause and positional parameters of a job filter's status and type. @internal */
export function jobFilterWhere(filter: Omit<JobFilter, 'limit' | 'offset'>): {
  where: string;
  params: unknown[];
} {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    params.push(filter.status);
    conditions.push(`status = $${params.length}`);
  }
  if (filter.type) {
    params.push(filter.type);
    conditions.push(`type = $${params.length}`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
