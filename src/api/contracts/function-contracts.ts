/**
 * The seed's functions, `POST /functions/v1/<name>`: bodies and answers.
 */
import { z } from 'zod';
import { JsonValue, text } from './contract-basics.js';
import { EnqueueBody, JobSchema } from './job-contracts.js';
import { PatternSchema } from './pattern-contracts.js';
import { FindingSchema, MonitorHealthSchema } from './system-contracts.js';

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

const patternRef = z
  .string()
  .min(1)
  .max(300)
  .describe("pattern id or signature; default: the pattern of the job's last error");

export const AutoFixBody = z.strictObject({
  jobId: z.string().min(1).max(200),
  action: z.string().min(1).max(100).describe('a catalogue action id, e.g. increase_timeout'),
  params: z
    .record(z.string(), JsonValue)
    .optional()
    .describe("the action's parameters, e.g. { factor: 2 } or { value: 'gpt-4o-mini' }"),
  patternId: patternRef.optional(),
});

export const SelfHealBody = z.strictObject({
  jobId: z.string().min(1).max(200),
  fixer: z.string().min(1).max(100).describe('the name a fixer was registered under'),
  params: z.record(z.string(), JsonValue).optional().describe('handed to the fixer'),
  patternId: patternRef.optional(),
});

export const OrchestratorBody = z.union([
  EnqueueBody,
  z.strictObject({ jobs: z.array(EnqueueBody).min(1).max(1000) }),
]);

export const OrchestratorAnswer = z.object({ jobs: z.array(JobSchema) });
