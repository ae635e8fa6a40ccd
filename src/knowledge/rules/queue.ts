import { defineRules } from './rule.js';

/** Job-queue and orchestrator errors: stalls, lost leases, timeouts, synthetic monitor findings. */
export const QUEUE_RULES = defineRules([
  {
    id: 'bullmq.stalled_limit',
    when: { message: /job stalled more than allowable limit/i },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'The worker stopped renewing the job lock more than maxStalledCount times: it crashed, or CPU-bound work blocked the event loop.',
    remedies: ['resume_from_checkpoint', 'reduce_concurrency', 'restart_job'],
    prevention:
      'Keep the event loop free (move CPU work to worker threads or sandboxed processors) and checkpoint long jobs.',
  },
  {
    id: 'bullmq.missing_lock',
    when: { message: /Missing lock for job/i },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'The worker finished a job whose lock had already expired and been taken over, because the lock was not renewed in time.',
    remedies: ['restart_job', 'increase_timeout', 'reduce_concurrency'],
    prevention:
      'Keep lockDuration well above the longest event-loop stall and avoid blocking the worker process.',
  },
  {
    id: 'megamind.lease_lost',
    when: { codes: ['ERR_LEASE_LOST', 'ERR_STALE_LEASE'] },
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      "The worker's lease on the job expired or was revoked (missed heartbeats), and another attempt owns the job now.",
    remedies: ['resume_from_checkpoint', 'restart_job', 'increase_timeout'],
    prevention:
      'Heartbeat more often than the lease length and keep the event loop free during long stages.',
  },
  {
    id: 'megamind.job_timeout',
    when: { codes: ['ERR_JOB_TIMEOUT'] },
    perJobType: true,
    category: 'timeout',
    transient: true,
    rootCause: 'The job ran past its timeoutMs knob.',
    remedies: ['increase_timeout', 'resume_from_checkpoint', 'reduce_batch_size'],
    prevention:
      'Set expectedDurationMs and timeoutMs from observed runs and checkpoint long stages.',
  },
  {
    id: 'megamind.shutdown',
    when: { codes: ['ERR_SHUTDOWN'] },
    category: 'orchestrator_failed',
    transient: true,
    rootCause: 'The worker was shutting down while the job ran.',
    remedies: ['retry', 'resume_from_checkpoint'],
    prevention: 'Drain workers before deploys so running jobs finish or checkpoint first.',
  },
  {
    id: 'megamind.job_cancelled',
    when: { codes: ['ERR_JOB_CANCELLED'] },
    category: 'orchestrator_failed',
    transient: false,
    rootCause: 'Someone cancelled the job on purpose.',
    remedies: ['fail_fast'],
    prevention: 'None needed; cancellation is intended.',
  },
  {
    id: 'orchestrator.stuck',
    when: [
      { codes: ['stuck', 'job_stuck', 'ERR_JOB_STUCK'] },
      { message: /\b(?:job|task)\b[^.\n]*\bstuck\b|\bno progress (?:for|in|since)\b/i },
    ],
    category: 'orchestrator_stuck',
    transient: true,
    rootCause:
      'The job has not reported progress or a heartbeat for longer than stuckAfterMs: its handler waits on something that never answers.',
    remedies: ['resume_from_checkpoint', 'restart_job', 'increase_timeout', 'escalate'],
    prevention:
      'Put timeouts on every external call in the stage and report progress inside long loops.',
  },
  {
    id: 'orchestrator.slow',
    when: [
      { codes: ['slow', 'job_slow', 'ERR_JOB_SLOW'] },
      {
        message:
          /\b(?:running|ran|took|taking) (?:much )?longer than expected\b|exceeded (?:its )?expected duration/i,
      },
    ],
    category: 'orchestrator_slow',
    transient: true,
    rootCause:
      'The job progresses, but far slower than its expected duration: a slow dependency or more data than usual.',
    remedies: ['reduce_batch_size', 'switch_model', 'increase_timeout'],
    prevention: 'Track stage durations and alert on the dependency whose latency grew.',
  },
  {
    id: 'kafka.commit_failed',
    when: [
      { names: ['CommitFailedException', 'CommitFailedError'] },
      { message: /Commit cannot be completed since the group has already rebalanced/i },
    ],
    category: 'orchestrator_stuck',
    transient: false,
    rootCause:
      'The consumer took longer than max.poll.interval.ms between polls, so the group rebalanced its partitions away before it committed.',
    remedies: ['reduce_batch_size', 'increase_timeout', 'escalate'],
    prevention: 'Process fewer records per poll (max.poll.records) or allow longer between polls.',
  },
  {
    id: 'bullmq.max_retries_per_request',
    when: { message: /maxRetriesPerRequest must be null/i },
    category: 'other',
    transient: false,
    rootCause:
      "The ioredis connection given to a BullMQ worker keeps the default maxRetriesPerRequest, which a worker's blocking commands forbid.",
    remedies: ['escalate'],
    prevention: "Create the worker's ioredis connection with maxRetriesPerRequest: null.",
  },
  {
    id: 'hangfire.distributed_lock_timeout',
    when: {
      message:
        /DistributedLockTimeoutException|timeout elapsed prior to obtaining a distributed lock/i,
    },
    category: 'orchestrator_failed',
    transient: true,
    rootCause:
      'The job waited for a distributed lock held by another run of the same job (DisableConcurrentExecution, a concurrency limit) that outlasted the lock timeout.',
    remedies: ['retry_with_backoff', 'increase_timeout'],
    prevention:
      "Make the lock timeout longer than the job's longest run, or keep runs from overlapping.",
  },
]);
