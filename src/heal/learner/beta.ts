import type { Random } from '../../core/random.js';

export { seededRandom, type Random } from '../../core/random.js';

function normal(random: Random): number {
  // Box–Muller; 1 - u keeps the logarithm finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang), boosted for shapes below one. */
export function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A Beta(alpha, beta) posterior over the probability that a remedy works. */
export interface BetaPosterior {
  alpha: number;
  beta: number;
}

/** One draw from a Beta posterior. */
export function sampleBeta({ alpha, beta }: BetaPosterior, random: Random): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x + y === 0 ? 0.5 : x / (x + y);
}

/** The posterior mean: the calibrated probability that the remedy works. */
export function betaMean({ alpha, beta }: BetaPosterior): number {
  return alpha / (alpha + beta);
}
