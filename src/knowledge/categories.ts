/**
 * What kind of failure an error is. The first nine come from the seed ("orchestrator issues,
 * database connection problems, API failures and rate limits, code generation errors,
 * deployment issues, build failures"); the rest split off classes whose fixes differ.
 *
 * Quota exhaustion is its own category, not a kind of `rate_limit` or `api_failure`: a rate limit
 * clears by itself in seconds, an exhausted quota (billing, monthly cap) never does, so waiting or
 * retrying only burns attempts.
 */
export const CATEGORIES = {
  orchestrator_stuck: 'A job stopped making progress: no heartbeat, stalled, lease lost.',
  orchestrator_failed: 'The orchestrator itself failed a job: shutdown, cancellation, crash.',
  orchestrator_slow: 'A job runs far longer than expected but still progresses.',
  database_connection:
    'Cannot get or keep a database connection: refused, full, dropped, pool timeout.',
  database_query: 'The database rejected a statement: deadlock, serialization, statement timeout.',
  api_failure: 'An upstream API answered with a server error or is overloaded.',
  rate_limit: 'An upstream API throttles us for now; it clears after a wait.',
  quota_exhausted: 'A billing or hard usage quota is used up; waiting does not help.',
  code_generation: 'A model produced unusable output, or the prompt does not fit the model.',
  deployment: 'Shipping failed: image pull, container crash loop, hosting platform errors.',
  build: 'Compiling, bundling or installing dependencies failed.',
  network: 'The network path failed: DNS, refused or reset connections, TLS.',
  timeout: 'An operation gave up waiting.',
  auth: 'Credentials are missing, wrong, expired or lack permission.',
  resource: 'The machine ran out of something: memory, disk, file descriptors, cluster quota.',
  other: 'No known kind.',
} as const;

/** A failure category id; see {@link CATEGORIES}. */
export type Category = keyof typeof CATEGORIES;

/** Every category id, in declaration order. */
export const CATEGORY_IDS = Object.keys(CATEGORIES) as Category[];

/** True when `value` names a category. */
export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && Object.hasOwn(CATEGORIES, value);
}
