import { HOUR, SECOND } from '../../core/clock.js';
import type { Json } from '../../core/types.js';
import type { StateStore } from '../../core/state-store.js';

/** Options of {@link LearnedKnobs}. */
export interface LearnedKnobsOptions {
  /**
   * Distinct jobs of a type a knob value must have healed (the job's next attempt completed)
   * before new jobs of the type start with it: once is an incident, twice is the type's need.
   * @default 2
   */
  after?: number;
  /**
   * How long an adopted value stands without being validated again. When it lapses, jobs start
   * from the declared default; if the fault is still there the first one is healed straight to
   * the learned value and the value is adopted again. @default 24 hours
   */
  ttlMs?: number;
  /** How often a type's learned values are re-read, to see other processes' adoptions. @default 5000 */
  refreshMs?: number;
}

/** What a job type learned about one knob. */
interface KnobRecord {
  /** The value new jobs start with, while it stands. */
  adopted?: { value: Json; patternId: string | null; until: number };
  /** Values that healed, each with the jobs it healed (at most `after`). */
  candidates: { value: Json; patternId: string | null; jobs: string[] }[];
}

type TypeRecord = Record<string, KnobRecord>;

/** Values kept per knob while none is adopted: a knob stepped through more is not learning one value. */
const MAX_CANDIDATES = 4;

/**
 * Knob values learned per job type from validated knob heals, so the next job of the type starts
 * with the setting that healed its predecessors instead of failing once more to be healed: the
 * same slow endpoint or oversized batch costs one learning episode, not a failure per job. Kept in
 * the store's engine state so every process starts jobs the same way; a job's own knob values
 * (set at enqueue or by a heal) always win.
 */
export class LearnedKnobs {
  readonly #store: StateStore;
  readonly #after: number;
  readonly #ttlMs: number;
  readonly #refreshMs: number;
  readonly #cache = new Map<string, { record: TypeRecord; readAt: number }>();
  readonly #loading = new Map<string, Promise<TypeRecord>>();
  readonly #onError: (error: Error) => void;

  constructor(store: StateStore, options: LearnedKnobsOptions, onError: (error: Error) => void) {
    this.#store = store;
    this.#after = options.after ?? 2;
    this.#ttlMs = options.ttlMs ?? 24 * HOUR;
    this.#refreshMs = options.refreshMs ?? 5 * SECOND;
    this.#onError = onError;
  }

  /**
   * The adopted knob values of a job type, from memory (a job start must not wait on the store):
   * undefined when none stands. A stale or unread type is re-read in the background.
   */
  knobsFor(type: string, now: number): Record<string, Json> | undefined {
    if (this.#after === 0) return undefined;
    const cached = this.#cache.get(type);
    if (!cached || now - cached.readAt >= this.#refreshMs) {
      this.#load(type, now).catch((error: unknown) => this.#onError(error as Error));
    }
    if (!cached) return undefined;
    let values: Record<string, Json> | undefined;
    for (const [knob, record] of Object.entries(cached.record)) {
      if (record.adopted && record.adopted.until > now)
        (values ??= {})[knob] = record.adopted.value;
    }
    return values;
  }

  /**
   * A heal that set `knob` to `value` on `jobId` was validated. Returns true when this adopts the
   * value for new jobs of the type.
   */
  async validated(
    type: string,
    heal: { knob: string; value: Json; patternId: string | null; jobId: string },
    now: number,
  ): Promise<boolean> {
    if (this.#after === 0) return false;
    const record = structuredClone(await this.#load(type, now));
    const knob = (record[heal.knob] ??= { candidates: [] });
    const key = JSON.stringify(heal.value);
    if (knob.adopted && JSON.stringify(knob.adopted.value) === key) {
      // A job that started elsewhere healed to the adopted value: it still holds, for another term.
      knob.adopted = { ...knob.adopted, until: now + this.#ttlMs };
      await this.#save(type, record, now);
      return false;
    }
    let candidate = knob.candidates.find((c) => JSON.stringify(c.value) === key);
    if (!candidate) {
      candidate = { value: heal.value, patternId: heal.patternId, jobs: [] };
      knob.candidates = [candidate, ...knob.candidates].slice(0, MAX_CANDIDATES);
    }
    if (!candidate.jobs.includes(heal.jobId))
      candidate.jobs = [...candidate.jobs, heal.jobId].slice(-this.#after);
    const adopts = candidate.jobs.length >= this.#after;
    if (adopts) {
      knob.adopted = { value: heal.value, patternId: heal.patternId, until: now + this.#ttlMs };
      knob.candidates = [];
    }
    await this.#save(type, record, now);
    return adopts;
  }

  /** Forgets what a job type (or every type this process has read) learned. */
  async forget(type: string | undefined, now: number): Promise<void> {
    const types = type === undefined ? [...this.#cache.keys()] : [type];
    for (const each of types) await this.#save(each, {}, now);
  }

  async #save(type: string, record: TypeRecord, now: number): Promise<void> {
    this.#cache.set(type, { record, readAt: now });
    await this.#store.setState(keyOf(type), record as unknown as Json, now);
  }

  #load(type: string, now: number): Promise<TypeRecord> {
    const cached = this.#cache.get(type);
    if (cached && now - cached.readAt < this.#refreshMs) return Promise.resolve(cached.record);
    let loading = this.#loading.get(type);
    if (!loading) {
      loading = this.#store
        .getState(keyOf(type))
        .then((stored) => {
          const record = (stored ?? {}) as unknown as TypeRecord;
          this.#cache.set(type, { record, readAt: now });
          return record;
        })
        .finally(() => this.#loading.delete(type));
      this.#loading.set(type, loading);
    }
    return loading;
  }
}

function keyOf(type: string): string {
  return `heal.knobs.${type}`;
}
