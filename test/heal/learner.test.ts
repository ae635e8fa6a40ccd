import { describe, expect, it } from 'vitest';
import { betaMean, sampleBeta, seededRandom } from '../../src/heal/learner/beta.js';
import type { Counts } from '../../src/heal/learner/remedy-memory.js';
import { ThompsonPolicy, type RemedyCandidate } from '../../src/heal/learner/thompson-policy.js';

const candidates: RemedyCandidate[] = [
  { key: 'retry_with_backoff', action: 'retry_with_backoff', params: {}, rank: 0 },
  {
    key: 'reduce_batch_size{"factor":0.5}',
    action: 'reduce_batch_size',
    params: { factor: 0.5 },
    rank: 1,
  },
  {
    key: 'increase_timeout{"factor":2}',
    action: 'increase_timeout',
    params: { factor: 2 },
    rank: 2,
  },
];

describe('the Thompson-sampling learner', () => {
  it('samples Beta posteriors with the right mean', () => {
    const random = seededRandom(3);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += sampleBeta({ alpha: 3, beta: 7 }, random);
    expect(sum / 20_000).toBeCloseTo(betaMean({ alpha: 3, beta: 7 }), 2);
  });

  it('converges to the one remedy that works, though the analysis ranked it last', () => {
    const policy = new ThompsonPolicy({ random: seededRandom(11) });
    const counts = new Map<string, Counts>();
    const chosen: string[] = [];
    for (let episode = 0; episode < 200; episode++) {
      const choice = policy.choose(candidates, counts)!;
      const works = choice.candidate.action === 'increase_timeout';
      const before = counts.get(choice.candidate.key) ?? { successes: 0, failures: 0 };
      counts.set(
        choice.candidate.key,
        works
          ? { ...before, successes: before.successes + 1 }
          : { ...before, failures: before.failures + 1 },
      );
      chosen.push(choice.candidate.action);
    }
    const late = chosen.slice(-50);
    expect(late.filter((action) => action === 'increase_timeout').length).toBeGreaterThanOrEqual(
      47,
    );
    // Calibrated: the confidence of the winner approaches its true rate (1.0), the losers' fall.
    const final = policy.choose(candidates, counts)!;
    expect(final.candidate.action).toBe('increase_timeout');
    expect(final.confidence).toBeGreaterThan(0.95);
  });

  it("takes the analysis' best remedy while nothing is known, and samples once anything is", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const policy = new ThompsonPolicy({ random: seededRandom(seed) });
      expect(policy.choose(candidates, new Map())!.candidate.key).toBe('retry_with_backoff');
    }
    const after = new Set<string>();
    const one = new Map<string, Counts>([['retry_with_backoff', { successes: 0, failures: 1 }]]);
    for (let seed = 1; seed <= 50; seed++)
      after.add(
        new ThompsonPolicy({ random: seededRandom(seed) }).choose(candidates, one)!.candidate.key,
      );
    expect(after.size).toBeGreaterThan(1);
  });

  it('starts a new pattern from the counts of a similar learned one', () => {
    const policy = new ThompsonPolicy({ random: seededRandom(5) });
    const learned = new Map<string, Counts>([
      ['increase_timeout{"factor":2}', { successes: 20, failures: 0 }],
      ['retry_with_backoff', { successes: 0, failures: 20 }],
    ]);
    const picks = Array.from(
      { length: 100 },
      () =>
        policy.choose(candidates, new Map(), { counts: learned, similarity: 0.8 })!.candidate
          .action,
    );
    expect(picks.filter((action) => action === 'increase_timeout').length).toBeGreaterThan(90);
    const cold = Array.from(
      { length: 100 },
      () => policy.choose(candidates, new Map())!.candidate.action,
    );
    expect(cold.filter((action) => action === 'increase_timeout').length).toBeLessThan(50);
  });

  it('gives up on a pattern only when every remedy left looks hopeless, and still tries now and then', () => {
    const policy = new ThompsonPolicy({ random: seededRandom(2) });
    const failed = (n: number) =>
      new Map<string, Counts>(candidates.map((c) => [c.key, { successes: 0, failures: n }]));
    const totals = (n: number) => ({ successes: 0, failures: 3 * n });
    expect(policy.givesUp(candidates, failed(1), undefined, totals(1), 4)).toBe(false);
    // An untried remedy ranked first keeps the pattern open, however often the others failed.
    const oneUntried = failed(10);
    oneUntried.delete(candidates[0]!.key);
    expect(policy.givesUp(candidates, oneUntried, undefined, totals(10), 4)).toBe(false);
    expect(
      policy.givesUp(candidates, failed(10), undefined, { successes: 1, failures: 30 }, 4),
    ).toBe(false);
    const decisions = Array.from({ length: 1000 }, () =>
      policy.givesUp(candidates, failed(10), undefined, totals(10), 4),
    );
    const tried = decisions.filter((gaveUp) => !gaveUp).length;
    expect(tried).toBeGreaterThan(20);
    expect(tried).toBeLessThan(100);
  });

  it('forecasts a repeat from its own outcomes, shrunk toward the remedy as a whole', () => {
    const policy = new ThompsonPolicy({ random: seededRandom(1) });
    const retry = candidates[0]!;
    // A retry that works half the time at first and always once it has failed on the job.
    const posterior = policy.posterior(retry, { successes: 30, failures: 10 });
    const mean = betaMean(posterior);
    expect(policy.forecast(posterior, undefined)).toBe(mean);
    const first = policy.forecast(posterior, { successes: 10, failures: 10 });
    const second = policy.forecast(posterior, { successes: 20, failures: 0 });
    expect(first).toBeGreaterThan(0.5);
    expect(first).toBeLessThan(mean);
    expect(second).toBeGreaterThan(0.97);
    // Two observations of the repeat move it only part of the way from the remedy's mean.
    expect(policy.forecast(posterior, { successes: 0, failures: 2 })).toBeCloseTo(mean / 2, 5);
  });
});
