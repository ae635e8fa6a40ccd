import type { CategoryStatistic, HealingStatistics, RemedyStatistic } from './curation-store.js';

type Row = Record<string, unknown>;

/** Maps a per-category aggregate row. @internal */
export function rowToCategoryStatistic(row: Row): CategoryStatistic {
  return {
    category: row.category as string,
    patterns: Number(row.patterns),
    occurrences: Number(row.occurrences ?? 0),
    successes: Number(row.successes ?? 0),
    failures: Number(row.failures ?? 0),
    averageConfidence: Number(row.average_confidence ?? 0),
  };
}

/**
 * Joins outcome counts from the improvement log (`action, validated, failed, pending`) with
 * imported evidence (`action, successes, failures`), one statistic per action, most used first.
 * @internal
 */
export function remedyStatisticsOf(
  logRows: readonly Row[],
  priorRows: readonly Row[],
): RemedyStatistic[] {
  const byAction = new Map<string, RemedyStatistic>();
  const entry = (action: string): RemedyStatistic => {
    let stat = byAction.get(action);
    if (!stat) {
      stat = { action, successes: 0, failures: 0, pending: 0, priorSuccesses: 0, priorFailures: 0 };
      byAction.set(action, stat);
    }
    return stat;
  };
  for (const row of logRows) {
    const stat = entry(row.action as string);
    stat.successes = Number(row.validated ?? 0);
    stat.failures = Number(row.failed ?? 0);
    stat.pending = Number(row.pending ?? 0);
  }
  for (const row of priorRows) {
    const stat = entry(row.action as string);
    stat.priorSuccesses = Number(row.successes);
    stat.priorFailures = Number(row.failures);
  }
  const weight = (s: RemedyStatistic) =>
    s.successes + s.failures + s.pending + s.priorSuccesses + s.priorFailures;
  return [...byAction.values()].sort(
    (a, b) => weight(b) - weight(a) || a.action.localeCompare(b.action),
  );
}

/** Imported counts scaled by the pack's weight; whole numbers, as the pattern columns are. @internal */
export function weightedCount(count: number, weight: number): number {
  return Math.round(Math.max(0, count) * weight);
}

/** Rows of one failed/validated/pending breakdown per action (same SQL on both engines). @internal */
export const REMEDY_OUTCOMES_SQL = `
SELECT action,
  SUM(CASE WHEN validation_status = 'validated' THEN 1 ELSE 0 END) AS validated,
  SUM(CASE WHEN validation_status = 'failed' THEN 1 ELSE 0 END) AS failed,
  SUM(CASE WHEN validation_status = 'pending' THEN 1 ELSE 0 END) AS pending
FROM ai_improvement_logs WHERE pattern_id = $1 GROUP BY action`;

/** Live patterns per category (same SQL on both engines). @internal */
export const CATEGORY_STATISTICS_SQL = `
SELECT category, count(*) AS patterns, SUM(occurrence_count) AS occurrences, SUM(success_count) AS successes,
  SUM(failure_count) AS failures, AVG(confidence) AS average_confidence
FROM universal_error_patterns WHERE merged_into IS NULL GROUP BY category ORDER BY count(*) DESC, category`;

/** Totals over live patterns. @internal */
export const PATTERN_TOTALS_SQL = `
SELECT count(*) AS patterns, COALESCE(SUM(occurrence_count), 0) AS occurrences, COALESCE(AVG(confidence), 0) AS average_confidence
FROM universal_error_patterns WHERE merged_into IS NULL`;

/** Improvement log rows per validation status. @internal */
export const HEAL_OUTCOMES_SQL = `SELECT validation_status, count(*) AS n FROM ai_improvement_logs GROUP BY validation_status`;

/** Assembles the statistics from the aggregate rows both engines read the same way. @internal */
export function healingStatistics(
  totals: Row,
  heals: readonly Row[],
  selfHealedJobs: number,
  byCategory: HealingStatistics['byCategory'],
): HealingStatistics {
  const count = (status: string) =>
    Number(heals.find((row) => row.validation_status === status)?.n ?? 0);
  const successfulHeals = count('validated');
  const failedHeals = count('failed');
  const verified = successfulHeals + failedHeals;
  return {
    patternsLearned: Number(totals.patterns),
    occurrences: Number(totals.occurrences),
    successfulHeals,
    failedHeals,
    pendingHeals: count('pending'),
    averageConfidence: Number(totals.average_confidence),
    successRate: verified === 0 ? null : successfulHeals / verified,
    selfHealedJobs,
    byCategory,
  };
}
