import { defineRules } from './rule.js';

/** Prisma Client engine errors (codes from the Prisma error reference). */
export const PRISMA_RULES = defineRules([
  {
    id: 'prisma.cannot_reach_database',
    when: [{ codes: ['P1001'] }, { message: /Can't reach database server at/i }],
    category: 'database_connection',
    transient: true,
    rootCause:
      'Prisma could not open a connection to the database host and port: the server is down, asleep (serverless) or unreachable.',
    remedies: ['retry_with_backoff', 'reconnect', 'open_circuit_breaker', 'escalate'],
    prevention:
      'Check DATABASE_URL at start-up; for sleeping serverless databases add connect_timeout and a warm-up query.',
  },
  {
    id: 'prisma.database_timeout',
    when: [{ codes: ['P1002'] }, { message: /was reached but timed out/i }],
    category: 'database_connection',
    transient: true,
    rootCause: 'The database server was reached but did not complete the connection in time.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention:
      'Raise connect_timeout for remote databases and avoid connection storms at start-up.',
  },
  {
    id: 'prisma.auth_failed',
    when: [{ codes: ['P1000'] }, { message: /Authentication failed against database server/i }],
    category: 'auth',
    transient: false,
    rootCause: 'The credentials in DATABASE_URL are not valid for the database server.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'URL-encode special characters in the password and keep one source for DATABASE_URL.',
  },
  {
    id: 'prisma.server_closed_connection',
    when: [{ codes: ['P1017'] }, { message: /Server has closed the connection/i }],
    category: 'database_connection',
    transient: true,
    rootCause: 'The database (or a pooler in front of it) closed the connection Prisma was using.',
    remedies: ['reconnect', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'With PgBouncer/Supavisor in transaction mode add ?pgbouncer=true; keep pool idle timeouts below the proxy timeout.',
  },
  {
    id: 'prisma.pool_timeout',
    when: [
      { codes: ['P2024'] },
      { message: /Timed out fetching a new connection from the connection pool/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'Every connection in the Prisma pool (connection_limit) stayed busy longer than pool_timeout.',
    remedies: [
      'reduce_concurrency',
      'increase_timeout',
      'reset_connection_pool',
      'retry_with_backoff',
    ],
    prevention:
      'Raise connection_limit within the server budget, keep concurrency at or below it, and avoid long interactive transactions.',
  },
  {
    id: 'prisma.transaction_expired',
    when: {
      message:
        /(?:Transaction API error: (?:Transaction already closed: )?)?A (?:query|commit|rollback) cannot be executed on an expired transaction|Transaction is no longer valid\. Last state: 'Expired'/i,
    },
    category: 'timeout',
    transient: false,
    rootCause:
      'An interactive transaction ran past its timeout (5 s by default) and Prisma closed it.',
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention: 'Keep slow work out of interactive transactions, or raise their timeout option.',
  },
]);
