import { defineRules } from './rule.js';

/** MySQL and MariaDB errors, as the server and its clients (mysql2, PyMySQL, Connector/J) word them. */
export const MYSQL_RULES = defineRules([
  {
    id: 'mysql.statement_timeout',
    // Connector/J's MySQLTimeoutException, and the server's own max_execution_time.
    when: {
      message:
        /Statement cancell?ed due to timeout or client request|maximum statement execution time exceeded/i,
    },
    category: 'database_query',
    transient: true,
    rootCause:
      'A statement ran longer than the query timeout (the driver setQueryTimeout or max_execution_time) and was cancelled.',
    remedies: ['reduce_batch_size', 'increase_timeout', 'retry_with_backoff'],
    prevention:
      'Index the filtered columns, process data in smaller batches, and set timeouts per workload.',
  },
  {
    id: 'mysql.too_many_connections',
    when: [{ codes: ['ER_CON_COUNT_ERROR', '1040'] }, { message: /\bToo many connections\b/ }],
    category: 'database_connection',
    transient: true,
    rootCause: 'MySQL has reached max_connections and refuses new clients.',
    remedies: ['reduce_concurrency', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Keep connectionLimit × processes below max_connections and release connections after use.',
  },
  {
    id: 'mysql.connection_lost',
    when: [
      { codes: ['PROTOCOL_CONNECTION_LOST'] },
      // Go's go-sql-driver/mysql words a pooled connection the server closed its own way.
      {
        message:
          /Connection lost: The server closed the connection|closing bad idle connection|packets\.go:\d+: unexpected EOF/i,
      },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'The MySQL server closed the connection: wait_timeout expired on an idle connection, or the server restarted.',
    remedies: ['reconnect', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Use a pool with idle timeouts below wait_timeout and keepalive enabled, instead of one long-lived connection.',
  },
  {
    id: 'mysql.access_denied',
    when: [
      { codes: ['ER_ACCESS_DENIED_ERROR', '1045'] },
      { message: /Access denied for user '[^']*'@/i },
    ],
    category: 'auth',
    transient: false,
    rootCause: 'MySQL rejected the user, password or source host.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention:
      'Load credentials from one secret source; grant the user access from the worker hosts.',
  },
  {
    id: 'mysql.deadlock',
    when: [
      { codes: ['ER_LOCK_DEADLOCK', '1213'] },
      { message: /Deadlock found when trying to get lock/i },
    ],
    category: 'database_query',
    transient: true,
    rootCause: 'InnoDB found a lock cycle between transactions and rolled this one back.',
    remedies: ['retry_with_backoff', 'reduce_concurrency', 'reduce_batch_size'],
    prevention: 'Access rows in a consistent order and keep transactions short.',
  },
  {
    id: 'mysql.lock_wait_timeout',
    when: [{ codes: ['ER_LOCK_WAIT_TIMEOUT', '1205'] }, { message: /Lock wait timeout exceeded/i }],
    category: 'database_query',
    transient: true,
    rootCause:
      'The transaction waited longer than innodb_lock_wait_timeout for a row lock held by another transaction.',
    remedies: ['retry_with_backoff', 'reduce_batch_size', 'reduce_concurrency'],
    prevention: 'Find the long transaction holding the lock; commit in smaller batches.',
  },
  {
    id: 'mysql.server_gone_away',
    when: [
      { codes: ['CR_SERVER_GONE_ERROR', 'CR_SERVER_LOST', '2006', '2013'] },
      { message: /MySQL server has gone away|Lost connection to MySQL server during query/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'The server closed a connection the client still held: idle past wait_timeout, restarted, or a packet over max_allowed_packet.',
    remedies: ['reconnect', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Validate pooled connections before use and keep pool idle timeouts below wait_timeout; raise max_allowed_packet for large rows.',
  },
  {
    id: 'mysql.foreign_key_violation',
    when: [
      { codes: ['ER_NO_REFERENCED_ROW_2', 'ER_NO_REFERENCED_ROW', 'ER_ROW_IS_REFERENCED_2'] },
      {
        message:
          /Cannot (?:add or update a child row|delete or update a parent row): a foreign key constraint fails/i,
      },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      'The statement would break a foreign key: the parent row it points to does not exist (or still has children), often an id from another environment or an insert out of order.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Insert parents before children in one transaction and check referenced ids exist.',
  },
  {
    id: 'mysql.incorrect_string_value',
    when: [
      { codes: ['ER_TRUNCATED_WRONG_VALUE_FOR_FIELD'] },
      { message: /Incorrect string value: '\\x[0-9A-F]{2}/i },
    ],
    category: 'database_query',
    transient: false,
    rootCause:
      "The column's character set cannot store the text (4-byte characters such as emoji in a utf8/utf8mb3 column).",
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Use utf8mb4 for the database, tables, columns and the connection.',
  },
  {
    id: 'mysql.auth_mode_unsupported',
    when: [
      { codes: ['ER_NOT_SUPPORTED_AUTH_MODE'] },
      {
        message:
          /Client does not support authentication protocol requested by server|authentication method unknown to the client \[caching_sha2_password\]|Plugin caching_sha2_password could not be loaded|Unknown authentication method -> 'caching_sha2_password'/i,
      },
    ],
    category: 'database_connection',
    transient: false,
    rootCause:
      "The server's account uses an authentication plugin (MySQL 8's caching_sha2_password) the client library does not speak.",
    remedies: ['escalate'],
    prevention:
      'Use a client that supports the plugin (mysql2 rather than mysql for Node), or create the user with mysql_native_password.',
  },
  {
    id: 'mysql.host_not_allowed',
    when: { message: /Host '[^']+' is not allowed to connect to this (?:MySQL|MariaDB) server/i },
    category: 'auth',
    transient: false,
    rootCause:
      "The MySQL account has no grant for the host the job connects from (users are per host: 'app'@'localhost' is not 'app'@'%').",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Create the user for the job's host or network ('app'@'10.%') and grant it what it needs.",
  },
  {
    id: 'mysql.packet_too_large',
    when: { message: /max_allowed_packet|Packet for query is too large|PacketTooBigException/i },
    category: 'database_query',
    transient: false,
    rootCause: "A statement or row is larger than the server's max_allowed_packet.",
    remedies: ['reduce_batch_size', 'escalate'],
    prevention:
      'Insert in smaller batches, or raise max_allowed_packet on server and client together.',
  },
  {
    id: 'mysql.public_key_retrieval',
    when: { message: /Public Key Retrieval is not allowed/i },
    category: 'auth',
    transient: false,
    rootCause:
      "MySQL 8's caching_sha2_password over a connection without TLS needs the server's RSA key, which the JDBC driver does not fetch unless allowed.",
    remedies: ['escalate'],
    prevention: 'Connect with TLS, or set allowPublicKeyRetrieval=true on the connection URL.',
  },
]);
