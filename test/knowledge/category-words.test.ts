import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  categoryWords,
  NAMING,
  predictCategory,
  rarelyPasses,
} from '../../src/knowledge/category-words.js';
import { RULES } from '../../src/knowledge/rules/index.js';
import { classifyError } from '../../src/patterns/classify.js';
import { unknownErrorVerdict } from '../../src/patterns/unknown-error.js';
import {
  categoryModelWithout,
  labelledExamples,
  MODEL_FILE,
  modelText,
  ruleExample,
  trainedModel,
} from '../fixtures/real-errors/category-training.js';

describe('the category model for errors no rule knows', () => {
  it('is the model the training script makes from the fixtures and the rules', () => {
    // After changing a rule or a labelled fixture: npm run train:categories
    expect(readFileSync(MODEL_FILE, 'utf8')).toBe(modelText(trainedModel()));
  });

  it('reads words the way messages write them', () => {
    expect(
      categoryWords('ConnectionResetError: pool_timeout at <ip>:<num> (HTTPSConnection)'),
    ).toEqual(['connection', 'reset', 'error', 'pool', 'timeout', 'at', 'phip', 'phnum', 'https']);
  });

  it('names the domain of an unknown error from its words, and keeps the cautious plan', () => {
    const message = 'the replica set could not elect a primary before the election window closed';
    const verdict = classifyError({ message });
    expect(verdict.ruleId).toBeNull();
    expect(verdict.category).toBe('database_connection');
    expect(verdict.rootCause).toMatch(/most like those of database_connection errors/);
    // The category is a description; what to do stays the default for an unknown error.
    expect(verdict.remedies).toEqual(['retry_with_backoff', 'escalate']);
    expect(verdict.transient).toBe(true);
  });

  it('hands an unknown error to a person first when its domain almost never passes by itself', () => {
    const verdict = classifyError({
      message: 'cargo build: linking with cc failed for crate ring',
    });
    expect(verdict).toMatchObject({ ruleId: null, category: 'build', transient: false });
    expect(verdict.remedies).toEqual(['fail_fast', 'escalate']);
    expect(verdict.rootCause).toMatch(/seldom pass by themselves/);
    // Less sure of the domain (0.63 here): the cautious retry stays first.
    const unsure = classifyError({
      message: 'the compiler produced 3 errors in ./src/app.tsx',
    });
    expect(unsure).toMatchObject({ category: 'build', transient: true });
    expect(unsure.remedies[0]).toBe('retry_with_backoff');
  });

  it('says nothing when the words point nowhere in particular', () => {
    expect(predictCategory('the frobnicator would not frob')).toBeUndefined();
    expect(classifyError({ message: 'the frobnicator would not frob' }).category).toBe('other');
  });

  /**
   * Held out by collection: the model trained on the rules and on every other collection names
   * the category of each message of the one left out, as the category is named ({@link NAMING}).
   * The rules were partly written from the later collections, so those folds flatter it; fresh
   * collections are scored in docs/BENCHMARKS.md. Measured on 5,912 messages: 0.652 overall (on
   * the 3,608 of the collections before 31, 0.677; they had measured 0.685 before the later ones
   * joined), where answering `other` gets 0.04; the long-tail collections 17 and 18 are the
   * hardest folds (about 0.5).
   */
  // Trains one model per labelled collection (30): seconds idle, more under load.
  it(
    'names the right category of messages from collections it was not trained on',
    { timeout: 120_000 },
    () => {
      const examples = labelledExamples();
      const rules = RULES.map(ruleExample);
      let right = 0;
      let other = 0;
      const folds = new Map<string, number>();
      for (const collection of new Set(examples.map((e) => e.collection))) {
        const model = categoryModelWithout(examples, collection, rules);
        const held = examples.filter((e) => e.collection === collection);
        const hits = held.filter(
          (e) => (predictCategory(e.text, model, NAMING)?.category ?? 'other') === e.category,
        ).length;
        folds.set(collection, hits / held.length);
        right += hits;
        other += held.filter((e) => e.category === 'other').length;
      }
      expect(right / examples.length).toBeGreaterThanOrEqual(0.64);
      for (const [collection, share] of folds)
        expect(share, collection).toBeGreaterThan(other / examples.length);
    },
  );

  /**
   * The retry decision for errors no rule or cue reads, held out by collection as above, on
   * every labelled message as if no rule knew it. Measured on 5,912 messages: transient right
   * 0.459 → 0.624; transient errors failed for good 0.86 % → 1.84 % of messages.
   */
  // Trains one model per labelled collection (30): seconds idle, more under load.
  it(
    'reads fewer standing errors as passing, at almost no cost in lost jobs',
    { timeout: 120_000 },
    () => {
      const examples = labelledExamples();
      const rules = RULES.map(ruleExample);
      let [n, before, after, lostBefore, lostAfter] = [0, 0, 0, 0, 0];
      for (const collection of new Set(examples.map((e) => e.collection))) {
        const model = categoryModelWithout(examples, collection, rules);
        for (const e of examples.filter((x) => x.collection === collection)) {
          n++;
          const cue = unknownErrorVerdict(e.text);
          const guess = predictCategory(e.text, model);
          const transient = cue?.transient ?? !(guess !== undefined && rarelyPasses(guess));
          const old = cue?.transient ?? true;
          if (old === e.transient) before++;
          if (transient === e.transient) after++;
          if (e.transient && !old) lostBefore++;
          if (e.transient && !transient) lostAfter++;
        }
      }
      expect(after / n).toBeGreaterThanOrEqual(before / n + 0.08);
      expect((lostAfter - lostBefore) / n).toBeLessThanOrEqual(0.01);
    },
  );

  /**
   * Where a wording cue reads an error (rules off), a sure guess of the domain names the category
   * better than the cue's own, held out by collection on every collection but for one message at
   * most. Measured: 0.502 → 0.803 in all (standing conditions other than file permissions keep their
   * own category). Since collections 23 and 24 joined the training data, the unknown-wording set
   * gets 48 right against the cue's 49: their LLM output errors taught that "validation error" is
   * `code_generation`, which a settings class's missing field (`other`) is not.
   */
  it(
    "names the category of cue-read errors better than the cue's default, on every collection",
    { timeout: 120_000 },
    () => {
      const examples = labelledExamples();
      const rules = RULES.map(ruleExample);
      let [n, cueRight, guessRight] = [0, 0, 0];
      for (const collection of new Set(examples.map((e) => e.collection))) {
        const model = categoryModelWithout(examples, collection, rules);
        let [m, cue, guessed] = [0, 0, 0];
        for (const e of examples.filter((x) => x.collection === collection)) {
          // The cue alone: with no words known, no guess overrides it.
          const own = unknownErrorVerdict(e.text, {}, { vocabulary: [], categories: {} });
          if (own === null) continue;
          const read = unknownErrorVerdict(e.text, {}, model)!;
          m++;
          if (own.category === e.category) cue++;
          if (read.category === e.category) guessed++;
        }
        expect(guessed, collection).toBeGreaterThanOrEqual(cue - 1);
        [n, cueRight, guessRight] = [n + m, cueRight + cue, guessRight + guessed];
      }
      expect(guessRight / n).toBeGreaterThanOrEqual(cueRight / n + 0.25);
    },
  );
});
