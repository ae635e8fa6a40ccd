import MODEL from './cause-words.json' with { type: 'json' };

/**
 * How much a shared word says that two errors have one root cause. Two wordings of one cause
 * share few words, and most shared words say nothing ("error", "failed", "connection" are in
 * every other message); a few say nearly everything (`max_allowed_packet`, `CursorNotFound`).
 * Plain word overlap weighs them alike. This model weighs each word by what the labelled real
 * errors in `test/fixtures/real-errors` say of it: of the pairs of messages from different
 * repositories, within one collection, that both hold the word, the share that had the same
 * cause (with one pseudo-pair each way, so a word seen once, or never, weighs
 * {@link UNSEEN_WEIGHT}). `npm run train:categories` rewrites `cause-words.json`; a test checks
 * that the committed model is what that script makes.
 */

/** Pair counts of one word: pairs of messages holding it, and of those, pairs of one cause. */
export type WordPairs = readonly [same: number, total: number];

/** A trained model: pair counts per word, for words some cross-repository pair shared. */
export interface CauseWordModel {
  words: Record<string, WordPairs>;
}

/** One labelled message for {@link trainCauseWords}. */
export interface CauseExample {
  /** The words the pattern index compares (`wordsOf` of the innermost statement). */
  words: ReadonlySet<string>;
  cause: string;
  /** Causes are named per collection: only pairs within one collection are counted. */
  collection: string;
  /** Repository the message came from: a pair from one thread says nothing about other contexts. */
  source: string;
}

/** The weight of a word no pair showed: the prior of the smoothing, one same and one different. */
export const UNSEEN_WEIGHT = 0.5;

/** Counts, per word, cross-repository pairs and same-cause pairs. Deterministic. */
export function trainCauseWords(examples: readonly CauseExample[]): CauseWordModel {
  const counts = new Map<string, [number, number]>();
  const byCollection = new Map<string, CauseExample[]>();
  for (const example of examples) {
    const list = byCollection.get(example.collection) ?? [];
    list.push(example);
    byCollection.set(example.collection, list);
  }
  for (const list of byCollection.values()) {
    const holders = new Map<string, CauseExample[]>();
    for (const example of list)
      for (const word of example.words) {
        const held = holders.get(word) ?? [];
        held.push(example);
        holders.set(word, held);
      }
    for (const [word, held] of holders) {
      let same = 0;
      let total = 0;
      for (let i = 0; i < held.length; i++)
        for (let j = i + 1; j < held.length; j++) {
          if (held[i]!.source === held[j]!.source) continue;
          total++;
          if (held[i]!.cause === held[j]!.cause) same++;
        }
      if (total === 0) continue;
      const pairs = counts.get(word) ?? [0, 0];
      counts.set(word, [pairs[0] + same, pairs[1] + total]);
    }
  }
  const words: Record<string, WordPairs> = {};
  for (const word of [...counts.keys()].sort()) words[word] = counts.get(word)!;
  return { words };
}

const BUILT_IN = MODEL as unknown as CauseWordModel;

/**
 * The probability, by the model, that two messages sharing `word` have one cause: smoothed
 * share of same-cause pairs, {@link UNSEEN_WEIGHT} for a word the model has no pair of.
 */
export function causeWeight(word: string, model: CauseWordModel = BUILT_IN): number {
  const pairs = Object.hasOwn(model.words, word) ? model.words[word] : undefined;
  return pairs === undefined ? UNSEEN_WEIGHT : (pairs[0] + 1) / (pairs[1] + 2);
}
