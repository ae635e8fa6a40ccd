import type { Json } from '../core/types.js';
import type {
  HealOutcome,
  Improvement,
  RemedyRepeatStat,
  RemedyStat,
  ValidationStatus,
} from './heal-store.js';
import type { ColumnCodec } from './row-mapping.js';

const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const text = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const object = (value: Json | null): Record<string, Json> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};

/** Maps an `ai_improvement_logs` row to an {@link Improvement}. */
export function rowToImprovement(row: Record<string, unknown>, codec: ColumnCodec): Improvement {
  const after = codec.json(row.after_metrics);
  return {
    id: String(row.id),
    jobId: text(row.job_id),
    jobType: text(row.job_type),
    attempt: num(row.attempt),
    patternId: text(row.pattern_id),
    patternNew: codec.bool(row.pattern_new),
    action: String(row.action),
    remedy: text(row.remedy),
    changesApplied: object(codec.json(row.changes_applied)),
    detected: object(codec.json(row.detected)),
    beforeMetrics: object(codec.json(row.before_metrics)),
    afterMetrics: after === null ? null : object(after),
    validationStatus: row.validation_status as ValidationStatus,
    outcome: (text(row.outcome) as HealOutcome | null) ?? null,
    confidence: Number(row.confidence),
    createdAt: Number(row.created_at),
    validatedAt: num(row.validated_at),
  };
}

/** Maps a `remedy_stats` row to a {@link RemedyStat}. */
export function rowToRemedyStat(row: Record<string, unknown>, codec: ColumnCodec): RemedyStat {
  return {
    patternId: String(row.pattern_id),
    remedy: String(row.remedy),
    action: String(row.action),
    params: object(codec.json(row.params)),
    successCount: Number(row.success_count),
    failureCount: Number(row.failure_count),
    lastUsed: num(row.last_used),
  };
}

/** A `remedy_repeat_stats` row as a {@link RemedyRepeatStat}. */
export function rowToRemedyRepeat(row: Record<string, unknown>): RemedyRepeatStat {
  return {
    patternId: String(row.pattern_id),
    remedy: String(row.remedy),
    tries: Number(row.tries),
    successCount: Number(row.success_count),
    failureCount: Number(row.failure_count),
  };
}
