import { coerceError } from '../core/errors.js';
import type { Job, JobError, Pattern } from '../core/types.js';
import { redact } from '../patterns/redact.js';
import type { HealStore, Improvement } from '../store/heal-store.js';
import type { HealerServices } from './healer-services.js';
import type { JobTypeCache } from './job-type-cache.js';
import type { OutcomeLedger } from './learner/outcome-ledger.js';

/**
 * Where a heal's outcome is learned from the job's next attempt: completed → validated and
 * counted a success; the same pattern again → failed and counted a failure; another error →
 * "changed", neither credited nor blamed. A fixer's change is kept only if that attempt passes.
 */
export class HealOutcomes {
  readonly #store: HealStore;
  readonly #ledger: OutcomeLedger;
  readonly #services: HealerServices;
  readonly #types: JobTypeCache;
  readonly #onOutcome: (improvement: Improvement) => void;
  readonly #onError: (error: Error) => void;
  /** Undo functions of fixers whose change awaits the job's next attempt, by job id. */
  readonly #reverts = new Map<string, () => Promise<void>>();
  /**
   * What waits on the write of each failure decision, keyed by the decision the worker holds: the
   * heal it logged (closed if the write is refused) and the notice it sends once written.
   */
  readonly #unwritten = new WeakMap<object, { improvementId: string | null; notify: () => void }>();

  constructor(deps: {
    store: HealStore;
    ledger: OutcomeLedger;
    services: HealerServices;
    types: JobTypeCache;
    onOutcome: (improvement: Improvement) => void;
    onError: (error: Error) => void;
  }) {
    this.#store = deps.store;
    this.#ledger = deps.ledger;
    this.#services = deps.services;
    this.#types = deps.types;
    this.#onOutcome = deps.onOutcome;
    this.#onError = deps.onError;
  }

  /** Keeps a fixer's undo until the job's next attempt decides. */
  awaitRerun(jobId: string, revert: () => Promise<void>): void {
    this.#reverts.set(jobId, revert);
  }

  /**
   * A job completed: settles its pending heals as validated, counts the successes, and lets
   * breakers close and concurrency limits grow back.
   */
  async completed(job: Job, now: number): Promise<void> {
    const jobType = this.#types.peek(job.type);
    for (const resource of jobType?.resources ?? [])
      await this.#services.breakers.succeeded(resource, now);
    if (job.healingPatternId === null) return;
    this.#reverts.delete(job.id);
    const settled = await this.#store.settleImprovements(
      {
        jobId: job.id,
        outcome: 'success',
        afterMetrics: { attempt: job.attempts, completedAt: now, progress: 100 },
      },
      now,
    );
    for (const improvement of settled) {
      await this.#count(improvement, true, now);
      const { knob, to, resource } = improvement.changesApplied;
      if (improvement.action === 'reduce_concurrency' && jobType) {
        if (typeof resource === 'string')
          await this.#services.limits.increase(jobType.type, resource, now);
      } else if (typeof knob === 'string' && to !== undefined) {
        // A knob setting that healed the type's jobs becomes where its next jobs start.
        const heal = { knob, value: to, patternId: improvement.patternId, jobId: job.id };
        await this.#services.knobs.validated(job.type, heal, now);
      }
    }
  }

  /** Settles the job's pending heal by this failure and returns its heal history, newest first. */
  async failed(job: Job, pattern: Pattern, error: JobError, now: number): Promise<Improvement[]> {
    if (job.healingPatternId === null) return [];
    const samePattern = job.healingPatternId === pattern.id;
    const settled = await this.#store.settleImprovements(
      {
        jobId: job.id,
        outcome: samePattern ? 'failure' : 'changed',
        afterMetrics: {
          attempt: job.attempts,
          patternId: pattern.id,
          error: redact(error.message).slice(0, 500),
        },
      },
      now,
    );
    for (const improvement of settled) {
      // A different error means the remedy got past the first one: it is neither credited nor blamed.
      if (improvement.outcome === 'failure') await this.#count(improvement, false, now);
      else this.#onOutcome(improvement);
    }
    await this.#revert(job.id);
    return this.#store.listImprovements({ jobId: job.id, limit: 1000 });
  }

  /**
   * The job's pending heal will not be followed by the attempt it planned (the job moved on, or
   * an operator replaced it): it is settled without a verdict, and a fixer's change undone.
   */
  async abandoned(
    jobId: string,
    why: 'abandoned' | 'changed',
    reason: string,
    now: number,
    id?: string,
  ): Promise<void> {
    const settled = await this.#store.settleImprovements(
      { jobId, ...(id === undefined ? {} : { id }), outcome: why, afterMetrics: { reason } },
      now,
    );
    for (const improvement of settled) this.#onOutcome(improvement);
    await this.#revert(jobId);
  }

  /**
   * Remembers what a failure decision awaits from its write: the heal it logged, to close if the
   * write is refused, and `notify` (an escalation's notice), to send once it is written.
   */
  decided(decision: object, improvementId: string | null, notify: () => void): void {
    this.#unwritten.set(decision, { improvementId, notify });
  }

  /** The failure write of `decision` landed: its notice goes out now, not before it happened. */
  written(decision: object): void {
    const waiting = this.#unwritten.get(decision);
    this.#unwritten.delete(decision);
    waiting?.notify();
  }

  /**
   * The failure write of `decision` was refused (its attempt had lost the job): the heal it logged
   * will never be validated by a next attempt, so it is closed as abandoned, and nobody is told of
   * an escalation that did not happen.
   */
  async refused(jobId: string, decision: object, now: number): Promise<void> {
    const id = this.#unwritten.get(decision)?.improvementId;
    this.#unwritten.delete(decision);
    if (id === undefined || id === null) return;
    const reason = 'the attempt had lost its lease; its failure was not written';
    await this.abandoned(jobId, 'abandoned', reason, now, id);
  }

  async #revert(jobId: string): Promise<void> {
    // A fixer's change stands only if the run after it passes.
    const revert = this.#reverts.get(jobId);
    if (!revert) return;
    this.#reverts.delete(jobId);
    await revert().catch((thrown: unknown) => this.#onError(coerceError(thrown)));
  }

  async #count(improvement: Improvement, success: boolean, now: number): Promise<void> {
    if (await this.#ledger.count(improvement, success, now)) this.#onOutcome(improvement);
  }
}
