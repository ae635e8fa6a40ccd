/**
 * Jobs: `/api/jobs` (list, read with attempts, errors and heals, enqueue, cancel, retry).
 */
import { z } from 'zod';
import { JOB_STATUSES } from '../../core/types.js';
import { JsonValue, offset, pageLimit } from './contract-basics.js';
import { ImprovementSchema } from './improvement-contracts.js';

export const JobErrorSchema = z.object({
  message: z.string(),
  name: z.string().optional(),
  code: z.string().optional(),
  stack: z.string().optional(),
  stage: z.string().optional(),
  attempt: z.number(),
  at: z.number(),
  kind: z.enum(['thrown', 'timeout', 'lease_expired', 'aborted', 'stuck']).optional(),
  escalation: z.string().optional().describe('why the job was escalated instead of retried'),
  healing: z
    .object({
      patternId: z.string(),
      action: z.string().optional(),
      params: z.record(z.string(), JsonValue).optional(),
    })
    .optional()
    .describe('what a healer did about this failure before the next attempt (ctx.healing)'),
});

export const JobSchema = z.object({
  id: z.string(),
  type: z.string(),
  payload: JsonValue,
  status: z.enum(JOB_STATUSES),
  priority: z.number(),
  runAt: z.number(),
  attempts: z.number(),
  maxAttempts: z.number(),
  idempotencyKey: z.string().nullable(),
  leaseOwner: z.string().nullable(),
  leaseExpiresAt: z.number().nullable(),
  stage: z.string().nullable(),
  progress: z.number(),
  heartbeatAt: z.number().nullable(),
  /** When the handler last made progress (stage, progress, checkpoint or ctx.heartbeat()); the monitor's stuck clock. */
  progressAt: z.number().nullable(),
  checkpoint: JsonValue,
  knobs: z.record(z.string(), JsonValue),
  result: JsonValue,
  lastError: JobErrorSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  selfHealed: z.boolean(),
  healingPatternId: z.string().nullable(),
  healingTimestamp: z.number().nullable(),
});

export const AttemptSchema = z.object({
  jobId: z.string(),
  attempt: z.number(),
  owner: z.string().nullable(),
  outcome: z.enum(['failed', 'lease_expired', 'released']),
  error: JobErrorSchema.nullable(),
  at: z.number(),
});

export const JobListQuery = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  type: z.string().min(1).max(200).optional(),
  limit: pageLimit(500, 50),
  offset,
});

export const JobList = z.object({
  jobs: z.array(JobSchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});

export const EnqueueOptionsSchema = z.strictObject({
  runAt: z
    .union([z.number(), z.iso.datetime()])
    .optional()
    .describe('ms since the epoch or an ISO date'),
  delayMs: z.number().min(0).optional(),
  priority: z.number().int().optional(),
  idempotencyKey: z.string().min(1).max(255).optional(),
  maxAttempts: z.number().int().min(1).max(1000).optional(),
  knobs: z.record(z.string(), JsonValue).optional(),
});

export const EnqueueBody = z.strictObject({
  type: z.string().min(1).max(200),
  payload: JsonValue.optional(),
  options: EnqueueOptionsSchema.optional(),
});

export const JobDetail = z.object({
  job: JobSchema,
  attempts: z.array(AttemptSchema),
  /** The errors of the failed attempts, oldest first. */
  errors: z.array(JobErrorSchema),
  /** Improvement log rows of this job, newest first. */
  heals: z.array(ImprovementSchema),
});

export const JobAnswer = z.object({ job: JobSchema });
export const CancelAnswer = z.object({ cancelled: z.boolean(), job: JobSchema });
export const RetryAnswer = z.object({ retried: z.boolean(), job: JobSchema });
