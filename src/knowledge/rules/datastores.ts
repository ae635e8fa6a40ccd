import { defineRules } from './rule.js';

/** MongoDB, Elasticsearch/OpenSearch and Redis Cluster: stores whose errors carry their own names. */
export const DATASTORE_RULES = defineRules([
  {
    id: 'mongo.duplicate_key',
    when: [{ codes: ['11000', '11001'] }, { message: /\bE11000 duplicate key error\b/ }],
    category: 'database_query',
    transient: false,
    rootCause: 'The write would store a second document with a value a unique index already holds.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Upsert, or check for the existing document, when a write may be repeated.',
  },
  {
    id: 'mongo.not_primary',
    when: [
      { names: ['NotPrimaryError', 'MongoNotPrimaryException', 'NotWritablePrimary'] },
      { codes: ['10107', '13435', '13436', 'NotWritablePrimary', 'NotPrimaryNoSecondaryOk'] },
      { message: /\bnot (?:master|primary)(?: and slaveOk=false)?\b|\bNotWritablePrimary\b/ },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'The node written to is no longer the replica set primary: an election or a failover is under way, or the client was pointed at a secondary.',
    remedies: ['retry_with_backoff', 'reconnect'],
    prevention: 'Connect with the replica set URI and retryable writes, not to a single node.',
  },
  {
    id: 'mongo.write_conflict',
    when: [{ codes: ['112', 'WriteConflict'] }, { message: /\bWrite ?Conflict\b/ }],
    category: 'database_query',
    transient: true,
    rootCause: 'Two operations wrote the same document at once and MongoDB aborted one of them.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention: 'Retry transactions on TransientTransactionError, and avoid hot documents.',
  },
  {
    id: 'elasticsearch.circuit_breaking',
    when: [
      { names: ['CircuitBreakingException'] },
      { message: /circuit_breaking_exception|CircuitBreakingException|\[parent\] Data too large/ },
    ],
    category: 'resource',
    transient: false,
    rootCause:
      "A request would push the node's heap past its circuit breaker limit: the request or the bulk batch is too large for the heap.",
    remedies: ['reduce_batch_size', 'reduce_concurrency', 'escalate'],
    prevention: 'Keep bulk requests to a few megabytes and size the heap to the workload.',
  },
  {
    id: 'elasticsearch.rejected_execution',
    when: [
      { names: ['EsRejectedExecutionException'] },
      {
        message:
          /rejected_execution_exception|EsRejectedExecutionException|\brejected execution of\b/,
      },
    ],
    category: 'rate_limit',
    transient: true,
    rootCause: "A node's thread pool queue is full: more requests arrive than it can work off.",
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Send fewer concurrent bulk requests and back off on 429 answers.',
  },
  {
    id: 'elasticsearch.read_only_block',
    when: {
      message:
        /FORBIDDEN\/12\/index read-only \/ allow delete|cluster_block_exception[^\n]*read[-_ ]only|flood[- ]stage (?:disk )?watermark/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'A data node passed the flood-stage disk watermark, so its indices were made read-only.',
    remedies: ['free_disk_space', 'escalate'],
    prevention: 'Alert on the high disk watermark, and delete or move old indices before it.',
  },
  {
    id: 'redis.cluster_down',
    when: { message: /\bCLUSTERDOWN\b/ },
    category: 'database_connection',
    transient: true,
    rootCause:
      'The Redis cluster cannot serve: hash slots are unassigned while a failover or a reshard completes.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention: 'Give every primary a replica, and retry with backoff through failovers.',
  },
  {
    id: 'mongo.document_too_large',
    when: {
      message:
        /DocumentTooLarge|BSON document too large|BSONObj size: \d+ \(0x[0-9A-F]+\) is invalid/i,
    },
    category: 'database_query',
    transient: false,
    rootCause: "A document (or a command) is over MongoDB's 16 MB BSON limit.",
    remedies: ['reduce_batch_size', 'escalate'],
    prevention:
      'Store large payloads in GridFS or object storage and keep unbounded arrays out of documents.',
  },
  {
    id: 'sqlalchemy.pending_rollback',
    when: {
      message:
        /PendingRollbackError|This Session's transaction has been rolled back due to a previous exception during flush/i,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'The session is reused after a failed flush without session.rollback(), so every later statement is refused.',
    remedies: ['escalate', 'fail_fast'],
    prevention: 'Roll back (or close) the session in an except block, one session per job.',
  },
  {
    id: 'oracle.no_listener',
    when: { message: /ORA-12541|TNS:no listener/i },
    category: 'database_connection',
    transient: false,
    rootCause:
      'Nothing listens for Oracle connections at the address: the listener is down or the host or port is wrong.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Check the connect string and that the listener runs on that host and port.',
  },
  {
    id: 'mongo.cursor_not_found',
    when: [
      { names: ['CursorNotFound'] },
      { message: /\bCursorNotFound\b|cursor id \S+ not found/i },
    ],
    category: 'timeout',
    transient: false,
    rootCause:
      'The server closed an idle cursor (10 minutes without a getMore) while the job was still working through its results.',
    remedies: ['reduce_batch_size', 'increase_timeout', 'escalate'],
    prevention:
      'Fetch smaller batches, process faster between fetches, or page by _id instead of holding one cursor.',
  },
  {
    id: 'mongodb.server_selection_timeout',
    when: [
      {
        names: [
          'MongoServerSelectionError',
          'MongooseServerSelectionError',
          'ServerSelectionTimeoutError',
          'MongoTimeoutError',
          'MongooseTimeoutError',
        ],
      },
      {
        message:
          /Server selection timed out after|ServerSelectionTimeoutError|Mongo(?:ose)?ServerSelectionError/,
      },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'The MongoDB driver found no reachable server matching the read preference in time: the cluster is down, unreachable, or the IP is not allow-listed.',
    remedies: ['retry_with_backoff', 'reconnect', 'open_circuit_breaker'],
    prevention:
      'Check the connection string and network access list at start-up; monitor the replica set.',
  },
  {
    id: 'mongo.connection_refused',
    when: [
      { codes: ['ECONNREFUSED'], message: /:27017\b|mongo/i },
      {
        message:
          /\S+:27017:? \[Errno 111\]|connect ECONNREFUSED \S+:27017\b|failed to connect to server \[\S+:27017\]/i,
      },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'Nothing accepts connections at the MongoDB address: mongod is down or restarting, or the URI points at the wrong host (localhost inside a container).',
    remedies: ['retry_with_backoff', 'reconnect', 'open_circuit_breaker', 'escalate'],
    prevention:
      'Take the MongoDB URI from configuration, wait for the server at start-up, and alert when it stays down.',
  },
  {
    id: 'elasticsearch.total_fields_limit',
    when: { message: /Limit of total fields \[\d+\] (?:in index \[[^\]]+\] )?has been exceeded/i },
    category: 'database_query',
    transient: false,
    rootCause:
      "A document would add fields past the index's mapping limit (index.mapping.total_fields.limit, 1,000 by default), usually from dynamic keys.",
    remedies: ['escalate'],
    prevention:
      'Map dynamic objects as flattened or disable dynamic mapping for them, rather than raising the limit.',
  },
  {
    id: 'mongo.auth_failed',
    when: {
      message:
        /MongoServerError: Authentication failed|MongoError: Authentication failed|mongo[^\n]{0,80}Authentication failed/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'MongoDB rejected the credentials: a wrong user or password, or the user lives in another database than authSource.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Put authSource (usually admin) in the URI and keep the credentials in the job's secrets.",
  },
  {
    id: 'rabbitmq.access_refused',
    when: {
      message:
        /ACCESS_REFUSED - Login was refused|guest user refused connection|user 'guest' can only connect via localhost|Cannot connect to amqps?:\/\/\S+: Couldn't log in/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'RabbitMQ refused the login: wrong credentials, or the default guest user connecting from another host.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Create a user for the application instead of guest, and keep its credentials in the job's secrets.",
  },
  {
    id: 'mongo.transactions_need_replica_set',
    when: {
      message:
        /Transaction numbers are only allowed on a replica set member or mongos|requires your MongoDB server to be run as a replica set/i,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'The code uses transactions, which a standalone MongoDB server does not support: it must run as a replica set (one member is enough).',
    remedies: ['escalate'],
    prevention: 'Run MongoDB as a replica set everywhere, development containers included.',
  },
  {
    id: 'mongo.atlas_ip_not_allowed',
    when: {
      message:
        /tlsv1 alert internal error[^\n]{0,120}SSL alert number 80|TLSV1_ALERT_INTERNAL_ERROR|from an IP that isn't whitelisted|IP address is on your Atlas cluster's IP (?:whitelist|access list)/i,
    },
    // Outranks the server-selection timeout that wraps it: the refused address is the cause.
    priority: 1,
    category: 'database_connection',
    transient: false,
    rootCause:
      "MongoDB Atlas ends the TLS handshake of clients whose address is not on the cluster's IP access list.",
    remedies: ['escalate'],
    prevention:
      "Add the job hosts' egress addresses (or a peering / private endpoint) to the Atlas access list.",
  },
]);
