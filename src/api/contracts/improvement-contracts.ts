/**
 * The improvement log (`ai_improvement_logs`) as `/api/improvements` and a job's heals answer it.
 */
import { z } from 'zod';
import { HEAL_OUTCOMES, VALIDATION_STATUSES } from '../../store/heal-store.js';
import { JsonValue, offset, pageLimit } from './contract-basics.js';

/**
 * One row of `ai_improvement_logs`: the seed's columns (camelCase) and what the healer adds beside
 * them: what it detected, whether the pattern was new, the remedy with its parameters, the outcome.
 */
export const ImprovementSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  jobType: z.string().nullable(),
  attempt: z.number().nullable().describe('the attempt that failed or got stuck and was healed'),
  patternId: z.string().nullable(),
  patternNew: z.boolean().describe('true when this heal saw its pattern for the first time'),
  action: z.string(),
  remedy: z
    .string()
    .nullable()
    .describe('action and canonical parameters, e.g. increase_timeout{"factor":2}'),
  changesApplied: z.record(z.string(), JsonValue),
  detected: z
    .record(z.string(), JsonValue)
    .describe('what was detected: message, category, template, root cause, analysis'),
  beforeMetrics: z.record(z.string(), JsonValue),
  afterMetrics: z.record(z.string(), JsonValue).nullable(),
  validationStatus: z.enum(VALIDATION_STATUSES),
  outcome: z.enum(HEAL_OUTCOMES).nullable().describe('how the next attempt went, once it has'),
  confidence: z.number(),
  createdAt: z.number(),
  validatedAt: z.number().nullable(),
});

export const ImprovementListQuery = z.strictObject({
  jobId: z.string().min(1).max(200).optional(),
  patternId: z.string().min(1).max(200).optional(),
  action: z.string().min(1).max(100).optional(),
  status: z.enum(VALIDATION_STATUSES).optional(),
  limit: pageLimit(500, 50),
  offset,
});

export const ImprovementList = z.object({
  improvements: z.array(ImprovementSchema),
  limit: z.number(),
  offset: z.number(),
});
