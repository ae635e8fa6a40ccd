import { describe, expect, it } from 'vitest';
import { freshOutcomes, laterCollection } from '../fixtures/real-errors/later.js';
import { score } from '../fixtures/real-errors/score.js';

// Floors a little under the figures of 2026-11-30 (docs/BENCHMARKS.md, "Later collections"), so a
// change that loses ground on errors from the wild fails here rather than in the field.
const FLOORS = {
  2: { precision: 0.95, f1: 0.9, category: 0.9, transient: 0.85, remedyTop1: 0.73 },
  3: { precision: 0.82, f1: 0.79, category: 0.92, transient: 0.84, remedyTop1: 0.81 },
} as const;

describe('later collections of real errors, one fresh session each', () => {
  it.each([2, 3] as const)('collection %i stays above its floors', (collection) => {
    const figures = score(freshOutcomes(laterCollection(collection)));
    const floors = FLOORS[collection];
    for (const key of Object.keys(floors) as (keyof typeof floors)[])
      expect(figures[key], key).toBeGreaterThanOrEqual(floors[key]);
  });
});
