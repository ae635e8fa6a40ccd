import type { Job } from '../core/types.js';
import type { DurationSample } from '../store/store.js';

interface Running {
  type: string;
  startedAt: number;
  stage: string | null;
  stageStartedAt: number;
  stages: DurationSample[];
}

/** Samples held between flushes; beyond it the oldest are dropped (the newest say the most). */
const MAX_PENDING = 5000;

/**
 * Times this process's own successful attempts and their stages from the engine's events, so the
 * monitor can learn how long a type (and each stage) takes. Failed, lost and released attempts
 * are dropped: a slow threshold is learned from runs that worked.
 */
export class DurationRecorder {
  readonly #running = new Map<string, Running>();
  #pending: DurationSample[] = [];

  started(job: Job, now: number): void {
    this.#running.set(job.id, {
      type: job.type,
      startedAt: now,
      stage: job.stage,
      stageStartedAt: now,
      stages: [],
    });
  }

  progressed(job: Job, stage: string | undefined, now: number): void {
    const run = this.#running.get(job.id);
    if (!run || stage === undefined || stage === run.stage) return;
    this.#closeStage(run, now);
    run.stage = stage;
    run.stageStartedAt = now;
  }

  completed(job: Job, now: number): void {
    const run = this.#running.get(job.id);
    if (!run) return;
    this.#running.delete(job.id);
    this.#closeStage(run, now);
    this.#pending.push(...run.stages, {
      type: run.type,
      stage: '',
      durationMs: now - run.startedAt,
      at: now,
    });
    if (this.#pending.length > MAX_PENDING) this.#pending = this.#pending.slice(-MAX_PENDING);
  }

  /** The attempt ended otherwise (failed, lost, released): nothing to learn from it. */
  dropped(job: Job): void {
    this.#running.delete(job.id);
  }

  /** Hands over the samples gathered since the last call. */
  take(): DurationSample[] {
    const taken = this.#pending;
    this.#pending = [];
    return taken;
  }

  #closeStage(run: Running, now: number): void {
    if (run.stage !== null)
      run.stages.push({
        type: run.type,
        stage: run.stage,
        durationMs: now - run.stageStartedAt,
        at: now,
      });
  }
}
