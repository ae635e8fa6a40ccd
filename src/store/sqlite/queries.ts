/**
 * Every runtime statement of the SQLite store, one named constant each, with its parameters.
 * Times are integer milliseconds; JSON columns are text.
 */

const JOBS = 'ai_generation_jobs';

/** 1 while the current attempt has not been charged yet (its handler's start not recorded), else 0. */
/** 1 while the current lease's attempt has not been charged yet (its handler never reported starting). */
export const UNCHARGED = `(CASE WHEN charged_token IS lease_token THEN 0 ELSE 1 END)`;

/** @id @type @payload @priority @runAt @maxAttempts @idempotencyKey @idempotencyExpiresAt @knobs @now */
export const INSERT_JOB = `
INSERT INTO ${JOBS} (id, type, payload, status, priority, run_at, max_attempts, idempotency_key, idempotency_expires_at, knobs, created_at, updated_at)
VALUES (@id, @type, @payload, 'queued', @priority, @runAt, @maxAttempts, @idempotencyKey, @idempotencyExpiresAt, @knobs, @now, @now)
ON CONFLICT (type, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`;

/** Frees an expired idempotency key so that a new job may take it. @type @key @now */
export const EXPIRE_IDEMPOTENCY_KEY = `
UPDATE ${JOBS} SET idempotency_key = NULL
WHERE type = @type AND idempotency_key = @key AND idempotency_expires_at <= @now`;

/** @type @key */
export const GET_JOB_BY_IDEMPOTENCY_KEY = `SELECT * FROM ${JOBS} WHERE type = @type AND idempotency_key = @key`;

/** @id */
export const GET_JOB = `SELECT * FROM ${JOBS} WHERE id = @id`;

/**
 * Claims due jobs of one type, highest priority first, oldest first, walking
 * ai_generation_jobs_claim in order. One statement, so it is atomic; the caller wraps it in
 * BEGIN IMMEDIATE against other processes. Leases are timed by @leaseNow, the store's own clock.
 * @type @owner @leaseMs @limit @now @leaseNow
 */
export const CLAIM_JOBS = `
UPDATE ${JOBS}
SET status = 'running', lease_owner = @owner, lease_expires_at = @leaseNow + @leaseMs,
    lease_token = lease_token + 1, heartbeat_at = @now, started_at = COALESCE(started_at, @now), updated_at = @now,
    progress_at = @now, stage_started_at = @now, attempt_started_at = @now
WHERE rowid IN (
  SELECT rowid FROM ${JOBS} INDEXED BY ai_generation_jobs_claim
  WHERE status = 'queued' AND type = @type AND run_at <= @now
  ORDER BY priority DESC, run_at, rowid
  LIMIT @limit)
RETURNING *`;

/**
 * @id @token @now @leaseMs @stage @progress @started @madeProgress — stage/progress NULL keep the
 * current values; started = 1 charges the attempt (once) because its handler runs, which also
 * starts its clocks; madeProgress = 1 moves progress_at (the monitor's stuck clock), a plain
 * renewal does not.
 */
export const HEARTBEAT = `
UPDATE ${JOBS}
SET lease_expires_at = @leaseNow + @leaseMs, heartbeat_at = @now, updated_at = @now,
    attempts = attempts + CASE WHEN @started = 1 THEN ${UNCHARGED} ELSE 0 END,
    charged_token = CASE WHEN @started = 1 THEN lease_token ELSE charged_token END,
    attempt_started_at = CASE WHEN @started = 1 AND ${UNCHARGED} = 1 THEN @now ELSE attempt_started_at END,
    stage_started_at = CASE WHEN (@started = 1 AND ${UNCHARGED} = 1) OR (@stage IS NOT NULL AND @stage IS NOT stage) THEN @now
      ELSE stage_started_at END,
    progress_at = CASE WHEN @madeProgress = 1 OR (@started = 1 AND ${UNCHARGED} = 1) THEN @now ELSE progress_at END,
    stage = COALESCE(@stage, stage), progress = COALESCE(@progress, progress)
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @error @now — fails a claimed job whose row cannot be read, for good. */
export const QUARANTINE_JOB = `
UPDATE ${JOBS}
SET status = 'failed', last_error = @error, finished_at = @now, updated_at = @now, lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token`;

/** @id @token @data @now */
export const SAVE_CHECKPOINT = `
UPDATE ${JOBS} SET checkpoint = @data, updated_at = @now, progress_at = @now
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @result @knobs (NULL keeps them) @now */
export const COMPLETE_JOB = `
UPDATE ${JOBS}
SET status = 'completed', result = @result, progress = 100, finished_at = @now, updated_at = @now,
    attempts = attempts + ${UNCHARGED},
    lease_owner = NULL, lease_expires_at = NULL, knobs = COALESCE(@knobs, knobs),
    self_healed = CASE WHEN healing_pattern_id IS NULL THEN self_healed ELSE 1 END
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/**
 * @id @token @error @retryAt @now @refund (1 gives the attempt back) @knobs (NULL keeps them)
 * @healingPatternId (NULL keeps it) — retryAt NULL fails the job for good.
 */
export const FAIL_JOB = `
UPDATE ${JOBS}
SET status = CASE WHEN @retryAt IS NULL THEN 'failed' ELSE 'queued' END,
    run_at = COALESCE(@retryAt, run_at),
    finished_at = CASE WHEN @retryAt IS NULL THEN @now ELSE NULL END,
    attempts = attempts + ${UNCHARGED} - @refund, knobs = COALESCE(@knobs, knobs),
    healing_pattern_id = COALESCE(@healingPatternId, healing_pattern_id),
    healing_timestamp = CASE WHEN @healingPatternId IS NULL THEN healing_timestamp ELSE @now END,
    last_error = @error, updated_at = @now, lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @runAt @now — the attempt is given back, so it does not count. */
export const RELEASE_JOB = `
UPDATE ${JOBS}
SET status = 'queued', attempts = attempts - 1 + ${UNCHARGED}, run_at = @runAt, updated_at = @now,
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/**
 * @now — `started` is 0 for a job claimed but never started (a prefetched job of a dead worker).
 * Reads the running part of ai_generation_jobs_leased (`status <> 'queued'` is its WHERE).
 */
export const SELECT_EXPIRED = `
SELECT *, charged_token IS lease_token AS started FROM ${JOBS} INDEXED BY ai_generation_jobs_leased
WHERE status <> 'queued' AND lease_expires_at < @leaseNow AND status = 'running'`;

/** @id @token @error @now — queue again with attempts left, else fail. */
export const EXPIRE_LEASE = `
UPDATE ${JOBS}
SET status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
    run_at = @now, last_error = @error, updated_at = @now,
    finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE @now END,
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'
RETURNING *`;

/** @id @now — bumps the token so the running attempt's writes are refused. */
export const CANCEL_JOB = `
UPDATE ${JOBS}
SET status = 'cancelled', finished_at = @now, updated_at = @now, lease_token = lease_token + 1,
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND status IN ('queued', 'running')`;

/** @jobId @attempt @token @owner @outcome @error @now */
export const INSERT_ATTEMPT = `
INSERT INTO job_attempts (job_id, attempt, lease_token, owner, outcome, error, at)
VALUES (@jobId, @attempt, @token, @owner, @outcome, @error, @now)`;

/** @id @token — the attempt number and owner a fenced write belongs to. */
export const GET_LEASE = `SELECT attempts + ${UNCHARGED} AS attempts, lease_owner FROM ${JOBS} WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @jobId */
export const LIST_ATTEMPTS = `SELECT * FROM job_attempts WHERE job_id = @jobId ORDER BY id`;

/** @leaseNow — milliseconds until the earliest running lease expires (NULL when nothing runs); reads ai_generation_jobs_leased. */
export const NEXT_LEASE_EXPIRY = `
SELECT min(lease_expires_at) - @leaseNow AS in_ms FROM ${JOBS} INDEXED BY ai_generation_jobs_leased
WHERE status <> 'queued' AND lease_expires_at IS NOT NULL AND status = 'running'`;

/** The WHERE clause and named parameters of a job listing or count. */
export function jobFilterWhere(filter: { status?: string; type?: string }): {
  where: string;
  params: Record<string, unknown>;
} {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.status) {
    conditions.push('status = @status');
    params.status = filter.status;
  }
  if (filter.type) {
    conditions.push('type = @type');
    params.type = filter.type;
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
