/**
 * Pattern packs: what `megamind export` writes and `/api/patterns/import` accepts.
 */
import { z } from 'zod';
import { PATTERN_SOURCES } from '../../core/types.js';
import { text } from './contract-basics.js';

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
