import { defineRules } from './rule.js';

/**
 * A data store and the code using it disagree: a type from an extension never created, a value
 * longer than its column, a key of the wrong type, a role without the privilege, an index or queue declared differently, a driver or engine
 * missing from the machine. The same call fails again until someone changes the schema, the
 * configuration or the code.
 */
export const STORE_MISMATCH_RULES = defineRules([
  {
    id: 'postgres.value_too_long',
    when: [
      { sqlstates: ['22001'] },
      { message: /value too long for type character varying\(\d+\)/i },
    ],
    category: 'database_query',
    transient: false,
    rootCause: 'A value is longer than the column it is written to (varchar(n)) allows.',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Validate lengths before writing, or widen the column (text) in a migration.',
  },
  {
    id: 'postgres.undefined_type',
    when: [{ sqlstates: ['42704'] }, { message: /\btype "[\w.]+" does not exist/i }],
    category: 'database_query',
    transient: false,
    rootCause:
      "The statement names a type the database does not have: most often an extension's (pgvector's `vector`) that was never created in this database.",
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Create the extensions a schema needs in its first migration (CREATE EXTENSION IF NOT EXISTS), in every database.',
  },
  {
    id: 'postgres.insufficient_privilege',
    when: {
      message: /permission denied for (?:schema|table|relation|sequence|database) "?[\w.]+/i,
    },
    category: 'auth',
    transient: false,
    rootCause:
      'The database role lacks a privilege on the object (PostgreSQL 15 no longer lets every role create in schema public).',
    remedies: ['escalate'],
    prevention:
      'Grant the application role what its migrations need, in the migration that creates the schema.',
  },
  {
    id: 'sqlite.readonly_database',
    when: { message: /attempt to write a readonly database/i },
    category: 'other',
    transient: false,
    rootCause:
      'The SQLite file (or its directory, where the journal goes) is not writable by the user the process runs as.',
    remedies: ['escalate'],
    prevention: 'Give the process user ownership of the database file and its directory.',
  },
  {
    id: 'redis.wrong_type',
    when: { message: /\bWRONGTYPE\b|Operation against a key holding the wrong kind of value/ },
    category: 'database_query',
    transient: false,
    rootCause:
      'The command expects another Redis type than the key holds: two parts of the code (or two versions) use one key name for different structures.',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Prefix keys per structure and version, and delete keys of an old layout when it changes.',
  },
  {
    id: 'elasticsearch.index_missing',
    when: {
      message: /\bIndexMissingException\b|\bIndexNotFoundException\b|index_not_found_exception/,
    },
    category: 'database_query',
    transient: false,
    rootCause:
      'The index searched or written is not there: never created in this cluster, deleted, or named differently (an alias not set).',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Create indices and aliases in a setup step, before jobs query them.',
  },
  {
    id: 'dynamodb.key_schema_mismatch',
    when: { message: /The provided key element does not match the schema/i },
    category: 'api_failure',
    transient: false,
    rootCause:
      "The key given to a DynamoDB item operation does not match the table's key schema (a missing sort key, another attribute name or type).",
    remedies: ['fail_fast', 'escalate'],
    prevention:
      "Build keys from the table's definition in one place, and test item calls against it.",
  },
  {
    id: 'rabbitmq.inequivalent_arguments',
    when: { message: /PRECONDITION_FAILED - inequivalent arg '[\w-]+' for (?:queue|exchange)/i },
    category: 'other',
    transient: false,
    rootCause:
      'A queue or exchange is declared with other arguments (type, durability, TTL) than it already exists with, and RabbitMQ refuses to change them.',
    remedies: ['escalate'],
    prevention:
      'Declare each queue in one place; to change its arguments, create a new queue and migrate.',
  },
  {
    id: 'mongoose.buffering_timeout',
    when: { message: /Operation `?[\w.]+\(\)`? buffering timed out after \d+ ?ms/i },
    category: 'database_connection',
    transient: false,
    rootCause:
      'Mongoose queued the operation until a connection existed, and none was made: the app never connected, or the URI, network or access list keeps it from connecting.',
    remedies: ['escalate', 'retry_with_backoff'],
    prevention:
      'Await mongoose.connect() before serving work, and fail start-up when it does not connect.',
  },
  {
    id: 'python.db_driver_missing',
    when: { message: /Error loading (?:psycopg2?|MySQLdb) module: No module named/i },
    category: 'build',
    transient: false,
    rootCause:
      'The database driver the framework is configured for is not installed in the environment.',
    remedies: ['escalate'],
    prevention:
      'List the driver (psycopg2-binary, mysqlclient) in the requirements the image installs.',
  },
  {
    id: 'psycopg2.dll_load_failed',
    when: { message: /Error loading psycopg2 module: DLL load failed/i },
    category: 'deployment',
    transient: false,
    rootCause:
      "psycopg2's compiled library cannot load on this Windows machine: a wheel for another Python build, or libpq's DLLs missing.",
    remedies: ['escalate'],
    prevention: 'Install psycopg2-binary (or psycopg 3) built for the Python version in use.',
  },
  {
    id: 'prisma.env_missing',
    when: {
      message:
        /Environment variable not found: \w+|You must provide a nonempty URL\. The environment variable/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'The Prisma schema reads its datasource URL from an environment variable the process does not have.',
    remedies: ['escalate'],
    prevention:
      'Check required environment variables at start-up, in every environment the job runs in.',
  },
  {
    id: 'prisma.engine_not_found',
    when: {
      message:
        /Prisma Client could not locate the Query Engine|Query engine (?:library|binary) for current platform "[\w.-]+" could not be found/i,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      'The deployed Prisma Client has no query engine for the platform it runs on: generated on another OS or OpenSSL version, or the engine file was left out of the bundle.',
    remedies: ['escalate'],
    prevention:
      'List the production platform in binaryTargets and include the engine file in the deployed bundle.',
  },
]);
