import type { Pattern } from '../../core/types.js';
import { templateSimilarity } from '../../patterns/similar-analyzer.js';
import type { RemedyMemory } from './remedy-memory.js';
import type { Borrowed } from './thompson-policy.js';

/** Least template similarity for a learned pattern to lend its counts. */
const MIN_SIMILARITY = 0.5;
/** Own outcomes after which a pattern stands on its own evidence. */
const OWN_EVIDENCE = 3;

/**
 * Finds, for a pattern with little evidence of its own, the most similar pattern that has
 * outcomes, so a new pattern starts from what similar ones taught. The search runs once per
 * pattern and is remembered; known patterns never pay for it.
 */
export class Neighbours {
  readonly #memory: RemedyMemory;
  readonly #patterns = new Map<string, Pattern>();
  readonly #found = new Map<string, Borrowed | null>();

  constructor(memory: RemedyMemory) {
    this.#memory = memory;
  }

  /** Remembers a pattern's template and category (every pattern the healer sees passes here). */
  learn(pattern: Pattern): void {
    this.#patterns.set(pattern.id, pattern);
  }

  /** A pattern as last seen, if any. */
  get(id: string): Pattern | undefined {
    return this.#patterns.get(id);
  }

  /** Counts of the most similar learned pattern, or undefined when the pattern has its own or none is close. */
  borrowFor(pattern: Pattern): Borrowed | undefined {
    const own = this.#memory.totals(pattern.id);
    if (own.successes + own.failures >= OWN_EVIDENCE) return undefined;
    const cached = this.#found.get(pattern.id);
    if (cached !== undefined) return cached ?? undefined;
    let best: Borrowed | null = null;
    for (const id of this.#memory.patternIds()) {
      const other = this.#patterns.get(id);
      if (!other || id === pattern.id) continue;
      let similarity = templateSimilarity(pattern.template, other.template);
      if (other.category !== pattern.category) similarity *= 0.5;
      if (similarity >= MIN_SIMILARITY && (best === null || similarity > best.similarity)) {
        best = { counts: this.#memory.of(id), similarity };
      }
    }
    this.#found.set(pattern.id, best);
    return best ?? undefined;
  }

  /** Forgets remembered searches, e.g. after the counts were re-read. */
  reset(): void {
    this.#found.clear();
  }
}
