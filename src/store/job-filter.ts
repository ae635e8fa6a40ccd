import { invalidArgument } from '../core/errors.js';
import { JOB_STATUSES } from '../core/types.js';
import type { JobFilter } from './job-store.js';

/** Most rows one `listJobs` call returns. */
export const MAX_LIST_LIMIT = 10_000;

const FILTER_KEYS = new Set(['status', 'type', 'limit', 'offset']);

/**
 * Refuses a filter either engine would read differently (SQLite takes `LIMIT -1` as "all rows",
 * PostgreSQL refuses it), so both give the same clear error. Returns limit and offset filled in.
 */
export function checkJobFilter(
  filter: JobFilter = {},
): Required<Pick<JobFilter, 'limit' | 'offset'>> & JobFilter {
  if (typeof filter !== 'object' || filter === null)
    throw invalidArgument('a job filter must be an object');
  for (const key of Object.keys(filter)) {
    if (!FILTER_KEYS.has(key))
      throw invalidArgument(`unknown job filter "${key}" (known: ${[...FILTER_KEYS].join(', ')})`);
  }
  const { status, type, limit = 100, offset = 0 } = filter;
  if (status !== undefined && !(JOB_STATUSES as readonly string[]).includes(status)) {
    throw invalidArgument(
      `status must be one of ${JOB_STATUSES.join(', ')}, got ${JSON.stringify(status)}`,
    );
  }
  if (type !== undefined && typeof type !== 'string')
    throw invalidArgument('type must be a string');
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw invalidArgument(
      `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${String(limit)}`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw invalidArgument(`offset must be a whole number >= 0, got ${String(offset)}`);
  return { ...filter, limit, offset };
}
