import { defineRules } from './rule.js';

/**
 * What task runners and their schedulers say when a job cannot run (Celery, Airflow, RQ, Active
 * Job and Sidekiq, Nomad, Kubernetes admission): a task the worker does not know, arguments it
 * cannot read back, a worker process killed under it, no node to place it on.
 */
export const WORKER_RULES = defineRules([
  {
    id: 'airflow.dag_not_found',
    when: { message: /dag_id could not be found|Dag '[^']*' could not be found/i },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'The Airflow worker could not load the DAG the task belongs to: its file is missing on the worker (not synced or mounted) or failed to parse there.',
    remedies: ['escalate'],
    prevention:
      'Ship DAG files to the workers with the same image or volume as the scheduler, and test that they import there.',
  },
  {
    id: 'ruby.uninitialized_constant',
    when: { message: /uninitialized constant [\w:]+/ },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'The worker has no class of that name: a job enqueued by other code than the worker runs (a renamed or removed job class, a deploy in between), or a missing require.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Keep a job class until its queued jobs are drained, and deploy workers with the code that enqueues.',
  },
  {
    id: 'activejob.deserialization',
    when: {
      message: /ActiveJob::DeserializationError|Error while trying to deserialize arguments/i,
    },
    category: 'other',
    transient: false,
    rootCause:
      'A record the job was enqueued with no longer exists (deleted before the job ran), so its arguments cannot be loaded.',
    remedies: ['fail_fast', 'escalate'],
    prevention:
      'Discard such jobs (discard_on ActiveJob::DeserializationError), or pass ids and handle a missing record.',
  },
  {
    id: 'celery.content_disallowed',
    when: { message: /\bContentDisallowed\b|Refusing to deserialize untrusted content of type/ },
    category: 'other',
    transient: false,
    rootCause:
      "The message's serializer (often pickle) is not in the worker's accept_content list: producer and worker disagree on serialization.",
    remedies: ['escalate'],
    prevention: 'Set the same task_serializer and accept_content on every producer and worker.',
  },
  {
    id: 'python.not_json_serializable',
    when: { message: /Object of type [\w.]+ is not JSON serializable/ },
    category: 'other',
    transient: false,
    rootCause:
      'A task argument or result is an object JSON cannot encode (a model instance, an ObjectId, a datetime without a converter).',
    remedies: ['fail_fast', 'escalate'],
    prevention: 'Pass ids and plain values to tasks, and encode the rest explicitly.',
  },
  {
    id: 'celery.windows_prefork',
    when: {
      message:
        /Can't pickle local object 'Pool\.__init__\.<locals>\.Process'|Can't pickle <class 'billiard\.pool\.Pool/,
    },
    category: 'deployment',
    transient: false,
    rootCause:
      "Celery's prefork pool needs fork(), which Windows lacks: the worker cannot start its processes there.",
    remedies: ['escalate'],
    prevention: 'Run workers on Linux, or with the solo or threads pool on Windows.',
  },
  {
    id: 'celery.broker_connection_lost',
    when: { message: /consumer: Connection to broker lost/i },
    category: 'network',
    transient: true,
    rootCause:
      'The worker lost its connection to the broker (a restart, a proxy or cloud idle timeout) and is re-establishing it.',
    remedies: ['reconnect', 'retry_with_backoff'],
    prevention:
      "Enable broker heartbeats and keep-alives below the network's idle timeout, and acknowledge tasks late so lost ones are redelivered.",
  },
  {
    id: 'rq.work_horse_killed',
    when: {
      message: /Work-horse (?:process )?(?:was )?terminated unexpectedly|Killed horse pid \d+/i,
    },
    // A runner lost its job process, as celery.worker_lost is.
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      "RQ's work horse (the forked process running the job) was killed, almost always by the out-of-memory killer.",
    remedies: ['increase_memory', 'reduce_batch_size'],
    prevention: "Measure the job's peak memory and size the worker's limit to it.",
  },
  {
    id: 'grpc.message_too_large',
    when: { message: /grpc: (?:received|trying to send) message larger than max/i },
    category: 'other',
    transient: false,
    rootCause:
      'A gRPC message is larger than the receiving side accepts (4 MB by default): a payload or history that grew past the limit.',
    remedies: ['escalate', 'reduce_batch_size'],
    prevention:
      'Keep payloads small (store blobs elsewhere and pass references), or raise the limit on both ends.',
  },
  {
    id: 'k8s.default_service_account_pending',
    when: {
      message:
        /serviceaccount "default" not found|service account [\w.-]+\/default was not found, retry after/i,
    },
    category: 'deployment',
    transient: true,
    rootCause:
      'The namespace was just created and its controller has not made the default service account yet, so pods are refused for a few seconds.',
    remedies: ['retry_with_backoff'],
    prevention:
      'Wait for the default service account after creating a namespace before creating pods in it.',
  },
  {
    id: 'nomad.placement_failed',
    when: { message: /Failed to place all allocations|failed to find a node for placement/i },
    category: 'resource',
    transient: false,
    rootCause:
      'No client node has the free resources (memory, CPU, devices) or the constraints the task group asks for.',
    remedies: ['escalate'],
    prevention: 'Size resource asks to the nodes, and alert when cluster headroom runs low.',
  },
  {
    id: 'redis.unknown_command',
    when: { message: /ERR unknown command '\w+'|Redis version needs to be greater than/i },
    category: 'deployment',
    transient: false,
    rootCause:
      'The Redis server does not have a command the client library uses: the server is older than the library needs, or a managed service disables the command.',
    remedies: ['escalate'],
    prevention: "Check the server's version against the queue library's requirement at start-up.",
  },
]);
