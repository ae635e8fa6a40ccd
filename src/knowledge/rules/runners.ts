import { defineRules } from './rule.js';

/** Job runners other than ours (Celery, Airflow, Temporal) and test runners and browsers. */
export const RUNNER_RULES = defineRules([
  {
    id: 'celery.worker_lost',
    when: [
      { names: ['WorkerLostError'] },
      { message: /WorkerLostError|Worker exited prematurely/ },
    ],
    category: 'orchestrator_failed',
    // The same task on the same worker meets the same memory limit again.
    transient: false,
    rootCause:
      'The Celery pool process running the task died (usually SIGKILL from the out-of-memory killer) before it reported a result.',
    remedies: ['increase_memory', 'restart_job', 'escalate'],
    prevention:
      'Bound the memory of a task (smaller batches, max_memory_per_child) and make tasks idempotent with acks_late.',
  },
  {
    id: 'celery.time_limit_exceeded',
    when: [
      { names: ['SoftTimeLimitExceeded', 'TimeLimitExceeded'] },
      {
        message:
          /SoftTimeLimitExceeded|\bTimeLimitExceeded\b|(?:Hard|Soft) time limit \(\S+\) exceeded for/,
      },
    ],
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      'The task ran past its Celery time limit (task_time_limit / task_soft_time_limit): its work outgrew the limit, so the same run would hit it again.',
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention:
      'Set time limits per task from measured durations, split long tasks, and handle SoftTimeLimitExceeded to save progress.',
  },
  {
    id: 'airflow.task_sigterm',
    when: { message: /Task received SIGTERM signal|Received SIGTERM\. Terminating subprocesses/ },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      "The scheduler or the platform stopped the task from outside: the pod was evicted, the task's state was changed externally, or a heartbeat was missed.",
    remedies: ['restart_job', 'resume_from_checkpoint', 'escalate'],
    prevention:
      'Give task pods stable resources, and make tasks resumable so a termination loses little.',
  },
  {
    id: 'temporal.heartbeat_timeout',
    when: [
      { codes: ['TIMEOUT_TYPE_HEARTBEAT'] },
      { message: /activity Heartbeat timeout|TIMEOUT_TYPE_HEARTBEAT/i },
    ],
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'The activity stopped heartbeating within its heartbeat timeout: the worker died, hung, or blocked its event loop.',
    remedies: ['resume_from_checkpoint', 'restart_job', 'increase_timeout'],
    prevention:
      'Heartbeat from a loop that cannot be starved, with progress details to resume from.',
  },
  {
    id: 'puppeteer.navigation_timeout',
    // Playwright words the same wait as the call that timed out: `page.goto: Timeout 30000ms exceeded`.
    when: {
      message:
        /Navigation [Tt]imeout (?:of \d+ ?ms )?[Ee]xceeded|[Pp]age\.goto: Timeout \d+ ?ms exceeded|Navigation took more than \d+ ?ms/,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'The page did not reach the awaited load state within the navigation timeout: a slow site, a blocked request, or a bot wall.',
    remedies: ['increase_timeout', 'retry_with_backoff', 'reduce_concurrency'],
    prevention:
      "Wait for 'domcontentloaded' or a selector instead of network idle, and set the timeout from measured load times.",
  },
  {
    id: 'jest.test_timeout',
    when: { message: /Exceeded timeout of \d+ ?ms for a (?:test|hook)/ },
    category: 'timeout',
    transient: false,
    rootCause:
      'A test did not finish within its timeout: an awaited promise never settles (fake timers, open handles) or it is genuinely slow.',
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      'Await every promise the test starts, restore real timers, and give slow integration tests their own timeout.',
  },
  {
    id: 'celery.unregistered_task',
    when: {
      message:
        /Received unregistered task of type|celery\/worker\/consumer\/consumer\.py"?, line \d+, in on_task_received/i,
    },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'The worker does not know the task name it was sent: the task module is not imported by the worker (include / autodiscover), or the sender and worker run different code.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'List task modules in the app (include=… or autodiscover_tasks) and deploy workers together with the code that sends to them.',
  },
  {
    id: 'rq.job_timeout',
    when: {
      message:
        /Job exceeded maximum timeout(?: value)? \(\d+ seconds\)|rq\/timeouts\.py"?, line \d+, in handle_death_penalty|\bJobTimeoutException\b/i,
    },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      "The RQ job ran past its job_timeout and the work horse was killed: the job's work outgrew the limit.",
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention: 'Set job_timeout per job from measured durations and split long jobs.',
  },
  {
    id: 'ci.max_execution_time',
    when: {
      message:
        /job (?:has )?exceeded the maximum (?:execution time|time limit for jobs)|has exceeded the maximum execution time of|ran longer than\s+the maximum time of \d+ minutes|exceeded the maximum allowed time of/i,
    },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      "The CI job ran past the runner's or workflow's maximum time (GitHub Actions' 6 hours, a timeout-minutes setting) and was cancelled.",
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention:
      'Split the job (matrix, shards), cache dependencies, and set timeout-minutes from measured durations.',
  },
  {
    id: 'gunicorn.worker_timeout',
    when: { message: /\[CRITICAL\] WORKER TIMEOUT \(pid:\s*\d+\)/ },
    // The master then kills the worker with SIGKILL, which the generic OOM reading would claim.
    priority: 1,
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'A gunicorn worker did not answer the master within --timeout (a slow request or a blocking call), so the master killed it.',
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      'Raise --timeout for slow endpoints or move slow work to a background job; use async workers for I/O.',
  },
  {
    id: 'delayed_job.worker_timeout',
    when: { message: /Delayed::WorkerTimeout|execution expired \(Delayed::Worker\.max_run_time/i },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      'The job ran past Delayed::Worker.max_run_time and was stopped: its work outgrew the limit.',
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention:
      'Set max_run_time from measured durations (per job with max_run_time), and split long jobs.',
  },
  {
    id: 'temporal.nondeterminism',
    when: {
      message:
        /nondeterministic workflow|DeterminismViolationError|Replay failed with a nondeterminism error|\bTMPRL1100\b|\[TMPRL1100\]/i,
    },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      "The workflow's code changed in a way that replaying its history no longer reproduces (a step added, removed or reordered without versioning).",
    remedies: ['escalate', 'fail_fast'],
    prevention:
      'Version workflow changes (patched / getVersion) and replay production histories in CI before deploying.',
  },
  {
    id: 'temporal.deadlock_detector',
    when: {
      message:
        /workflow goroutine "[^"]*" didn't yield for over a second|PotentialDeadlockError|\bTMPRL1101\b|Potential deadlock detected/i,
    },
    // Worded "deadlock detected", which the PostgreSQL rule would claim.
    priority: 2,
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'Workflow code blocked the workflow thread (a blocking call, a busy loop, a mutex) for over a second, so the SDK stopped it as deadlocked.',
    remedies: ['escalate', 'fail_fast'],
    prevention:
      "Keep blocking work in activities; in workflow code use only the SDK's timers, channels and futures.",
  },
  {
    id: 'rabbitmq.consumer_ack_timeout',
    when: {
      message:
        /delivery acknowledgement on channel \d+ timed out|consumer ack timed out on channel \d+/i,
    },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      "A consumer held a message longer than RabbitMQ's consumer_timeout (30 minutes by default) without acknowledging it, so the broker closed its channel.",
    remedies: ['increase_timeout', 'reduce_batch_size', 'escalate'],
    prevention:
      'Acknowledge before long work or raise consumer_timeout for that queue; keep prefetch low for slow tasks.',
  },
  {
    id: 'k8s.cronjob_missed_starts',
    when: { message: /too many missed start times?(?: \(> ?100\))?/i },
    category: 'orchestrator_stuck',
    transient: false,
    rootCause:
      'The CronJob controller missed more than 100 schedules (the controller or the cluster was down, or concurrencyPolicy held runs) and stopped starting the job.',
    remedies: ['escalate'],
    prevention:
      'Set startingDeadlineSeconds on the CronJob so missed starts older than it are not counted.',
  },
  {
    id: 'dask.killed_worker',
    when: { message: /distributed\.scheduler\.KilledWorker|\bKilledWorker: \(/ },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'Dask gave up on a task after the workers running it died several times (allowed-failures), almost always from running out of memory.',
    remedies: ['increase_memory', 'reduce_batch_size', 'escalate'],
    prevention:
      'Size partitions to fit worker memory and give workers a memory limit with spilling.',
  },
  {
    id: 'heroku.exit_timeout',
    when: { message: /Error R12 \(Exit timeout\)/i },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      'A process did not exit within the grace period after SIGTERM (a restart or deploy), so the platform killed it with its work unfinished.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention:
      'Stop taking work on SIGTERM, finish or checkpoint within the grace period, and make jobs safe to run again.',
  },
  {
    id: 'ansible.become_timeout',
    when: { message: /Timeout \(\d+s\) waiting for privilege escalation prompt/i },
    category: 'timeout',
    transient: false,
    rootCause:
      'Ansible did not see the sudo/become prompt within its timeout: a slow host, a changed prompt, or a password it was not given.',
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      'Raise the become timeout for slow hosts and configure passwordless sudo for the automation user.',
  },
  {
    id: 'gradle.cache_lock_timeout',
    when: {
      message:
        /Timeout waiting to lock (?:file hash cache|journal cache|build cache|[\w ]+cache)\b/i,
    },
    category: 'timeout',
    transient: true,
    rootCause:
      'Another Gradle process (a daemon or a parallel build) holds the cache lock longer than Gradle waits.',
    remedies: ['reduce_concurrency', 'retry_with_backoff'],
    prevention:
      'Give concurrent builds separate GRADLE_USER_HOME directories, and stop stale daemons.',
  },
  {
    id: 'apscheduler.missed_run',
    when: { message: /Run time of job "[^"]*" was missed by/i },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      'The scheduler could not start a run within misfire_grace_time (it was busy or down), so the run was skipped.',
    remedies: ['escalate'],
    prevention:
      "Give the job a misfire_grace_time and coalesce, and keep the scheduler's executor free.",
  },
  {
    id: 'apscheduler.max_instances',
    when: { message: /skipped: maximum number of running instances reached/i },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      'A run was skipped because the previous run of the job was still going (max_instances).',
    remedies: ['increase_timeout', 'escalate'],
    prevention: 'Make runs shorter than the interval, or allow more instances if runs may overlap.',
  },
  {
    id: 'laravel.max_attempts',
    when: {
      message: /MaxAttemptsExceededException|has been attempted too many times or run too long/i,
    },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      "A Laravel job ran longer than the queue's retry_after (or its timeout), so it was released again until its attempts ran out.",
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      "Keep a job's timeout below the connection's retry_after, and both above its real run time.",
  },
  {
    id: 'airflow.killed_externally',
    when: {
      message:
        /Executor reports task instance [^\n]* finished \(\w+\) although the task says (?:its|it's) \w+/i,
    },
    category: 'orchestrator_failed',
    transient: false,
    rootCause:
      'The executor lost the task (the worker died, was evicted, or the queue and the scheduler disagree).',
    remedies: ['restart_job', 'escalate'],
    prevention:
      'Give workers memory headroom and matching visibility timeouts, and watch for evictions.',
  },
  {
    id: 'ray.node_dead',
    when: { message: /has been marked dead because the detector has missed too many heartbeats/i },
    category: 'orchestrator_stuck',
    transient: false,
    rootCause:
      'A Ray node stopped answering heartbeats (crashed, out of memory, or preempted) and its tasks were lost.',
    remedies: ['restart_job', 'increase_memory', 'escalate'],
    prevention: 'Give nodes memory headroom and raise the heartbeat timeout for busy nodes.',
  },
  {
    id: 'ci.no_output_timeout',
    when: { message: /Too long with no output \(exceeded [\dhms]+\)/i },
    category: 'timeout',
    transient: false,
    rootCause: 'A CI step printed nothing for longer than the no-output timeout and was stopped.',
    remedies: ['increase_timeout', 'escalate'],
    prevention: 'Print progress from long steps or raise no_output_timeout for them.',
  },
  {
    id: 'cloud.spot_interruption',
    when: {
      message:
        /Host EC2 Terminated|Your Spot Task was interrupted|Spot interruption|Instance was preempted|preempted by the cloud provider/i,
    },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      'The machine running the job was reclaimed by the cloud provider (spot or preemptible capacity).',
    remedies: ['restart_job', 'resume_from_checkpoint', 'retry_with_backoff'],
    prevention: 'Checkpoint long jobs and run them where reclaiming is rare or handled.',
  },
  {
    id: 'sqs.receipt_handle_expired',
    when: {
      message:
        /The receipt handle has expired|ReceiptHandleIsInvalid|Value \S+ for parameter ReceiptHandle is invalid/i,
    },
    category: 'orchestrator_slow',
    transient: false,
    rootCause:
      "Processing outlasted the message's visibility timeout, so its receipt handle expired and the message went back to the queue.",
    remedies: ['increase_timeout', 'escalate'],
    prevention: 'Set the visibility timeout above the processing time, or extend it while working.',
  },
  {
    id: 'heroku.router_timeout',
    when: { message: /code=H12 desc="Request timeout"|\bH12 \(Request timeout\)/i },
    category: 'timeout',
    transient: false,
    rootCause:
      "Heroku's router gave up on a web request after 30 seconds: the app's work for that request takes too long.",
    remedies: ['escalate'],
    prevention: 'Move slow work out of the request into a background job and answer at once.',
  },
  {
    id: 'airflow.dagbag_import_timeout',
    when: {
      message:
        /Broken DAG: \[[^\]]+\] Timeout|DagBag import timeout|Process timed out, PID: \d+[\s\S]{0,160}Failed to import/i,
    },
    category: 'timeout',
    transient: false,
    rootCause:
      "Parsing the DAG file took longer than Airflow's dagbag_import_timeout, so the import was killed and the DAG marked broken.",
    remedies: ['increase_timeout', 'escalate'],
    prevention:
      'Keep top-level DAG code light (no network calls or heavy imports at parse time), or raise dagbag_import_timeout.',
  },
  {
    id: 'ci.no_runner_available',
    when: { message: /Waiting for a runner to pick up this job/i },
    category: 'orchestrator_stuck',
    // Collections disagree: a spot runner that came later (13), labels no runner serves (26).
    // Waiting once more loses nothing where a person is needed; failing would lose a job.
    transient: true,
    rootCause:
      'No runner has picked the CI job up: none serves the labels it asks for (a retired image such as ubuntu-18.04, a misspelled label, no self-hosted runner online), or the runner pool is out of capacity for now.',
    remedies: ['retry_with_backoff', 'escalate'],
    prevention: 'Use runner labels that exist, and alert on jobs queued longer than a few minutes.',
  },
]);
