import { defineRules } from './rule.js';

/** Redis and ioredis errors. */
export const REDIS_RULES = defineRules([
  {
    id: 'redis.connection_refused',
    when: [
      { codes: ['ECONNREFUSED'], resources: ['redis'] },
      { message: /ECONNREFUSED \S+:6379\b/ },
      { message: /Could not connect to Redis at \S+: Connection refused/i },
      // PHP's Predis and redis-py: `Connection refused [tcp://127.0.0.1:6379]`, `Error 111 connecting to …:6379`.
      { message: /Connection refused \[?tcp:\/\/\S+:6379|Error 111 connecting to \S+:6379/i },
      // Go's net package: "dial tcp 127.0.0.1:6379: connect: connection refused".
      { message: /dial tcp \S+:6379: connect: connection refused/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'Nothing accepts connections at the Redis address: Redis is down or restarting, or REDIS_URL points at the wrong host (127.0.0.1 inside a container).',
    remedies: ['retry_with_backoff', 'reconnect', 'open_circuit_breaker', 'escalate'],
    prevention:
      'Set REDIS_URL explicitly per environment and wait for Redis readiness before starting workers.',
  },
  {
    id: 'redis.readonly_replica',
    when: { message: /(?:READONLY )?You can'? ?t write against a read[- ]only (?:replica|slave)/i },
    category: 'database_connection',
    transient: true,
    rootCause:
      'The client still talks to a node that became a read-only replica after a failover (stale DNS or connection).',
    remedies: ['reconnect', 'reset_connection_pool', 'retry_with_backoff'],
    prevention:
      'Reconnect on READONLY (ioredis reconnectOnError) and use the primary endpoint or Sentinel, not a node address.',
  },
  {
    id: 'redis.max_retries_per_request',
    when: [
      { names: ['MaxRetriesPerRequestError'] },
      { message: /Reached the max retries per request limit/i },
    ],
    category: 'database_connection',
    transient: true,
    rootCause:
      'ioredis could not reach Redis within maxRetriesPerRequest reconnection attempts, so it failed the queued command.',
    remedies: ['open_circuit_breaker', 'reconnect', 'retry_with_backoff'],
    prevention:
      'Monitor Redis availability; BullMQ workers should use maxRetriesPerRequest: null so they wait instead of failing.',
  },
  {
    id: 'redis.oom',
    when: { message: /command not allowed when used memory > '?maxmemory/i },
    category: 'resource',
    transient: false,
    rootCause: 'Redis is at maxmemory with a noeviction policy and refuses writes.',
    remedies: ['escalate', 'reduce_batch_size'],
    prevention:
      'Expire keys (e.g. removeOnComplete for queues), size maxmemory, or choose an eviction policy for cache data.',
  },
  {
    id: 'redis.auth',
    when: { message: /NOAUTH Authentication required|WRONGPASS invalid username-password pair/i },
    category: 'auth',
    transient: false,
    rootCause: 'Redis requires a password (or ACL user) that the client did not send or got wrong.',
    remedies: ['refresh_credentials', 'escalate'],
    prevention: 'Put the password in REDIS_URL from the secret store.',
  },
  {
    id: 'redis.busy_script',
    when: { message: /\bBUSY Redis is busy running a script\b/ },
    category: 'database_query',
    transient: true,
    rootCause:
      'A Lua script or function is still running on the server, and Redis answers nothing else until it ends.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Keep scripts short, or split the work they do across calls.',
  },
  {
    id: 'redis.timeout',
    when: [
      { names: ['Redis::TimeoutError', 'TimeoutError'], resources: ['redis'] },
      {
        message:
          /Redis::TimeoutError|redis\.exceptions\.TimeoutError|Redis (?:connection|command) timed out|Timeout reading from socket/i,
      },
    ],
    category: 'timeout',
    transient: true,
    rootCause:
      'A Redis connection or command did not answer in time: the server is busy (a slow command, a save), far away, or the network dropped packets.',
    remedies: ['retry_with_backoff', 'reconnect', 'increase_timeout'],
    prevention:
      'Avoid slow commands (KEYS, large ranges) on shared servers, keep Redis near the workers, and set client timeouts above its p99.',
  },
  {
    id: 'redis.max_clients',
    when: { message: /\bmax number of clients reached\b/i },
    category: 'database_connection',
    transient: false,
    rootCause:
      'Redis refused the connection at its maxclients limit: too many processes or pools connect to it, or connections leak.',
    remedies: ['reduce_concurrency', 'escalate'],
    prevention:
      'Share one client per process, bound pool sizes across every worker, and raise maxclients with the file limit.',
  },
  {
    id: 'redis.misconf_rdb',
    when: { message: /MISCONF Redis is configured to save RDB snapshots/i },
    category: 'resource',
    transient: false,
    rootCause:
      'Redis refuses writes because its last RDB snapshot failed, usually for lack of disk space or permission on the dump directory.',
    remedies: ['free_disk_space', 'escalate'],
    prevention:
      'Watch the disk of the Redis host and the result of background saves; set dir to a writable volume.',
  },
  {
    id: 'redis.loading',
    // redis-py drops the LOADING prefix: `BusyLoadingError: Redis is loading the dataset in memory`.
    when: { message: /Redis is loading the dataset in memory/i },
    category: 'database_connection',
    transient: true,
    rootCause:
      'Redis has just restarted and refuses commands until its dataset is loaded from disk.',
    remedies: ['retry_with_backoff', 'open_circuit_breaker'],
    prevention:
      'Let clients retry LOADING with backoff, and keep datasets small enough to load fast.',
  },
  {
    id: 'redis.cluster_moved',
    when: { message: /\bMOVED \d+ \S+|CROSSSLOT Keys in request don't hash to the same slot/i },
    category: 'database_connection',
    transient: false,
    rootCause:
      'A Redis Cluster is used with a client (or commands) that do not handle slots: a plain client gets MOVED, multi-key commands across slots get CROSSSLOT.',
    remedies: ['escalate'],
    prevention: 'Use a cluster-aware client, and hash tags ({…}) for keys used together.',
  },
  {
    id: 'redis.connection_closed',
    when: {
      message:
        /\bSocketClosedUnexpectedlyError\b|redis\.exceptions\.ConnectionError: Connection closed by server|Error while reading from socket: \('Connection closed by server\./i,
    },
    category: 'database_connection',
    transient: true,
    rootCause:
      'The Redis server or a proxy in front of it (a cloud cache, a load balancer) closed an idle or long-lived connection.',
    remedies: ['reconnect', 'retry_with_backoff'],
    prevention:
      "Ping idle connections (pingInterval, health_check_interval) more often than the server's idle timeout.",
  },
]);
