import type { Clock } from '../core/clock.js';
import { OrchestratorError } from '../core/errors.js';
import {
  fireDueSchedules,
  type EnqueueSlot,
  nextSlot,
  scheduleSpec,
  validateSchedule,
  type ScheduleDefinition,
} from '../orchestrator/scheduler.js';
import type { Store } from '../store/store.js';

/**
 * An engine's schedules: declared before `start()`, saved to the store when it starts, then fired
 * every poll interval. Every engine that declares a schedule may fire it; the store lets each slot
 * run once.
 */
export class EngineSchedules {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #enqueue: EnqueueSlot;
  readonly #definitions = new Map<string, ScheduleDefinition>();
  #timer: NodeJS.Timeout | undefined;
  #firing: Promise<unknown> = Promise.resolve();

  constructor(store: Store, clock: Clock, enqueue: EnqueueSlot) {
    this.#store = store;
    this.#clock = clock;
    this.#enqueue = enqueue;
  }

  /** Checks and keeps a schedule until the engine starts. */
  declare(name: string, definition: ScheduleDefinition): void {
    validateSchedule(name, definition, this.#clock.now());
    this.#definitions.set(name, definition);
  }

  /** Enqueues the jobs of every due schedule, one round at a time; resolves with how many. */
  runDue(): Promise<number> {
    const run = this.#firing.then(() => fireDueSchedules(this.#store, this.#clock, this.#enqueue));
    this.#firing = run.catch(() => {});
    return run;
  }

  /** Saves the schedules (each type must be defined here) and fires them every `intervalMs`. */
  async start(
    defined: (type: string) => boolean,
    intervalMs: number,
    onError: (error: unknown) => void,
  ): Promise<void> {
    if (this.#definitions.size === 0) return;
    const now = this.#clock.now();
    for (const [name, definition] of this.#definitions) {
      if (!defined(definition.type))
        throw new OrchestratorError(
          'ERR_UNKNOWN_JOB_TYPE',
          `schedule "${name}": job type "${definition.type}" is not defined`,
        );
    }
    await this.#store.saveSchedules(
      [...this.#definitions].map(([name, definition]) => {
        const spec = scheduleSpec(definition);
        return { name, type: definition.type, spec, nextRunAt: nextSlot(spec, now, now) };
      }),
      now,
    );
    this.#timer = setInterval(() => void this.runDue().catch(onError), intervalMs);
    this.#timer.unref();
  }

  /** Stops firing and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#firing;
  }
}
