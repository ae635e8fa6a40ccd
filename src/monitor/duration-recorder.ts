import type { Job } from '../core/types.js';
import type { DurationSample } from '../store/store.js';

interface Running {
  type: string;
  startedAt: number;
  stage: string | null;
  stageStartedAt: number;
  stages: DurationSample[];
}

/**
 * Times this process's own successful attempts and their stages from the engine's events, so the
 * monitor can learn how long a type (and each stage) takes. Failed, lost and released attempts
 * are dropped: a slow threshold is learned from runs that worked.
 */
export class DurationRecorder {
  readonly #running = new Map<string, Running>();
  /** Samples held between flushes, per type and stage (`type\u0000stage`). */
  #pending = new Map<string, DurationSample[]>();
  readonly #kept: number;

  /**
   * @param kept samples kept per type and stage: the store keeps no more, so only the newest
   *   `kept` of a flush matter, and a fast drain holds bounded memory and costs O(1) per job.
   */
  constructor(kept: number) {
    this.#kept = Math.max(1, kept);
  }

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
    for (const sample of run.stages) this.#add(sample);
    this.#add({ type: run.type, stage: '', durationMs: now - run.startedAt, at: now });
  }

  /** The attempt ended otherwise (failed, lost, released): nothing to learn from it. */
  dropped(job: Job): void {
    this.#running.delete(job.id);
  }

  /** Hands over the samples gathered since the last call. */
  take(): DurationSample[] {
    const taken: DurationSample[] = [];
    for (const samples of this.#pending.values()) taken.push(...samples.slice(-this.#kept));
    this.#pending = new Map();
    return taken;
  }

  // Trimmed only when twice the bound, so the copy is paid once per `kept` samples.
  #add(sample: DurationSample): void {
    const key = `${sample.type}\u0000${sample.stage}`;
    let samples = this.#pending.get(key);
    if (!samples) this.#pending.set(key, (samples = []));
    samples.push(sample);
    if (samples.length >= 2 * this.#kept) samples.splice(0, samples.length - this.#kept);
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
