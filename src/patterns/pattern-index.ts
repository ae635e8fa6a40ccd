import type { ActionId } from '../knowledge/actions.js';
import type { Category } from '../knowledge/categories.js';
import { causeWeight, type CauseWordModel } from '../knowledge/cause-words.js';

/** What a known pattern lends to an error that joins it. */
export interface PatternVerdict {
  category: Category;
  transient: boolean;
  rootCause: string;
  remedies: readonly ActionId[];
  prevention: string;
  confidence: number;
  ruleId: string | null;
}

/** A pattern the index knows, and what it looks like. */
export interface IndexedPattern {
  key: string;
  /** Masked template of the innermost statement of the failure. */
  template: string;
  name?: string;
  code?: string;
  verdict: PatternVerdict;
  occurrences: number;
}

/** The nearest known pattern and how close it is. */
export interface Neighbour {
  pattern: IndexedPattern;
  similarity: number;
}

/** Options of {@link PatternIndex}. */
export interface PatternIndexOptions {
  /**
   * Least similarity for an unrecognised error to join a known pattern instead of starting one.
   * @default PatternIndex.DEFAULT_THRESHOLD
   */
  threshold?: number;
  /**
   * Patterns kept; past it, learning a new one forgets the one learned or seen least recently
   * (its statistics stay wherever the pattern is stored).
   * @default 2000
   */
  maxPatterns?: number;
  /**
   * How much each shared word says about a common cause.
   * @default the built-in model (src/knowledge/cause-words.json)
   */
  causeWords?: CauseWordModel;
}

/** Words of a statement with the weight of each, and their sum. */
interface WeightedWords {
  weights: ReadonlyMap<string, number>;
  total: number;
}

/** One wording of a pattern: the statement's words, with the class and code it came with. */
interface Exemplar {
  template: string;
  words: WeightedWords;
  name?: string;
  code?: string;
}

interface Entry {
  pattern: IndexedPattern;
  /** The first wordings learned for the pattern, at most {@link MAX_EXEMPLARS}. */
  exemplars: Exemplar[];
  /** Tick of the last learn of this pattern: the least recent goes first when the index is full. */
  used: number;
}

/**
 * Wordings kept per pattern: an error joins the pattern whose closest wording is similar enough,
 * so a cause seen worded three ways is recognised in a fourth more often. On the labelled
 * collections (rules off, cause words held out by collection, at the default threshold) three
 * raised pairwise recall 0.475 → 0.507 at the same precision (0.955 → 0.956); five added nothing
 * (a scratch simulation at the time; `bench/pattern-similarity.ts` measures the index as it is).
 */
const MAX_EXEMPLARS = 3;

/**
 * Containment of the smaller statement counts at this weight, and only from this many words: on
 * the collections with every rule switched off (joins by similarity alone, held out by collection)
 * it kept pairwise precision where it was (0.959 against 0.958) and raised recall 0.416 → 0.466;
 * a weight of 0.8 gains more recall but loses precision. (Measured with plain word overlap; with
 * the cause-word weights 0.6 and 4 still do best.)
 */
const CONTAINMENT_WEIGHT = 0.6;
const MIN_CONTAINED_WORDS = 4;

/** Class names that say nothing about the cause: every library throws them. */
const GENERIC_NAMES = new Set(['Error', 'error', 'Exception', 'RuntimeException', 'TypeError']);

/**
 * The known patterns an unrecognised error may join: the most similar one above a threshold
 * (masked-token overlap of the innermost statements, agreeing codes and classes), else none and
 * the error starts a pattern of its own. One index lives as long as a pattern book or one
 * `megamind analyze` run, so what it learned from earlier errors applies to later ones.
 */
export class PatternIndex {
  /**
   * Of the similarity weighted by cause words. When it was chosen (a scratch simulation with the
   * wording check of `analyzeError`, on the twelve labelled collections of the time, every rule
   * off, weights trained on the other collections): pairwise P / R / F1 0.951 / 0.480 / 0.638,
   * against 0.963 / 0.451 / 0.615 of plain overlap at its 0.5. Lower thresholds gained recall
   * there (0.35: 0.936 / 0.537) but lost precision on a fresh collection (0.730 against 0.852).
   * `bench/pattern-similarity.ts` measures the index as it is now. The default stays on the
   * cautious side, because an error joined to the wrong pattern borrows the wrong remedies, while
   * a split only costs a second pattern.
   */
  static readonly DEFAULT_THRESHOLD = 0.45;

  readonly threshold: number;
  readonly #max: number;
  readonly #causeWords: CauseWordModel | undefined;
  readonly #entries = new Map<string, Entry>();
  #tick = 0;

  constructor(options: PatternIndexOptions = {}) {
    this.threshold = options.threshold ?? PatternIndex.DEFAULT_THRESHOLD;
    this.#max = options.maxPatterns ?? 2000;
    this.#causeWords = options.causeWords;
  }

  /** Number of patterns known. */
  get size(): number {
    return this.#entries.size;
  }

  /** The most similar known pattern at or above the threshold, or undefined. */
  nearest(template: string, name?: string, code?: string): Neighbour | undefined {
    const query: Exemplar = this.#exemplar({ template, name, code });
    let best: Neighbour | undefined;
    for (const entry of this.#entries.values()) {
      let similarity = 0;
      for (const exemplar of entry.exemplars)
        similarity = Math.max(similarity, similarityOf(query, exemplar));
      if (similarity < this.threshold) continue;
      if (
        best === undefined ||
        similarity > best.similarity ||
        (similarity === best.similarity && entry.pattern.occurrences > best.pattern.occurrences)
      )
        best = { pattern: entry.pattern, similarity };
    }
    return best;
  }

  /**
   * Learns a pattern, or counts one more occurrence of a known one (and keeps its wording, while
   * the pattern has fewer than {@link MAX_EXEMPLARS}). A count given with a known pattern (re-read
   * from a store) replaces a smaller one instead of adding up.
   */
  learn(pattern: Omit<IndexedPattern, 'occurrences'> & { occurrences?: number }): void {
    const tick = ++this.#tick;
    const known = this.#entries.get(pattern.key);
    if (known !== undefined) {
      known.used = tick;
      known.pattern.occurrences =
        pattern.occurrences === undefined
          ? known.pattern.occurrences + 1
          : Math.max(known.pattern.occurrences, pattern.occurrences);
      if (
        known.exemplars.length < MAX_EXEMPLARS &&
        !known.exemplars.some((exemplar) => exemplar.template === pattern.template)
      )
        known.exemplars.push(this.#exemplar(pattern));
      return;
    }
    if (this.#entries.size >= this.#max) this.#forgetLeastRecent();
    const stored: IndexedPattern = { ...pattern, occurrences: pattern.occurrences ?? 1 };
    this.#entries.set(pattern.key, {
      pattern: stored,
      exemplars: [this.#exemplar(pattern)],
      used: tick,
    });
  }

  #exemplar({
    template,
    name,
    code,
  }: {
    template: string;
    name?: string;
    code?: string;
  }): Exemplar {
    return {
      template,
      words: this.#weigh(template),
      ...(name === undefined ? {} : { name }),
      ...(code === undefined ? {} : { code }),
    };
  }

  #weigh(template: string): WeightedWords {
    const weights = new Map<string, number>();
    let total = 0;
    for (const word of wordsOf(template)) {
      const weight = causeWeight(word, this.#causeWords);
      weights.set(word, weight);
      total += weight;
    }
    return { weights, total };
  }

  /** Forgets a pattern, e.g. one merged into another. */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  // A scan, not a linked list: it runs only when a new pattern arrives at a full index, and
  // iteration order (which breaks ties in nearest()) stays the order patterns were first learned.
  #forgetLeastRecent(): void {
    let oldest: string | undefined;
    let oldestUsed = Infinity;
    for (const [key, entry] of this.#entries) {
      if (entry.used < oldestUsed) [oldest, oldestUsed] = [key, entry.used];
    }
    if (oldest !== undefined) this.#entries.delete(oldest);
  }
}

/**
 * The words of a masked template that carry meaning: lower-cased, without placeholders
 * (`<num>`, `<host>`), punctuation and one-letter fragments.
 */
export function wordsOf(template: string): Set<string> {
  const words = new Set<string>();
  for (const raw of template.replace(/<[a-z*]+>/gi, ' ').split(/[^\p{L}\p{N}_]+/u)) {
    const word = raw.toLowerCase();
    if (word.length > 1 && !/^\d+$/.test(word)) words.add(word);
  }
  return words;
}

/**
 * Overlap of two statements' words, each word counted at its cause weight (a weighted Jaccard
 * index), or the smaller statement's share found in the larger, at a discount; plus agreement of
 * machine codes and class names.
 */
function similarityOf(query: Exemplar, other: Exemplar): number {
  const { words, name, code } = query;
  // Different machine codes are different failures, however alike the prose around them.
  if (
    code !== undefined &&
    other.code !== undefined &&
    code.toUpperCase() !== other.code.toUpperCase()
  )
    return 0;
  let shared = 0;
  for (const [word, weight] of words.weights) if (other.words.weights.has(word)) shared += weight;
  const union = words.total + other.words.total - shared;
  let similarity = union === 0 ? 0 : shared / union;
  // One statement inside a longer text (a log line's prefix, a hint appended after it) is the
  // same statement, though the overlap of the two is small; it counts at a discount, and only for
  // a statement of several words, which a short one like "connection refused" is not.
  if (Math.min(words.weights.size, other.words.weights.size) >= MIN_CONTAINED_WORDS)
    similarity = Math.max(
      similarity,
      (CONTAINMENT_WEIGHT * shared) / Math.min(words.total, other.words.total),
    );
  if (code !== undefined && code.toUpperCase() === other.code?.toUpperCase()) similarity += 0.15;
  if (name !== undefined && !GENERIC_NAMES.has(name) && name === other.name) similarity += 0.1;
  return Math.min(1, similarity);
}
