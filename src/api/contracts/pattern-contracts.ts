/**
 * The pattern book: `/api/patterns` (list, read with per-remedy statistics and occurrences, edit).
 */
import { z } from 'zod';
import { PATTERN_SOURCES } from '../../core/types.js';
import { JsonValue, offset, pageLimit, text } from './contract-basics.js';

export const PatternSchema = z.object({
  id: z.string(),
  /** The pattern identity: one per root cause. */
  patternKey: z.string(),
  /** Deprecated: the same value as patternKey, under its old name. */
  signature: z.string(),
  template: z.string(),
  category: z.string(),
  transient: z.boolean(),
  rootCause: z.string().nullable(),
  remedies: z.array(z.string()),
  prevention: z.string().nullable(),
  facts: z.record(z.string(), JsonValue),
  source: z.enum(PATTERN_SOURCES),
  occurrenceCount: z.number(),
  successCount: z.number(),
  failureCount: z.number(),
  confidence: z.number(),
  example: z.string().nullable(),
  mergedInto: z.string().nullable(),
  firstSeen: z.number(),
  lastSeen: z.number(),
  lastUsed: z.number().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  disabled: z.boolean(),
});

export const PatternListQuery = z.strictObject({
  category: z.string().min(1).max(100).optional(),
  orderBy: z.enum(['last_seen', 'occurrences']).default('last_seen'),
  limit: pageLimit(500, 50),
  offset,
});

export const PatternList = z.object({
  patterns: z.array(PatternSchema),
  limit: z.number(),
  offset: z.number(),
});

export const RemedyStatisticSchema = z.object({
  action: z.string(),
  successes: z.number(),
  failures: z.number(),
  pending: z.number(),
  priorSuccesses: z.number(),
  priorFailures: z.number(),
});

export const OccurrenceSchema = z.object({
  id: z.number(),
  patternId: z.string(),
  jobId: z.string().nullable(),
  attempt: z.number().nullable(),
  message: z.string(),
  /** Fingerprint of the message's exact shape; null for occurrences stored before it was kept. */
  signature: z.string().nullable(),
  at: z.number(),
});

export const PatternDetail = z.object({
  pattern: PatternSchema,
  remedyStatistics: z.array(RemedyStatisticSchema),
  /** The 20 most recent occurrences (redacted messages). */
  occurrences: z.array(OccurrenceSchema),
});

export const PatternEditBody = z
  .strictObject({
    rootCause: text.nullable().optional(),
    remedies: z.array(z.string().min(1).max(100)).max(20).optional(),
    prevention: text.nullable().optional(),
    category: z.string().min(1).max(100).optional(),
  })
  .refine(
    (edit) => Object.keys(edit).length > 0,
    'give at least one of rootCause, remedies, prevention, category',
  );

export const PatternAnswer = z.object({ pattern: PatternSchema });
