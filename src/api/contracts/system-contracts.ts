/**
 * Statistics, monitor health, the health check and live events.
 */
import { z } from 'zod';
import { JOB_STATUSES } from '../../core/types.js';
import { JsonValue } from './contract-basics.js';
import { JobSchema } from './job-contracts.js';
import { PatternSchema } from './pattern-contracts.js';

export const CategoryStatisticSchema = z.object({
  category: z.string(),
  patterns: z.number(),
  occurrences: z.number(),
  successes: z.number(),
  failures: z.number(),
  averageConfidence: z.number(),
});

export const StatsAnswer = z.object({
  patternsLearned: z.number(),
  occurrences: z.number(),
  successfulHeals: z.number(),
  failedHeals: z.number(),
  pendingHeals: z.number(),
  averageConfidence: z.number(),
  successRate: z.number().nullable(),
  selfHealedJobs: z.number(),
  byCategory: z.array(CategoryStatisticSchema),
  jobs: z.record(z.enum(JOB_STATUSES), z.number()),
});

export const MonitorHealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'failing']),
  checkedAt: z.number(),
  details: z.record(z.string(), JsonValue).optional(),
});

export const FindingSchema = z.object({
  kind: z.string(),
  jobId: z.string().nullable(),
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string(),
  detectedAt: z.number(),
  data: z.record(z.string(), JsonValue).optional(),
});

export const HealthzAnswer = z.object({
  status: z.literal('ok'),
  store: z.enum(['sqlite', 'postgres']),
});

/** One server-sent event's `data`: the event name again and what it concerns. */
export const LiveEvent = z.object({
  id: z.number(),
  type: z
    .string()
    .describe(
      'job:started, job:completed, job:failed, job:enqueued, job:cancelled, job:retried, pattern:recorded, pattern:updated, …',
    ),
  at: z.number(),
  job: JobSchema.optional(),
  pattern: PatternSchema.omit({ disabled: true }).optional(),
  data: JsonValue.optional(),
});
