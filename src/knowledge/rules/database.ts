import { defineRules } from './rule.js';

const POOL_PREVENTION =
  'Size pools so that pool size × processes stays below the server limit, and put a pooler (PgBouncer, Supavisor) in front of serverless or many-process deployments.';

/** PostgreSQL (server and its clients), Supabase pooler, SQLite and client-side pool errors. */
export const DATABASE_RULES = defineRules([
  {
    id: 'postgres.too_many_clients',
    when: [
      { sqlstates: ['53300'], message: /too many clients already/i },
      { message: /\btoo many clients already|too many connections for role\b/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'PostgreSQL has reached max_connections: every connection slot is in use by some client.',
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff', 'escalate'],
    prevention: POOL_PREVENTION,
  },
  {
    id: 'postgres.reserved_slots',
    when: [
      { sqlstates: ['53300'], message: /remaining connection slots are reserved/i },
      { message: /remaining connection slots are reserved for/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'Only the slots reserved for superusers (superuser_reserved_connections) remain, so the server is effectively full for ordinary roles; often idle or leaked connections hold the rest.',
    // Fewer connections at once fixed 7 of 7 in the collections.
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff', 'escalate'],
    prevention:
      'Close idle connections (idleTimeoutMillis, idle_in_transaction_session_timeout), release clients in finally blocks, and keep pool totals well under max_connections minus the reserved slots.',
  },
  {
    id: 'postgres.admin_shutdown',
    when: [
      { sqlstates: ['57P01'] },
      { message: /terminating connection due to administrator command/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'The server ended this session: a restart, a failover, or pg_terminate_backend() by an administrator or a pooler.',
    remedies: ['reconnect', 'retry_with_backoff', 'resume_from_checkpoint'],
    prevention:
      'Handle pool "error" events and retry idempotent work on a fresh connection; keep transactions short so a restart loses little.',
  },
  {
    id: 'postgres.cannot_connect_now',
    when: [
      { sqlstates: ['57P03'] },
      {
        message:
          /the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections)/i,
      },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'The server is starting, shutting down or recovering and does not accept connections yet.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention:
      'Wait for readiness (pg_isready) before starting workers, and back off on connection errors instead of failing jobs.',
  },
  {
    id: 'postgres.connection_terminated',
    // node-postgres answers every later query on a client whose socket died with "not queryable";
    // libpq (psycopg2, Ruby pg, Go's lib/pq) words the same dropped socket its own way.
    when: {
      message:
        /Connection terminated unexpectedly|Client has encountered a connection error and is not queryable|server closed the connection unexpectedly|SSL SYSCALL error: (?:EOF detected|Bad file descriptor)|SSL connection has been closed unexpectedly|SSL error: (?:sslv3 alert bad record mac|decryption failed or bad record mac)/i,
    },
    category: 'database_connection',
    transient: true,
    rootCause:
      'The socket to PostgreSQL closed under an idle or active client: a server restart, a pooler or load balancer idle timeout, or a network drop.',
    remedies: ['reconnect', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Set the pool idle timeout below the proxy/load balancer idle timeout, enable TCP keepalive, and listen for pool "error" events.',
  },
  {
    id: 'postgres.pool_connect_timeout',
    when: {
      message:
        /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i,
    },
    category: 'database_connection',
    transient: true,
    rootCause:
      'No pooled client became free (or no new connection opened) within connectionTimeoutMillis: the pool is exhausted or the server is slow to accept.',
    remedies: [
      'reduce_concurrency',
      'increase_timeout',
      'reset_connection_pool',
      'retry_with_backoff',
    ],
    prevention:
      'Release clients promptly, keep concurrency at or below the pool size, and watch pool waitingCount.',
  },
  {
    id: 'postgres.auth_failed',
    when: [{ sqlstates: ['28P01'] }, { message: /password authentication failed for user/i }],
    category: 'auth',
    transient: false,
    rootCause: 'The database rejected the user or password in the connection settings.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Load database credentials from one secret source and rotate them with an overlap period.',
  },
  {
    id: 'postgres.no_hba_entry',
    when: [
      { sqlstates: ['28000'], message: /pg_hba\.conf/i },
      { message: /no pg_hba\.conf entry for host/i },
    ],
    category: 'database_connection',
    transient: false,
    rootCause:
      'pg_hba.conf has no line allowing this host, user, database and SSL mode; often SSL is required but not used.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Connect with the SSL mode the server requires (sslmode=require) and allow the worker subnets in pg_hba.conf.',
  },
  {
    id: 'postgres.database_missing',
    when: [{ sqlstates: ['3D000'] }, { message: /database "[^"]*" does not exist/i }],
    category: 'database_connection',
    transient: false,
    rootCause: 'The connection string names a database that does not exist on this server.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Create databases in provisioning and check DATABASE_URL at start-up.',
  },
  {
    id: 'postgres.deadlock',
    when: [
      { sqlstates: ['40P01'] },
      // The DETAIL line alone, as a server log prints it apart from the ERROR line.
      {
        message: /deadlock detected|Process \d+ waits for \w+Lock on transaction \d+; blocked by/i,
      },
    ],
    category: 'database_query',
    transient: true,
    rootCause:
      'Two transactions locked the same rows in opposite orders and PostgreSQL aborted one of them.',
    remedies: ['retry_with_backoff', 'reduce_concurrency', 'reduce_batch_size'],
    prevention:
      'Lock rows in a consistent order (e.g. ORDER BY id ... FOR UPDATE) and keep transactions small.',
  },
  {
    id: 'postgres.serialization_failure',
    when: [
      { sqlstates: ['40001'] },
      { message: /could not serialize access due to|\bSERIALIZATION_FAILURE\b/i },
    ],
    category: 'database_query',
    transient: true,
    rootCause:
      'A serializable or repeatable-read transaction conflicted with a concurrent one; PostgreSQL expects the client to retry it.',
    remedies: ['retry', 'retry_with_backoff', 'reduce_concurrency'],
    prevention: 'Wrap serializable transactions in a retry loop and keep them short.',
  },
  {
    id: 'postgres.statement_timeout',
    when: [{ sqlstates: ['57014'] }, { message: /canceling statement due to statement timeout/i }],
    category: 'database_query',
    // A statement that outgrew its limit outgrows it again; a lock wait (postgres.lock_timeout) passes.
    transient: false,
    rootCause: 'A statement ran longer than statement_timeout and was cancelled.',
    remedies: ['reduce_batch_size', 'increase_timeout', 'retry_with_backoff'],
    prevention:
      'Index the filtered columns, process data in smaller batches, and avoid long-held locks.',
  },
  {
    id: 'postgres.undefined_table',
    when: [
      { sqlstates: ['42P01'] },
      // SQLite's and Prisma's wording of the same missing table.
      {
        message:
          /relation "[^"]*" (?:does )?not exist|no such table: [\w.]+|The table `[^`]+` does not exist in the current database/i,
      },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      'The query names a table that does not exist: a migration was not applied or the search_path/schema is wrong.',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Run migrations before deploying code that uses them, and check the schema at start-up.',
  },
  {
    id: 'postgres.connection_refused',
    when: [
      { codes: ['ECONNREFUSED'], resources: ['postgres'] },
      // libpq (psql, psycopg, Ruby pg, pgAdmin) and pgJDBC word it themselves.
      {
        message:
          /Is the server running (?:on (?:that )?host|locally)|accepting\s+TCP\/IP connections|postmaster is accepting TCP\/IP|could not connect to server: Connection refused/i,
      },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'Nothing accepts connections at the PostgreSQL address: the server is down, restarting, or the host/port is wrong.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker', 'escalate'],
    prevention:
      'Check DATABASE_URL at start-up and wait for database readiness before starting workers.',
  },
  {
    id: 'supabase.max_clients',
    when: {
      message:
        /Max client connections reached|max clients reached in session mode|EMAXCONNSESSION/i,
    },
    category: 'database_connection',
    transient: true,
    rootCause:
      'The Supabase pooler (Supavisor) refused the client: its pool_size of client connections is used up, typically in session mode on port 5432.',
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Use transaction mode (port 6543) for serverless and many-process workloads, and give each process a pool of 1–2.',
  },
  {
    id: 'supabase.tenant_not_found',
    when: { message: /Tenant or user not found/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The pooler does not know this user: the pooler user must be postgres.<project-ref>, or the project is paused or in another region.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Copy the pooler connection string from the Supabase dashboard rather than building it by hand.',
  },
  {
    id: 'postgres.unique_violation',
    when: [
      { sqlstates: ['23505'] },
      { message: /duplicate key (?:value )?violates unique constraint/i },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      'A row with the same unique key already exists: the job inserts twice, or two jobs race for one key.',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Make inserts idempotent (INSERT ... ON CONFLICT DO NOTHING/UPDATE) and derive keys from the job, not the attempt.',
  },
  {
    id: 'sqlite.busy',
    when: [
      { codes: ['SQLITE_BUSY', 'SQLITE_LOCKED'] },
      { message: /\bdatabase (?:table )?is locked\b|SQLITE_BUSY/i },
      // Prisma's SQLite connector words the busy timeout as a connection error.
      { message: /ConnectionError\(Timed out during query execution\.\)/ },
    ],
    category: 'database_query',
    transient: true,
    rootCause:
      'Another connection holds the SQLite write lock longer than this one was willing to wait.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention:
      'Use WAL mode, set busy_timeout, keep write transactions short and funnel writes through one connection.',
  },
  {
    id: 'knex.pool_timeout',
    when: { message: /Knex: Timeout acquiring a connection/i },
    category: 'database_connection',
    transient: true,
    rootCause:
      'Every connection of the Knex pool stayed checked out until the acquire timeout: leaked transactions or more concurrent queries than the pool holds.',
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Always commit or roll back transactions, pass trx to queries inside them, and size the pool for the concurrency.',
  },
  {
    id: 'pool.acquire_timeout',
    // The same exhausted client-side pool, as each language's best-known pool words it.
    when: {
      message:
        /QueuePool limit of size \d+ overflow -?\d+ reached|Connection is not available, request timed out after|could not obtain a (?:database )?connection (?:from the pool )?within|could not obtain a connection from the pool|ConnectionAcquireTimeoutError|timed out (?:waiting|fetching a new connection) (?:for|from) (?:a |the )?connection (?:from the )?pool|ConnectionPool::TimeoutError|\/lib\/connection_pool\/timed_stack\.rb|connection not available and request was dropped from queue after \d+ ?ms|The timeout period elapsed prior to obtaining a connection from the pool|The connection pool has been exhausted|Cannot get a connection, pool exhausted|Timeout after \d+ ?ms of waiting for a connection|Timed out fetching a new connection from the (?:connection )?pool/i,
    },
    category: 'database_connection',
    transient: true,
    rootCause:
      'Every connection of the client-side pool (SQLAlchemy, HikariCP, ActiveRecord, Sequelize…) stayed checked out until the wait timed out: more concurrent work than the pool holds, or connections leaked by code that never returns them.',
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Size the pool for the concurrency (and pool × processes below the server limit), return connections in finally blocks, and alert on pool wait time.',
  },
  {
    id: 'postgres.out_of_shared_memory',
    when: [
      { sqlstates: ['53200'] },
      { message: /\bout of shared memory\b|You might need to increase max_locks_per_transaction/i },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      'One transaction takes more locks than the lock table holds (max_locks_per_transaction): many tables or partitions in one statement.',
    remedies: ['reduce_batch_size', 'escalate'],
    prevention:
      'Touch fewer tables or partitions per transaction, or raise max_locks_per_transaction.',
  },
  {
    id: 'postgres.not_null_violation',
    when: [
      { sqlstates: ['23502'] },
      {
        message:
          /null value in column "?[\w.]+"?(?: of relation "?[\w.]+"?)? violates not-null constraint|\bNotNullViolation\b/i,
      },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      'An insert or update left a NOT NULL column empty: the code did not set it, or the column has no default (an id without a sequence).',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Validate required fields before writing, and give generated columns a default or identity in the migration.',
  },
  {
    id: 'postgres.recovery_conflict',
    when: [
      { sqlstates: ['40001'], message: /conflict with recovery/i },
      { message: /canceling statement due to conflict with recovery/i },
    ],
    // Also SQLSTATE 40001, which the serialization rule would claim.
    priority: 1,
    category: 'database_query',
    transient: true,
    rootCause:
      "A query on a hot standby was cancelled because replaying the primary's changes needed rows it was reading (vacuum cleanup on the primary).",
    remedies: ['retry_with_backoff', 'reduce_batch_size'],
    prevention:
      'Keep standby queries short, or set hot_standby_feedback / max_standby_streaming_delay for reporting replicas.',
  },
  {
    id: 'postgres.nul_byte',
    when: { message: /invalid byte sequence for encoding "UTF8": 0x00/i },
    category: 'database_query',
    transient: false,
    rootCause: 'A text value contains a NUL byte, which PostgreSQL text columns cannot store.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Strip \\u0000 from text before writing, or store such data as bytea.',
  },
  {
    id: 'postgres.shared_memory',
    when: {
      message:
        /could not resize shared memory segment "[^"]+" to \d+ bytes: No space left on device/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      "PostgreSQL's shared memory in /dev/shm is too small (64 MB by default in Docker) for a parallel query.",
    remedies: ['escalate'],
    prevention:
      'Give the container a larger /dev/shm (shm_size) or lower max_parallel_workers_per_gather.',
  },
  {
    id: 'postgres.role_missing',
    when: { message: /FATAL:\s+role "[^"]+" does not exist/i },
    category: 'auth',
    transient: false,
    rootCause:
      'The client connects as a PostgreSQL role that does not exist (often the OS user, or a database initialised with another POSTGRES_USER).',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Name the role in the connection string, and create it where the database is initialised.',
  },
  {
    id: 'postgres.prepared_statement_conflict',
    when: [
      { sqlstates: ['42P05'] },
      { message: /prepared statement "[^"]*" (?:already exists|does not exist)/i },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      'Named prepared statements do not survive a pooler in transaction mode (PgBouncer, Supavisor, Hyperdrive): the next transaction runs on another server connection.',
    remedies: ['escalate'],
    prevention:
      'Tell the client it is behind a transaction pooler (pgbouncer=true, prepare: false, statement_cache_size=0), or pool in session mode.',
  },
]);
