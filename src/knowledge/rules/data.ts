import { defineRules } from './rule.js';

/** Data platforms and pipelines: Spark, Kafka, Elasticsearch, ClickHouse, Snowflake, BigQuery, Arrow. */
export const DATA_RULES = defineRules([
  {
    id: 'spark.yarn_memory_exceeded',
    when: { message: /Container killed by YARN for exceeding memory limits/i },
    category: 'resource',
    transient: false,
    rootCause:
      "A Spark executor's container used more memory than YARN allows it (heap plus overhead).",
    remedies: ['increase_memory', 'reduce_batch_size', 'escalate'],
    prevention: 'Raise spark.executor.memoryOverhead or use more, smaller partitions.',
  },
  {
    id: 'spark.max_result_size',
    when: {
      message:
        /Total size of serialized results of \d+ tasks \([^)]+\) is bigger than spark\.driver\.maxResultSize/i,
    },
    category: 'resource',
    transient: false,
    rootCause: 'A job collected more data to the driver than spark.driver.maxResultSize allows.',
    remedies: ['increase_memory', 'reduce_batch_size', 'escalate'],
    prevention: 'Write results out from the executors instead of collecting them to the driver.',
  },
  {
    id: 'kafka.record_too_large',
    when: {
      message:
        /RecordTooLargeException|The message is \d+ bytes when serialized which is larger than|\bMessageSizeTooLarge\b|\bMessage size too large\b|message larger than the max message size the server will accept|Message was too large, server rejected it/i,
    },
    category: 'resource',
    transient: false,
    rootCause:
      "A record is larger than the producer's max.request.size (or the topic's max.message.bytes).",
    remedies: ['reduce_batch_size', 'escalate'],
    prevention:
      'Keep large payloads out of Kafka (store a reference) or raise the limits on producer, broker and topic together.',
  },
  {
    id: 'kafka.max_poll_interval',
    when: { message: /maximum poll interval \(\d+ms\) exceeded|max\.poll\.interval\.ms/i },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      'The consumer took longer than max.poll.interval.ms between polls, so the group rebalanced its partitions away.',
    remedies: ['reduce_batch_size', 'increase_timeout', 'escalate'],
    prevention:
      'Poll fewer records at once (max.poll.records) or raise max.poll.interval.ms for slow processing.',
  },
  {
    id: 'elasticsearch.result_window',
    when: { message: /Result window is too large, from \+ size must be less than or equal to/i },
    category: 'database_query',
    transient: false,
    rootCause: 'A search paged past index.max_result_window (10,000 hits by default).',
    remedies: ['escalate'],
    prevention: 'Page with search_after or a point in time instead of from/size.',
  },
  {
    id: 'clickhouse.too_many_parts',
    when: {
      message:
        /Too many parts \(\d+\)\. Merges are processing significantly slower than inserts|\bTOO_MANY_PARTS\b/i,
    },
    category: 'database_query',
    transient: false,
    rootCause: 'Inserts arrive in more, smaller parts than ClickHouse can merge.',
    remedies: ['reduce_concurrency', 'reduce_batch_size', 'escalate'],
    prevention: 'Insert in fewer, larger batches (or use async inserts / a Buffer table).',
  },
  {
    id: 'snowflake.statement_timeout',
    when: { message: /Statement reached its statement or warehouse timeout of \d+ second/i },
    category: 'timeout',
    transient: false,
    rootCause: 'The statement ran past STATEMENT_TIMEOUT_IN_SECONDS of the session or warehouse.',
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention: 'Raise the timeout for the job, size the warehouse, or split the query.',
  },
  {
    id: 'snowflake.token_expired',
    when: { message: /\b390114\b[^\n]{0,20}Authentication token has expired/i },
    category: 'auth',
    transient: true,
    rootCause: "The Snowflake session's token expired after a long idle period.",
    remedies: ['reconnect', 'refresh_credentials', 'retry_with_backoff'],
    prevention: 'Set CLIENT_SESSION_KEEP_ALIVE or reconnect before long idle periods.',
  },
  {
    id: 'bigquery.table_update_rate',
    when: { message: /Exceeded rate limits: too many table update operations for this table/i },
    category: 'rate_limit',
    transient: true,
    rootCause:
      'BigQuery limits metadata updates (loads, DML, schema changes) per table to about five every ten seconds.',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention: 'Batch writes to a table instead of many small loads or DML statements.',
  },
  {
    id: 'arrow.mixed_type_column',
    when: {
      message:
        /ArrowInvalid: \(?["']?Could not convert [^\n]{0,80} with type \w+: tried to convert to|\bArrowTypeError\b[^\n]{0,20}Expected \w+, got a '\w+' object/i,
    },
    category: 'code_generation',
    transient: false,
    rootCause:
      'A column mixes types (strings and numbers) that Arrow cannot put in one typed column.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Cast columns to one type (or give the schema) before writing Parquet.',
  },
  {
    id: 'mongo.sort_memory_limit',
    when: { message: /Sort exceeded memory limit of \d+ bytes/i },
    category: 'database_query',
    transient: false,
    rootCause: 'A sort needed more memory than MongoDB allows without spilling to disk.',
    remedies: ['reduce_batch_size', 'escalate'],
    prevention: 'Index the sort key or pass allowDiskUse for large sorts.',
  },
  {
    id: 'vector.dimension_mismatch',
    when: {
      message:
        /Vector dimension \d+ does not match the dimension of the index|\bInvalidDimensionException\b|Dimensionality of \(\d+\) does not match|Embedding dimension \d+ does not match collection dimensionality|different vector dimensions \d+ and \d+|expected \d+ dimensions, not \d+/i,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'The embeddings have another dimension than the vector index or column was created with: the embedding model changed, or the index was sized for another one.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Create the index from the embedding model's dimension, and re-embed (or use a new index) whenever the model changes.",
  },
  {
    id: 'pgvector.index_dimension_limit',
    when: { message: /column cannot have more than \d+ dimensions for (?:hnsw|ivfflat) index/i },
    category: 'database_query',
    transient: false,
    rootCause:
      "pgvector's HNSW and IVFFlat indexes hold at most 2,000 dimensions of `vector`; the embedding is larger.",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Use an embedding of at most 2,000 dimensions (or its shortened form), or index a halfvec column.',
  },
  {
    id: 'kafka.broker_unreachable',
    when: {
      message:
        /Connection to node -?\d+ \([^)]*\) could not be established\. Broker may not be available/i,
    },
    category: 'network',
    // A broker restarting passes; one that advertises an address clients cannot reach does not.
    transient: true,
    rootCause:
      'The client cannot reach the broker at the address it advertised: the broker is down, or it advertises an address (often localhost) that is wrong from where the client runs.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention:
      'Set advertised.listeners to addresses every client can reach (the service name in a container network).',
  },
  {
    id: 'kafka.replication_factor_too_high',
    when: {
      message:
        /replication factor: \d+ larger than available brokers: \d+|does not meet the required replication factor/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'A topic (often an internal one: __consumer_offsets, the transaction log) asks for more replicas than the cluster has brokers.',
    remedies: ['escalate'],
    prevention:
      'On small clusters set offsets.topic.replication.factor and the transaction log factors to the broker count.',
  },
  {
    id: 'kafka.inconsistent_cluster_id',
    when: { message: /InconsistentClusterIdException|doesn't match stored clusterId/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "The broker's data directory belongs to another cluster (meta.properties kept while ZooKeeper or KRaft state was recreated).",
    remedies: ['escalate'],
    prevention:
      'Keep the data directory and the cluster metadata together: recreate both, or neither.',
  },
  {
    id: 'kafka.sasl_authentication_failed',
    when: {
      message: /SaslAuthenticationException|failed authentication due to: Authentication failed/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The broker rejected the SASL credentials (a wrong password, or one mangled on its way into the config).',
    remedies: ['escalate'],
    prevention:
      'Check the credentials with a console client, and quote special characters in JAAS and environment configs.',
  },
  {
    id: 'nats.max_payload',
    when: { message: /Maximum Payload (?:Violation|Exceeded)|maximum payload exceeded/i },
    category: 'other',
    transient: false,
    rootCause: "A message is larger than the NATS server's max_payload (1 MB by default).",
    remedies: ['reduce_batch_size', 'escalate'],
    prevention: 'Send large results through object storage (or chunks) and keep messages small.',
  },
  {
    id: 'nats.slow_consumer',
    when: { message: /slow consumer, messages dropped|Slow Consumer Detected/i },
    category: 'resource',
    transient: true,
    rootCause:
      'A subscriber could not drain messages as fast as they arrived, so the client or server dropped them.',
    remedies: ['reduce_concurrency', 'reduce_batch_size'],
    prevention:
      'Bound in-flight messages (MaxAckPending, pull consumers) and scale the subscribers.',
  },
]);
