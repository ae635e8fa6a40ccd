import type { ApiImprovement, ApiPattern } from './dashboard-data.js';

/** The statistics as they stood at one moment. */
export interface StatsPoint {
  at: number;
  patternsLearned: number;
  successfulHeals: number;
  failedHeals: number;
  /** Successful over decided heals so far, null before the first decided heal. */
  successRate: number | null;
}

const DECIDED_SUCCESS = new Set(['validated', 'success', 'succeeded']);
const DECIDED_FAILURE = new Set(['failed', 'failure', 'rejected']);

/**
 * Rebuilds how the statistics moved from the records themselves: a pattern counts from when it
 * was first seen, a heal from when it was validated or failed. So the chart shows the whole
 * history of the database, not only what happened while this page was open.
 */
export function statsHistory(
  patterns: readonly ApiPattern[],
  improvements: readonly ApiImprovement[],
): StatsPoint[] {
  const events: { at: number; kind: 'pattern' | 'success' | 'failure' }[] = patterns.map((p) => ({
    at: p.firstSeen,
    kind: 'pattern' as const,
  }));
  for (const improvement of improvements) {
    const status = improvement.validationStatus;
    const at = improvement.validatedAt ?? improvement.createdAt;
    if (DECIDED_SUCCESS.has(status)) events.push({ at, kind: 'success' });
    else if (DECIDED_FAILURE.has(status)) events.push({ at, kind: 'failure' });
  }
  events.sort((a, b) => a.at - b.at);
  const points: StatsPoint[] = [];
  let point: StatsPoint = {
    at: 0,
    patternsLearned: 0,
    successfulHeals: 0,
    failedHeals: 0,
    successRate: null,
  };
  for (const event of events) {
    point = { ...point, at: event.at };
    if (event.kind === 'pattern') point.patternsLearned += 1;
    else if (event.kind === 'success') point.successfulHeals += 1;
    else point.failedHeals += 1;
    const decided = point.successfulHeals + point.failedHeals;
    point.successRate = decided === 0 ? null : point.successfulHeals / decided;
    // Events in the same millisecond make one point.
    if (points.at(-1)?.at === point.at) points[points.length - 1] = point;
    else points.push(point);
  }
  return points;
}

/** True when a heal's validation status means it worked. */
export function isSuccessfulHeal(status: string): boolean {
  return DECIDED_SUCCESS.has(status);
}
