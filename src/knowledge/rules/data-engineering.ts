import { defineRules } from './rule.js';

/**
 * Data engineering jobs: Spark and PySpark, Hadoop (HDFS, YARN, Hive), Flink, Beam on Dataflow,
 * Trino, Delta Lake, warehouses (BigQuery, Redshift, Snowflake, Databricks) and Arrow and
 * Parquet in Python. Memory and cluster capacity need a bigger setting or a person; concurrent
 * commits and a worker dropping out pass with a rerun.
 */
export const DATA_ENGINEERING_RULES = defineRules([
  {
    id: 'jvm.heap_space',
    when: { message: /OutOfMemoryError: (?:Java heap space|GC overhead limit exceeded)/ },
    category: 'resource',
    transient: false,
    rootCause:
      'A JVM (a Spark executor or driver, a build tool, a server) ran out of heap for the data it holds.',
    remedies: ['increase_memory', 'reduce_batch_size'],
    prevention:
      'Size -Xmx (spark.executor.memory, org.gradle.jvmargs) to the data, and partition work finer.',
  },
  {
    id: 'spark.shuffle_output_lost',
    when: {
      message:
        /MetadataFetchFailedException: Missing an output location for shuffle|\bFetchFailedException\b/,
    },
    category: 'resource',
    transient: false,
    rootCause:
      'Executors holding shuffle output died (mostly killed for memory) before the next stage read it.',
    remedies: ['increase_memory', 'reduce_batch_size'],
    prevention:
      'Give executors more memory overhead, use more shuffle partitions, and enable the external shuffle service.',
  },
  {
    id: 'spark.no_resources_accepted',
    when: { message: /Initial job has not accepted any resources/i },
    category: 'orchestrator_stuck',
    transient: false,
    rootCause:
      'The cluster has no executor with the memory or cores the application asks for (or no worker registered), so no task starts.',
    remedies: ['escalate'],
    prevention:
      'Ask for executors the cluster can give, and check that workers are registered before submitting.',
  },
  {
    id: 'spark.kryo_buffer_overflow',
    when: { message: /Kryo serialization failed: Buffer overflow/i },
    category: 'resource',
    transient: false,
    rootCause:
      "A record is larger than Kryo's serializer buffer (spark.kryoserializer.buffer.max).",
    remedies: ['escalate'],
    prevention: 'Raise spark.kryoserializer.buffer.max for the largest records the job handles.',
  },
  {
    id: 'spark.path_not_found',
    when: {
      message:
        /Input path does not exist|\[PATH_NOT_FOUND\] Path does not exist|AnalysisException: Path does not exist/,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The input path the job reads does not exist (a wrong path or date partition, or upstream data not written yet).',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Check inputs exist before submitting, and schedule after the upstream job that writes them.',
  },
  {
    id: 'spark.table_not_found',
    when: { message: /Table or view not found|\[TABLE_OR_VIEW_NOT_FOUND\]/ },
    category: 'database_query',
    transient: false,
    rootCause:
      'The table the query names is not in the catalog the session uses (another database, or the metastore is not configured).',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Qualify table names with their database, and point every job at the same metastore.',
  },
  {
    id: 'pyspark.python_version_mismatch',
    when: { message: /Python in worker has different version [\d.]+ than that in driver/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The executors run another Python than the driver (PYSPARK_PYTHON differs across nodes).',
    remedies: ['escalate'],
    prevention:
      'Set PYSPARK_PYTHON and PYSPARK_DRIVER_PYTHON to the same interpreter on every node, or ship one environment.',
  },
  {
    id: 'pyspark.java_gateway_exited',
    when: { message: /Java gateway process exited before sending (?:the driver|its) port number/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'PySpark could not start its JVM: no Java installed, JAVA_HOME wrong, or a Java version Spark does not support.',
    remedies: ['escalate'],
    prevention: 'Install a supported JDK in the image and set JAVA_HOME.',
  },
  {
    id: 'hadoop.s3a_filesystem_missing',
    when: {
      message:
        /Class org\.apache\.hadoop\.fs\.s3a\.S3AFileSystem not found|No FileSystem for scheme:? "?s3a?"?/,
    },
    category: 'build',
    transient: false,
    rootCause:
      'hadoop-aws (and its AWS SDK) is not on the classpath, so s3a:// paths have no filesystem.',
    remedies: ['escalate'],
    prevention: 'Add hadoop-aws matching the Hadoop version (spark.jars.packages) to the job.',
  },
  {
    id: 'scala.binary_incompatible',
    when: { message: /NoSuchMethodError: scala\./ },
    // Outranks the JVM's general rule for a missing method: the Scala version is the cause.
    priority: 1,
    category: 'build',
    transient: false,
    rootCause:
      'A library built for another Scala binary version (2.11, 2.12, 2.13) than Spark runs on is on the classpath.',
    remedies: ['escalate'],
    prevention:
      "Use the artifacts with the cluster's Scala suffix (_2.12, _2.13) for every Spark library.",
  },
  {
    id: 'hdfs.no_datanodes',
    when: { message: /could only be (?:replicated|written) to 0 nodes instead of minReplication/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'HDFS has no datanode the client can write to: none running, all full, or unreachable from the client.',
    remedies: ['escalate'],
    prevention:
      'Monitor live datanodes and their free space, and make datanode addresses reachable from clients.',
  },
  {
    id: 'hdfs.permission_denied',
    when: { message: /org\.apache\.hadoop\.security\.AccessControlException: Permission denied/ },
    category: 'auth',
    transient: false,
    rootCause: 'The HDFS user the job runs as may not write (or read) the path.',
    remedies: ['escalate'],
    prevention:
      'Run jobs as a user that owns their directories (HADOOP_USER_NAME) and create them with the right owner.',
  },
  {
    id: 'hive.jdbc_transport',
    when: { message: /Could not open client transport with JDBC Uri/i },
    category: 'database_connection',
    transient: true,
    rootCause:
      'The client could not connect to HiveServer2 (down, not listening on that port, or a transport mode or TLS mismatch).',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Check HiveServer2 is up and the JDBC URL matches its transport mode and port.',
  },
  {
    id: 'hive.metastore_unavailable',
    when: {
      message:
        /Unable to instantiate org\.apache\.hadoop\.hive\.(?:ql\.metadata\.SessionHiveMetaStoreClient|metastore\.HiveMetaStoreClient)/,
    },
    category: 'database_connection',
    transient: false,
    rootCause:
      'The Hive metastore client could not start: the metastore service or its database is unreachable or not initialised.',
    remedies: ['escalate'],
    prevention: 'Initialise the metastore schema and check hive.metastore.uris before jobs start.',
  },
  {
    id: 'delta.concurrent_modification',
    when: {
      message:
        /\bConcurrent(?:Append|DeleteRead|DeleteDelete|Transaction)Exception\b|Files were added to (?:the root of the table|partition)/,
    },
    category: 'database_query',
    transient: true,
    rootCause:
      'Another writer committed to the same Delta table (or partition) while this transaction ran.',
    remedies: ['retry_with_backoff'],
    prevention:
      'Partition writes so concurrent jobs touch different partitions, and retry conflicting commits.',
  },
  {
    id: 'redshift.serializable_isolation',
    when: { message: /Serializable isolation violation on table/i },
    category: 'database_query',
    transient: true,
    rootCause:
      'Two concurrent Redshift transactions touched the same table, and one was aborted to keep them serialisable.',
    remedies: ['retry_with_backoff', 'reduce_concurrency'],
    prevention: 'Serialise writes per table, or lock the table at the start of the transaction.',
  },
  {
    id: 'snowflake.no_active_warehouse',
    when: { message: /No active warehouse selected in the current session/i },
    category: 'database_query',
    transient: false,
    rootCause:
      'The session has no warehouse to run the query: none set for the user or connection, or no usage on it.',
    remedies: ['escalate'],
    prevention: 'Set the warehouse in the connection and grant the role usage on it.',
  },
  {
    id: 'snowflake.cannot_connect',
    when: { message: /Could not connect to Snowflake backend after \d+ attempt/i },
    category: 'network',
    transient: false,
    rootCause:
      'The Snowflake client cannot reach the account endpoint: a wrong account identifier, DNS, a proxy or a network policy.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention: 'Check the account URL and the network path (SnowCD) from where the job runs.',
  },
  {
    id: 'bigquery.resources_exceeded',
    when: { message: /Resources exceeded during query execution/i },
    category: 'resource',
    transient: false,
    rootCause:
      'The query needs more memory on one BigQuery worker than it gets (a large ORDER BY, a skewed join or aggregation).',
    remedies: ['escalate'],
    prevention: 'Add LIMIT to global sorts, pre-aggregate, and avoid skewed join keys.',
  },
  {
    id: 'bigquery.internal_error',
    when: {
      message:
        /An internal error occurred and the request could not be completed|The job encountered an internal error during execution/i,
    },
    category: 'api_failure',
    transient: true,
    rootCause: 'BigQuery failed the job on its side; resubmitting usually succeeds.',
    remedies: ['retry_with_backoff'],
    prevention: 'Retry jobs that fail with internal errors, with backoff.',
  },
  {
    id: 'bigquery.permission_denied',
    when: {
      message: /does not have bigquery\.[\w.]+ permission|User does not have bigquery\.[\w.]+/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The account running the query lacks a BigQuery permission (jobs.create in the billing project, or data access).',
    remedies: ['escalate'],
    prevention:
      "Grant the job's account BigQuery Job User in the project it bills to, and data roles on the datasets.",
  },
  {
    id: 'trino.worker_unreachable',
    when: { message: /Encountered too many errors talking to a worker node/i },
    category: 'network',
    transient: true,
    rootCause:
      'The coordinator lost contact with a worker (it crashed, was killed for memory, or the network dropped).',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: "Watch workers' memory and GC pauses, and retry queries that lose a worker.",
  },
  {
    id: 'flink.no_task_slots',
    when: {
      message: /\bNoResourceAvailableException\b|Could not acquire the minimum required resources/,
    },
    category: 'resource',
    transient: false,
    rootCause: "The Flink cluster has fewer free task slots than the job's parallelism needs.",
    remedies: ['escalate', 'reduce_concurrency'],
    prevention: "Match the job's parallelism to the slots the cluster has, or scale task managers.",
  },
  {
    id: 'dataflow.work_item_failed',
    when: {
      message:
        /A work item was attempted \d+ times without success|work item has failed \d+ times|The worker lost contact with the service/i,
    },
    category: 'orchestrator_stuck',
    transient: false,
    rootCause:
      'Dataflow workers kept failing one work item (out of memory, a crash, or lost contact with the service), so the job gave up.',
    remedies: ['increase_memory', 'escalate'],
    prevention:
      "Use a worker machine type with the memory the step needs, and look at the workers' logs for the item.",
  },
  {
    id: 'parquet.invalid_file',
    when: {
      message: /Parquet magic bytes not found in footer|Could not open Parquet input source/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The file read as Parquet is not a complete Parquet file (empty, truncated, or another format).',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Write Parquet atomically (to a temporary name, then rename) and skip empty files.',
  },
  {
    id: 'pandas.parquet_engine_missing',
    when: { message: /Unable to find a usable engine; tried using: 'pyarrow', 'fastparquet'/ },
    category: 'build',
    transient: false,
    rootCause:
      'Neither pyarrow nor fastparquet is installed, and pandas needs one to read or write Parquet.',
    remedies: ['escalate'],
    prevention: 'Add pyarrow to the requirements of jobs that use Parquet.',
  },
]);
