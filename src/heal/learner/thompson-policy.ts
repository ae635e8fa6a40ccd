import type { ActionId } from '../../knowledge/actions.js';
import type { Json } from '../../core/types.js';
import { betaMean, sampleBeta, type BetaPosterior, type Random } from './beta.js';
import type { Counts } from './remedy-memory.js';

/** A remedy the policy may choose for one failure: applicable, and not failed on this job yet. */
export interface RemedyCandidate {
  key: string;
  action: ActionId;
  params: Record<string, Json>;
  /** Position in the analysis' ranked remedies (0 = best), or null when the analysis did not list it. */
  rank: number | null;
}

/** Tuning of {@link ThompsonPolicy}. */
export interface ThompsonPolicyOptions {
  random: Random;
  /** Pseudo-observations the prior is worth. @default 2 */
  priorStrength?: number;
  /** Prior success probability of the analysis' best remedy. @default 0.6 */
  firstPrior?: number;
  /** Each later rank's prior is this fraction of the one before. @default 0.7 */
  rankDecay?: number;
  /** Prior of a remedy the analysis did not list. @default 0.08 */
  unlistedPrior?: number;
  /** Weight of a similar pattern's counts per unit of similarity. @default 0.5 */
  borrowWeight?: number;
  /** A pattern whose chance of being healed at all (posterior mean) falls below this is not healed. @default 0.15 */
  giveUpBelow?: number;
  /** How often a pattern given up on is tried anyway, so one that was hopeless during an outage can recover. @default 0.05 */
  retryHopeless?: number;
}

/** What the policy chose and how sure it is. */
export interface PolicyChoice {
  candidate: RemedyCandidate;
  /** The posterior mean: the calibrated probability that this remedy fixes the error. */
  confidence: number;
  posterior: BetaPosterior;
}

/** Counts of a similar pattern, lent to a pattern with little evidence of its own. */
export interface Borrowed {
  counts: ReadonlyMap<string, Counts>;
  similarity: number;
}

/**
 * Thompson sampling over Beta posteriors: each candidate's prior comes from its rank in the
 * analysis (built-in rules, a similar pattern, an LLM), plus the counts of the most similar
 * learned pattern, plus its own counts; one draw per candidate, the highest wins. Remedies that
 * work get chosen more, untried ones still get a chance in proportion to their uncertainty.
 */
export class ThompsonPolicy {
  readonly #random: Random;
  readonly #options: Required<Omit<ThompsonPolicyOptions, 'random'>>;

  constructor(options: ThompsonPolicyOptions) {
    this.#random = options.random;
    this.#options = {
      priorStrength: options.priorStrength ?? 2,
      firstPrior: options.firstPrior ?? 0.6,
      rankDecay: options.rankDecay ?? 0.7,
      unlistedPrior: options.unlistedPrior ?? 0.08,
      borrowWeight: options.borrowWeight ?? 0.5,
      giveUpBelow: options.giveUpBelow ?? 0.15,
      retryHopeless: options.retryHopeless ?? 0.05,
    };
  }

  /** The posterior of a candidate given its own counts and a similar pattern's. */
  posterior(
    candidate: RemedyCandidate,
    own: Counts | undefined,
    borrowed?: Borrowed,
  ): BetaPosterior {
    const { priorStrength, firstPrior, rankDecay, unlistedPrior, borrowWeight } = this.#options;
    const mean =
      candidate.rank === null
        ? unlistedPrior
        : Math.max(unlistedPrior, firstPrior * rankDecay ** candidate.rank);
    let alpha = mean * priorStrength;
    let beta = (1 - mean) * priorStrength;
    const lent = borrowed?.counts.get(candidate.key);
    if (lent && borrowed) {
      const weight = borrowWeight * borrowed.similarity;
      alpha += lent.successes * weight;
      beta += lent.failures * weight;
    }
    if (own) {
      alpha += own.successes;
      beta += own.failures;
    }
    return { alpha, beta };
  }

  /**
   * The probability that a remedy works on this try: the repeat's own counts (after the remedy had
   * already failed as often on the job) shrunk toward the remedy's posterior mean, worth
   * `priorStrength` observations. With no repeat counts it is that mean.
   */
  forecast(posterior: BetaPosterior, repeat: Counts | undefined): number {
    const mean = betaMean(posterior);
    if (!repeat) return mean;
    const strength = this.#options.priorStrength;
    return (strength * mean + repeat.successes) / (strength + repeat.successes + repeat.failures);
  }

  /**
   * Draws once per candidate and returns the best, or undefined when there is none. While no
   * candidate has any outcome of its own or borrowed, the analysis' best-ranked one is taken
   * instead of a draw: a prior worth two observations would otherwise pick a lower-ranked remedy
   * a third of the time or more (the best of two ranked candidates wins 66 % of draws, of three
   * 57 %), and each such pick costs a real attempt before anything is learned.
   */
  choose(
    candidates: readonly RemedyCandidate[],
    own: ReadonlyMap<string, Counts>,
    borrowed?: Borrowed,
  ): PolicyChoice | undefined {
    const evidence = candidates.some(
      (candidate) => own.has(candidate.key) || borrowed?.counts.has(candidate.key) === true,
    );
    let best: (PolicyChoice & { draw: number }) | undefined;
    for (const candidate of candidates) {
      const posterior = this.posterior(candidate, own.get(candidate.key), borrowed);
      const draw = evidence ? sampleBeta(posterior, this.#random) : betaMean(posterior);
      if (best === undefined || draw > best.draw)
        best = { candidate, posterior, confidence: betaMean(posterior), draw };
    }
    if (!best) return undefined;
    const { draw: _draw, ...choice } = best;
    return choice;
  }

  /**
   * True when a pattern has shown that nothing left fixes it: at least `minFailures` failed heals,
   * no success, and every remaining candidate's posterior mean below `giveUpBelow` (a remedy
   * still untried keeps its prior, so a good untried one holds the pattern open). Now and then
   * (`retryHopeless`) it is tried anyway, so a pattern hopeless during an outage can recover.
   */
  givesUp(
    candidates: readonly RemedyCandidate[],
    own: ReadonlyMap<string, Counts>,
    borrowed: Borrowed | undefined,
    totals: Counts,
    minFailures: number,
  ): boolean {
    if (totals.successes > 0 || totals.failures < minFailures) return false;
    const hopeless = candidates.every(
      (candidate) =>
        betaMean(this.posterior(candidate, own.get(candidate.key), borrowed)) <
        this.#options.giveUpBelow,
    );
    return hopeless && this.#random() >= this.#options.retryHopeless;
  }
}
