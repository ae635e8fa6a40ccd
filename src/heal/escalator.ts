import { SECOND } from '../core/clock.js';
import { coerceError } from '../core/errors.js';
import type { Job, JobError, Json } from '../core/types.js';
import { redact } from '../patterns/redact.js';

/** What a human is told when a job is dead-lettered. */
export interface Escalation {
  jobId: string;
  jobType: string;
  attempt: number;
  reason: string;
  patternId: string | null;
  category: string | null;
  /** The redacted error message. */
  error: string;
  at: number;
}

/** Options of {@link Escalator}. */
export interface EscalatorOptions {
  /** Called for every escalation; a throw is reported, never fails the job's write. */
  notify?: (escalation: Escalation) => Promise<void> | void;
  /** POSTs each escalation as JSON here, retrying failed deliveries with backoff. */
  webhookUrl?: string;
  /** Deliveries tried per escalation. @default 4 */
  webhookAttempts?: number;
  /** Time one delivery may take. @default 5000 */
  webhookTimeoutMs?: number;
  /** Delay before the second delivery; doubles each time. @default 500 */
  webhookBackoffMs?: number;
  onError?: (error: Error) => void;
}

/**
 * Dead-letter notifications: a user hook and a webhook, delivered off the failure path with
 * retries (any 2xx is delivered; 4xx other than 408/429 is not retried).
 */
export class Escalator {
  readonly #options: EscalatorOptions;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: EscalatorOptions = {}) {
    this.#options = options;
  }

  /** Builds the escalation of a job and sends it in the background. */
  escalate(
    job: Job,
    error: JobError | null,
    reason: string,
    pattern: { id: string; category: string } | undefined,
    now: number,
  ): Escalation {
    const escalation: Escalation = {
      jobId: job.id,
      jobType: job.type,
      attempt: job.attempts,
      reason,
      patternId: pattern?.id ?? null,
      category: pattern?.category ?? null,
      error: redact(error?.message ?? '').slice(0, 2000),
      at: now,
    };
    const sent = this.#send(escalation).finally(() => this.#inFlight.delete(sent));
    this.#inFlight.add(sent);
    return escalation;
  }

  /** Resolves when every notification under way has been delivered or given up. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #send(escalation: Escalation): Promise<void> {
    const { notify, webhookUrl, onError = () => {} } = this.#options;
    if (notify) {
      try {
        await notify(escalation);
      } catch (error) {
        onError(coerceError(error));
      }
    }
    if (webhookUrl) {
      try {
        await this.#deliver(webhookUrl, escalation);
      } catch (error) {
        onError(coerceError(error));
      }
    }
  }

  async #deliver(url: string, escalation: Escalation): Promise<void> {
    const attempts = this.#options.webhookAttempts ?? 4;
    const timeoutMs = this.#options.webhookTimeoutMs ?? 5 * SECOND;
    let delay = this.#options.webhookBackoffMs ?? 500;
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event: 'job.escalated', ...escalation } satisfies Record<
            string,
            Json
          >),
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        if (response.ok) return;
        last = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
      } catch (error) {
        last = coerceError(error).message;
      }
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
    throw new Error(`escalation webhook for job ${escalation.jobId} not delivered: ${last}`);
  }
}
