import { isActionId } from '../knowledge/actions.js';
import { isCategory } from '../knowledge/categories.js';
import type { Pattern } from '../core/types.js';
import type { PatternStore } from './pattern-store.js';
import { PatternIndex, type IndexedPattern } from './pattern-index.js';

/** Options of {@link KnownPatterns}. */
export interface KnownPatternsOptions {
  /** How long a read of the store is reused before the next one. */
  ttlMs: number;
  /** Most frequent stored patterns read each time. */
  maxPatterns: number;
}

/**
 * The similarity cache of a pattern book: the known patterns an unrecognised error may join. It
 * holds this book's own patterns at once, and what other nodes stored, read again once the last
 * read is stale. Bounded: it keeps four times `maxPatterns`, forgetting the least recently seen;
 * a forgotten pattern keeps its statistics in the store and comes back with the next read if it
 * is among the most frequent.
 */
export class KnownPatterns {
  readonly #store: PatternStore;
  readonly #options: KnownPatternsOptions;
  readonly #index: PatternIndex;
  #readAt = -Infinity;

  constructor(store: PatternStore, options: KnownPatternsOptions) {
    this.#store = store;
    this.#options = options;
    this.#index = new PatternIndex({ maxPatterns: Math.max(options.maxPatterns, 1) * 4 });
  }

  /** Patterns held in memory. */
  get size(): number {
    return this.#index.size;
  }

  /** The index, refreshed from the store when the last read is older than the TTL. */
  async index(now: number): Promise<PatternIndex> {
    if (now - this.#readAt < this.#options.ttlMs) return this.#index;
    const patterns = await this.#store.listPatterns({
      orderBy: 'occurrences',
      limit: this.#options.maxPatterns,
    });
    for (const pattern of patterns) {
      const known = toIndexed(pattern);
      if (known !== undefined) this.#index.learn(known);
    }
    this.#readAt = now;
    return this.#index;
  }

  /** Forgets a pattern, e.g. one merged into another. */
  forget(patternKey: string): void {
    this.#index.forget(patternKey);
  }
}

/** A stored pattern as the index needs it, or undefined when its category is unknown. */
function toIndexed(pattern: Pattern): IndexedPattern | undefined {
  if (!isCategory(pattern.category)) return undefined;
  const known: IndexedPattern = {
    key: pattern.patternKey,
    template: pattern.template,
    occurrences: pattern.occurrenceCount,
    verdict: {
      category: pattern.category,
      transient: pattern.transient,
      rootCause: pattern.rootCause ?? '',
      remedies: pattern.remedies.filter(isActionId),
      prevention: pattern.prevention ?? '',
      confidence: pattern.confidence,
      ruleId: pattern.source === 'rule' ? pattern.patternKey.replace(/^rule:|@.*$/g, '') : null,
    },
  };
  if (typeof pattern.facts.name === 'string') known.name = pattern.facts.name;
  if (typeof pattern.facts.code === 'string') known.code = pattern.facts.code;
  return known;
}
