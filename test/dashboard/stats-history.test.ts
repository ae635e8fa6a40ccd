import { describe, expect, it } from 'vitest';
import type { ApiImprovement, ApiPattern } from '../../src/dashboard/dashboard-data.js';
import { statsHistory } from '../../src/dashboard/stats-history.js';

const pattern = (firstSeen: number) => ({ firstSeen }) as ApiPattern;
const heal = (validationStatus: string, createdAt: number, validatedAt: number | null) =>
  ({
    id: String(createdAt),
    jobId: null,
    patternId: null,
    action: 'retry',
    validationStatus,
    confidence: 0.5,
    createdAt,
    validatedAt,
  }) as ApiImprovement;

describe('statsHistory', () => {
  it('counts patterns from when they were first seen and heals from when they were decided', () => {
    const points = statsHistory(
      [pattern(10), pattern(30)],
      [heal('validated', 15, 20), heal('failed', 16, 40), heal('pending', 17, null)],
    );
    expect(points).toEqual([
      { at: 10, patternsLearned: 1, successfulHeals: 0, failedHeals: 0, successRate: null },
      { at: 20, patternsLearned: 1, successfulHeals: 1, failedHeals: 0, successRate: 1 },
      { at: 30, patternsLearned: 2, successfulHeals: 1, failedHeals: 0, successRate: 1 },
      { at: 40, patternsLearned: 2, successfulHeals: 1, failedHeals: 1, successRate: 0.5 },
    ]);
  });

  it('makes one point of what happened in the same millisecond, and nothing of nothing', () => {
    expect(statsHistory([pattern(5), pattern(5)], [])).toEqual([
      { at: 5, patternsLearned: 2, successfulHeals: 0, failedHeals: 0, successRate: null },
    ]);
    expect(statsHistory([], [])).toEqual([]);
  });
});
