/**
 * The HTTP contract: every request the API accepts and every JSON body it answers, as zod schemas.
 * The OpenAPI document (`/api/openapi.json`) is generated from them, and the tests check answers
 * against them, so a dashboard or a script can rely on these shapes. Times are ms since the epoch.
 */
import { z } from 'zod';
import { JOB_STATUSES, PATTERN_SOURCES } from '../core/types.js';
import { IMPROVEMENT_STATUSES } from '../store/curation-store.js';

// A JSON value. Recursive schemas make poor OpenAPI, so payloads are documented as "any JSON".
const JsonValue = z.unknown().describe('any JSON value');

/** Error answer of every endpoint. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('stable code, e.g. ERR_INVALID_ARGUMENT'),
    message: z.string(),
  }),
});

const pageLimit = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);
const offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
/** A path id: non-empty, bounded, printable. */
export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[\w.:@-]+$/, 'must be letters, digits, _ . : @ or -'),
});

// ---- jobs ------------------------------------------------------------------------------------

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

// ---- improvements, patterns --------------------------------------------------------------------

export const ImprovementSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  patternId: z.string().nullable(),
  action: z.string(),
  changesApplied: JsonValue,
  beforeMetrics: JsonValue,
  afterMetrics: JsonValue,
  validationStatus: z.enum(IMPROVEMENT_STATUSES),
  confidence: z.number(),
  createdAt: z.number(),
  validatedAt: z.number().nullable(),
});

export const ImprovementListQuery = z.strictObject({
  jobId: z.string().min(1).max(200).optional(),
  patternId: z.string().min(1).max(200).optional(),
  status: z.enum(IMPROVEMENT_STATUSES).optional(),
  limit: pageLimit(500, 50),
  offset,
});

export const ImprovementList = z.object({
  improvements: z.array(ImprovementSchema),
  limit: z.number(),
  offset: z.number(),
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

const text = z.string().max(4000);
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

// ---- stats, health, events -------------------------------------------------------------------

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

// ---- seed functions (POST /functions/v1/<name>) ------------------------------------------------

export const SelfHealerBody = z.strictObject({
  mode: z.literal('auto').default('auto'),
  jobId: z.string().min(1).max(200).optional(),
});

export const HealOutcomeSchema = z.object({
  jobId: z.string(),
  detected: z.string(),
  pattern: z.object({ id: z.string(), signature: z.string(), known: z.boolean() }).nullable(),
  applied: z.string().nullable(),
  outcome: z.enum(['pending', 'validated', 'failed', 'escalated', 'skipped']),
  message: z.string().optional(),
});

export const HealReportSchema = z.object({
  scanned: z.number(),
  results: z.array(HealOutcomeSchema),
});

export const MonitorBody = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
});
export const MonitorAnswer = z.object({
  health: MonitorHealthSchema,
  findings: z.array(FindingSchema),
});

export const ErrorInputSchema = z.strictObject({
  message: z
    .string()
    .min(1)
    .max(64 * 1024),
  name: z.string().max(200).optional(),
  code: z.union([z.string().max(200), z.number()]).optional(),
  status: z.number().int().min(100).max(599).optional(),
  stack: z
    .string()
    .max(64 * 1024)
    .optional(),
  jobType: z.string().max(200).optional(),
  stage: z.string().max(500).optional(),
});

export const TeacherBody = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('analyze'), error: ErrorInputSchema }),
  z.strictObject({
    mode: z.literal('learn'),
    error: ErrorInputSchema,
    jobId: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({
    mode: z.literal('teach'),
    pattern: z.string().min(1).max(200).describe('pattern id or signature'),
    rootCause: text.nullable().optional(),
    remedies: z.array(z.string().min(1).max(100)).max(20).optional(),
    prevention: text.nullable().optional(),
    category: z.string().min(1).max(100).optional(),
  }),
]);

export const AnalysisSchema = z.object({
  signature: z
    .string()
    .describe('the key the pattern book files this error under (rule:…, tpl:…, stuck:…)'),
  template: z.string(),
  category: z.string(),
  transient: z.boolean(),
  rootCause: z.string(),
  remedies: z.array(z.string()),
  prevention: z.string(),
  confidence: z.number(),
  ruleId: z.string().nullable(),
});

export const TeacherAnswer = z.object({
  mode: z.enum(['analyze', 'learn', 'teach']),
  analysis: AnalysisSchema.optional(),
  pattern: PatternSchema.optional(),
  /** For `learn`: false when this error created the pattern. */
  known: z.boolean().optional(),
});

export const AutoFixBody = z.strictObject({
  jobId: z.string().min(1).max(200),
  action: z.string().min(1).max(100),
  patternId: z.string().min(1).max(200).optional(),
});

export const SelfHealBody = z.strictObject({
  jobId: z.string().min(1).max(200),
  fixer: z.string().min(1).max(100),
});

export const OrchestratorBody = z.union([
  EnqueueBody,
  z.strictObject({ jobs: z.array(EnqueueBody).min(1).max(1000) }),
]);

export const OrchestratorAnswer = z.object({ jobs: z.array(JobSchema) });

// ---- pattern packs ---------------------------------------------------------------------------

export const PackPatternSchema = z.strictObject({
  signature: z
    .string()
    .min(1)
    .max(300)
    .regex(/^[\w:.@-]+$/, 'must be a pattern key (letters, digits, _ : . @ -)'),
  template: z.string().max(4000),
  category: z.string().min(1).max(100),
  transient: z.boolean(),
  rootCause: text.nullable(),
  remedies: z.array(z.string().min(1).max(100)).max(20),
  prevention: text.nullable(),
  facts: z.strictObject({
    name: z.string().max(200).optional(),
    code: z.string().max(200).optional(),
  }),
  source: z.enum(PATTERN_SOURCES),
  occurrences: z.number().int().min(0),
  successes: z.number().int().min(0),
  failures: z.number().int().min(0),
  confidence: z.number().min(0).max(1),
  remedyStatistics: z
    .array(
      z.strictObject({
        action: z.string().min(1).max(100),
        successes: z.number().min(0),
        failures: z.number().min(0),
      }),
    )
    .max(50),
});

export const PatternPackSchema = z.strictObject({
  format: z.literal('megamind-pattern-pack'),
  version: z.literal(1),
  /** A hash of the patterns: importing the same pack twice counts it once. */
  id: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number(),
  patterns: z.array(PackPatternSchema).max(100_000),
});

export const PackImportQuery = z.strictObject({
  weight: z.coerce.number().min(0).max(1).default(0.5),
});
export const PackImportAnswer = z.object({
  imported: z.boolean(),
  created: z.number(),
  merged: z.number(),
});
