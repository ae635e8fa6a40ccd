import { SECOND, MINUTE } from '../core/clock.js';
import type { Job, JobError } from '../core/types.js';

/** What a retry policy is asked after a failed attempt. */
export interface RetryContext {
  job: Job;
  error: JobError;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  now: number;
}

/** When to try again: `retryAt` in ms since the epoch, or `null` to fail the job for good. */
export interface RetryDecision {
  retryAt: number | null;
}

/**
 * Decides whether and when a failed job runs again. The default is exponential backoff; the healer
 * replaces it with a decision learned from what fixed the same error before.
 */
export interface RetryPolicy {
  decide(context: RetryContext): RetryDecision | Promise<RetryDecision>;
}

/** Options of {@link ExponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** Delay before the second attempt. @default 1000 */
  initialDelayMs?: number;
  /** Growth per attempt. @default 2 */
  factor?: number;
  /** Cap on the delay. @default 300000 (5 min) */
  maxDelayMs?: number;
  /** Random source in [0, 1), injectable for tests. @default Math.random */
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of many
 * jobs failing together spread out but none comes back at once. Gives up after `maxAttempts`.
 */
export class ExponentialBackoff implements RetryPolicy {
  readonly #initial: number;
  readonly #factor: number;
  readonly #max: number;
  readonly #random: () => number;

  constructor(options: ExponentialBackoffOptions = {}) {
    this.#initial = options.initialDelayMs ?? 1 * SECOND;
    this.#factor = options.factor ?? 2;
    this.#max = options.maxDelayMs ?? 5 * MINUTE;
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the attempt after `attempt`, in ms. */
  delayAfter(attempt: number): number {
    const base = Math.min(this.#max, this.#initial * this.#factor ** Math.max(0, attempt - 1));
    return Math.round(base / 2 + (base / 2) * this.#random());
  }

  decide({ job, attempt, now }: RetryContext): RetryDecision {
    if (attempt >= job.maxAttempts) return { retryAt: null };
    return { retryAt: now + this.delayAfter(attempt) };
  }
}
