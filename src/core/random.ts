/** A source of numbers in [0, 1), the same sequence for the same seed. */
export type Random = () => number;

/**
 * mulberry32: a small, fast generator with a 32-bit state. The same seed gives the same demo faults
 * and the same sampled heal decisions, which tests and benchmarks rely on; not for anything that
 * needs to be unpredictable.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
