import type { HealStore, RemedyRepeatStat, RemedyStat } from '../../store/heal-store.js';

/** Outcome counts of one remedy on one pattern. */
export interface Counts {
  successes: number;
  failures: number;
}

/**
 * The learner's counts in memory, loaded from the store and written through by the healer, so a
 * decision on a known pattern reads no table. Another process's outcomes arrive with the next
 * refresh.
 */
export class RemedyMemory {
  readonly #store: HealStore;
  readonly #refreshMs: number;
  #byPattern = new Map<string, Map<string, Counts>>();
  /** Counts by repeat, keyed `remedy#tries` within each pattern. */
  #repeats = new Map<string, Map<string, Counts>>();
  /** The knob value a knob remedy set when it healed, by pattern and action (this process's heals). */
  #settings = new Map<string, Map<string, number>>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | undefined;

  constructor(store: HealStore, refreshMs: number) {
    this.#store = store;
    this.#refreshMs = refreshMs;
  }

  /** Reads every count from the store when the last read is older than the refresh period. */
  async refresh(now: number): Promise<void> {
    if (now - this.#loadedAt < this.#refreshMs) return;
    this.#loading ??= Promise.all([this.#store.listRemedyStats(), this.#store.listRemedyRepeats()])
      .then(([stats, repeats]) => {
        this.#byPattern = group(stats);
        this.#repeats = groupRepeats(repeats);
        this.#loadedAt = now;
      })
      .finally(() => (this.#loading = undefined));
    await this.#loading;
  }

  /** Counts of every remedy tried on a pattern. */
  of(patternId: string): ReadonlyMap<string, Counts> {
    return this.#byPattern.get(patternId) ?? EMPTY;
  }

  /** Counts of a remedy on a pattern after it had already failed `tries` times on the job. */
  repeatOf(patternId: string, remedy: string, tries: number): Counts | undefined {
    return this.#repeats.get(patternId)?.get(`${remedy}#${tries}`);
  }

  /** Sums over all remedies of a pattern. */
  totals(patternId: string): Counts {
    let successes = 0;
    let failures = 0;
    for (const counts of this.of(patternId).values()) {
      successes += counts.successes;
      failures += counts.failures;
    }
    return { successes, failures };
  }

  /** Patterns with at least one outcome. */
  patternIds(): IterableIterator<string> {
    return this.#byPattern.keys();
  }

  /** Remembers the number a knob remedy set on a job it healed. */
  noteSetting(patternId: string, action: string, value: number): void {
    let settings = this.#settings.get(patternId);
    if (!settings) this.#settings.set(patternId, (settings = new Map()));
    settings.set(action, value);
  }

  /** The number a knob remedy last set on a job it healed for the pattern, in this process. */
  setting(patternId: string, action: string): number | undefined {
    return this.#settings.get(patternId)?.get(action);
  }

  /** Counts one outcome here (the healer writes it to the store itself), by repeat when `tries` is given. */
  count(patternId: string, remedy: string, success: boolean, tries?: number): void {
    increment(this.#byPattern, patternId, remedy, success);
    if (tries !== undefined) increment(this.#repeats, patternId, `${remedy}#${tries}`, success);
  }
}

function increment(
  byPattern: Map<string, Map<string, Counts>>,
  patternId: string,
  key: string,
  success: boolean,
): void {
  let remedies = byPattern.get(patternId);
  if (!remedies) byPattern.set(patternId, (remedies = new Map()));
  const counts = remedies.get(key) ?? { successes: 0, failures: 0 };
  remedies.set(
    key,
    success
      ? { ...counts, successes: counts.successes + 1 }
      : { ...counts, failures: counts.failures + 1 },
  );
}

const EMPTY: ReadonlyMap<string, Counts> = new Map();

function group(stats: readonly RemedyStat[]): Map<string, Map<string, Counts>> {
  const byPattern = new Map<string, Map<string, Counts>>();
  for (const stat of stats) {
    let remedies = byPattern.get(stat.patternId);
    if (!remedies) byPattern.set(stat.patternId, (remedies = new Map()));
    remedies.set(stat.remedy, { successes: stat.successCount, failures: stat.failureCount });
  }
  return byPattern;
}

function groupRepeats(stats: readonly RemedyRepeatStat[]): Map<string, Map<string, Counts>> {
  const byPattern = new Map<string, Map<string, Counts>>();
  for (const stat of stats) {
    let remedies = byPattern.get(stat.patternId);
    if (!remedies) byPattern.set(stat.patternId, (remedies = new Map()));
    remedies.set(`${stat.remedy}#${stat.tries}`, {
      successes: stat.successCount,
      failures: stat.failureCount,
    });
  }
  return byPattern;
}
