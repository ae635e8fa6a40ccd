/**
 * Every runtime statement of the SQLite store, one named constant each, with its parameters.
 * Times are integer milliseconds; JSON columns are text.
 */

const JOBS = 'ai_generation_jobs';

/** @id @type @payload @priority @runAt @maxAttempts @idempotencyKey @knobs @now */
export const INSERT_JOB = `
INSERT INTO ${JOBS} (id, type, payload, status, priority, run_at, max_attempts, idempotency_key, knobs, created_at, updated_at)
VALUES (@id, @type, @payload, 'queued', @priority, @runAt, @maxAttempts, @idempotencyKey, @knobs, @now, @now)
ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING *`;

/** @key */
export const GET_JOB_BY_IDEMPOTENCY_KEY = `SELECT * FROM ${JOBS} WHERE idempotency_key = @key`;

/** @id */
export const GET_JOB = `SELECT * FROM ${JOBS} WHERE id = @id`;

/**
 * Claims due jobs of the given types (a JSON array), highest priority first, oldest first.
 * One statement, so it is atomic; the caller wraps it in BEGIN IMMEDIATE against other processes.
 * @types @owner @leaseMs @limit @now
 */
export const CLAIM_JOBS = `
UPDATE ${JOBS}
SET status = 'running', attempts = attempts + 1, lease_owner = @owner, lease_expires_at = @now + @leaseMs,
    lease_token = lease_token + 1, heartbeat_at = @now, started_at = COALESCE(started_at, @now), updated_at = @now
WHERE rowid IN (
  SELECT rowid FROM ${JOBS} INDEXED BY ai_generation_jobs_due
  WHERE status = 'queued' AND run_at <= @now AND type IN (SELECT value FROM json_each(@types))
  ORDER BY priority DESC, run_at, rowid
  LIMIT @limit)
RETURNING *`;

/** @id @token @now @leaseMs @stage @progress — stage/progress NULL keep the current values. */
export const HEARTBEAT = `
UPDATE ${JOBS}
SET lease_expires_at = @now + @leaseMs, heartbeat_at = @now, updated_at = @now,
    stage = COALESCE(@stage, stage), progress = COALESCE(@progress, progress)
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @data @now */
export const SAVE_CHECKPOINT = `
UPDATE ${JOBS} SET checkpoint = @data, updated_at = @now
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @result @now */
export const COMPLETE_JOB = `
UPDATE ${JOBS}
SET status = 'completed', result = @result, progress = 100, finished_at = @now, updated_at = @now,
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @error @retryAt @now — retryAt NULL fails the job for good. */
export const FAIL_JOB = `
UPDATE ${JOBS}
SET status = CASE WHEN @retryAt IS NULL THEN 'failed' ELSE 'queued' END,
    run_at = COALESCE(@retryAt, run_at),
    finished_at = CASE WHEN @retryAt IS NULL THEN @now ELSE NULL END,
    last_error = @error, updated_at = @now, lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @id @token @runAt @now — the attempt is given back, so it does not count. */
export const RELEASE_JOB = `
UPDATE ${JOBS}
SET status = 'queued', attempts = attempts - 1, run_at = @runAt, updated_at = @now,
    lease_owner = NULL, lease_expires_at = NULL
WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @now */
export const SELECT_EXPIRED = `
SELECT * FROM ${JOBS} INDEXED BY ai_generation_jobs_lease
WHERE status = 'running' AND lease_expires_at < @now`;

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
export const GET_LEASE = `SELECT attempts, lease_owner FROM ${JOBS} WHERE id = @id AND lease_token = @token AND status = 'running'`;

/** @jobId */
export const LIST_ATTEMPTS = `SELECT * FROM job_attempts WHERE job_id = @jobId ORDER BY id`;
