import { OrchestratorError } from '../core/errors.js';
import type { Healing, Job, Json } from '../core/types.js';
import { assertJson } from '../core/json.js';

/** What a handler gets besides its payload. */
export interface JobContext<K = Record<string, Json>> {
  /** The job's id. */
  readonly id: string;
  /** The job's type. */
  readonly type: string;
  /** This attempt's number, 1-based. */
  readonly attempt: number;
  /** Fires when the lease is lost or revoked (cancel, timeout, shutdown): stop work and return. */
  readonly signal: AbortSignal;
  /** The knob values for this attempt: the declared defaults, overridden by the healer's choices. */
  readonly knobs: Readonly<K>;
  /** The checkpoint an earlier attempt saved, or null. */
  readonly lastCheckpoint: Json | null;
  /** What a healer did after the last failure (action, parameters, pattern), or null. */
  readonly healing: Healing | null;
  /** Marks a stage and its progress (0–100); also renews the lease. */
  stage(name: string, percent?: number): Promise<void>;
  /** Reports progress (0–100) within the current stage; also renews the lease. */
  progress(percent: number): Promise<void>;
  /** Renews the lease without reporting progress. */
  heartbeat(): Promise<void>;
  /** Saves JSON that a later attempt of this job receives as `lastCheckpoint`. */
  checkpoint(data: Json): Promise<void>;
}

/** How a context writes through its worker; each returns false when the lease is no longer held. */
export interface AttemptWriter {
  heartbeat(stage?: string, progress?: number): Promise<boolean>;
  checkpoint(data: Json): Promise<boolean>;
  leaseLost(): void;
}

function checkPercent(percent: number): void {
  if (!(typeof percent === 'number' && percent >= 0 && percent <= 100)) {
    throw new OrchestratorError(
      'ERR_INVALID_ARGUMENT',
      `progress must be a number from 0 to 100, got ${String(percent)}`,
    );
  }
}

// A write refused for a lost lease ends the attempt: the handler's await throws.
function refuse(writer: AttemptWriter, job: Job): never {
  writer.leaseLost();
  throw new OrchestratorError(
    'ERR_STALE_LEASE',
    `job ${job.id} attempt ${job.attempts} no longer holds its lease`,
  );
}

/**
 * Builds the context of one attempt. `knobs` is frozen in place (the caller made it for this
 * attempt). `attempt.signal` is read only when the handler reads `ctx.signal`, so an attempt whose
 * handler never looks at it need not make one.
 */
export function createJobContext(
  job: Job,
  knobs: Record<string, Json>,
  attempt: AttemptWriter & { readonly signal: AbortSignal },
): JobContext {
  return {
    id: job.id,
    type: job.type,
    attempt: job.attempts,
    get signal() {
      return attempt.signal;
    },
    knobs: Object.freeze(knobs),
    lastCheckpoint: job.checkpoint,
    healing: job.lastError?.healing ?? null,
    async stage(name, percent) {
      if (typeof name !== 'string' || name === '')
        throw new OrchestratorError('ERR_INVALID_ARGUMENT', 'stage needs a name');
      if (percent !== undefined) checkPercent(percent);
      if (!(await attempt.heartbeat(name, percent))) refuse(attempt, job);
    },
    async progress(percent) {
      checkPercent(percent);
      if (!(await attempt.heartbeat(undefined, percent))) refuse(attempt, job);
    },
    async heartbeat() {
      if (!(await attempt.heartbeat())) refuse(attempt, job);
    },
    async checkpoint(data) {
      assertJson(data, 'checkpoint');
      if (!(await attempt.checkpoint(data))) refuse(attempt, job);
    },
  };
}
