import { z } from 'zod';
import type { ActionId } from '../../knowledge/actions.js';
import type { Json } from '../../core/types.js';
import type { KnobDefinition } from '../../core/job-type.js';
import type { JobTypeView } from '../job-type-view.js';
import type { Applicability, Remedy, RemedyInput, RemedyPlan } from '../remedy.js';

/**
 * Parameters of a knob change: a factor for number knobs, a value for choices and flags, or `to`:
 * the number a knob is set to (the setting that healed the pattern before).
 */
export type KnobParams = { factor?: number; value?: string | boolean; to?: number };

const knobParams = z.strictObject({
  factor: z.number().positive().finite().optional(),
  value: z.union([z.string().min(1), z.boolean()]).optional(),
  to: z.number().finite().optional(),
}) as z.ZodType<KnobParams>;

/** How a knob remedy moves a number knob. */
export type Direction = 'up' | 'down';

/** The value a knob change leads to, or undefined when it cannot move that way. */
export function nextKnobValue(
  knob: KnobDefinition,
  current: Json | undefined,
  params: KnobParams,
  direction: Direction,
): Json | undefined {
  if (knob.kind === 'number') {
    const from = typeof current === 'number' ? current : knob.default;
    if (params.to !== undefined) {
      const { to } = params;
      const inBounds = to >= knob.min && to <= knob.max && (!knob.integer || Number.isInteger(to));
      return inBounds && (direction === 'up' ? to > from : to < from) ? to : undefined;
    }
    const factor = params.factor ?? (direction === 'up' ? 2 : 0.5);
    if (direction === 'up' ? factor <= 1 : factor >= 1) return undefined;
    let to = Math.min(knob.max, Math.max(knob.min, from * factor));
    if (knob.integer) to = direction === 'up' ? Math.ceil(to) : Math.floor(to);
    to = Math.min(knob.max, Math.max(knob.min, to));
    return to === from ? undefined : to;
  }
  if (knob.kind === 'choice') {
    const from = typeof current === 'string' ? current : knob.default;
    const value = params.value;
    if (typeof value === 'string')
      return knob.options.includes(value) && value !== from ? value : undefined;
    return knob.options.find((option) => option !== from);
  }
  const from = typeof current === 'boolean' ? current : knob.default;
  const to = typeof params.value === 'boolean' ? params.value : !from;
  return to === from ? undefined : to;
}

/**
 * A remedy that changes one declared knob within its bounds and retries: a factor for number
 * knobs (timeouts up, batch sizes down), another listed value for choices (models).
 */
export function knobRemedy(id: ActionId, knob: string, direction: Direction): Remedy<KnobParams> {
  return {
    id,
    params: knobParams,
    variants(jobType: JobTypeView, knobs: Record<string, Json>): KnobParams[] {
      const definition = jobType.knobs[knob];
      if (!definition) return [];
      // Two step sizes: when the small step fails on a job the large one is still untried there.
      if (definition.kind === 'number')
        return direction === 'up'
          ? [{ factor: 2 }, { factor: 4 }]
          : [{ factor: 0.5 }, { factor: 0.25 }];
      if (definition.kind === 'flag') return [{ value: !(knobs[knob] ?? definition.default) }];
      const current = knobs[knob] ?? definition.default;
      return definition.options.filter((option) => option !== current).map((value) => ({ value }));
    },
    applicable({ jobType, knobs }): Applicability {
      const definition = jobType.knobs[knob];
      if (!definition)
        return { ok: false, needs: `declare a "${knob}" knob on job type "${jobType.type}"` };
      if (knobs && nextKnobValue(definition, knobs[knob], {}, direction) === undefined) {
        return {
          ok: false,
          needs: `widen the bounds of knob "${knob}" of job type "${jobType.type}" (it is at its limit)`,
        };
      }
      return { ok: true };
    },
    accepts(params: KnobParams, { jobType, knobs }): Applicability {
      const definition = jobType.knobs[knob];
      if (!definition) return { ok: false, needs: `declare a "${knob}" knob` };
      const current = knobs?.[knob];
      if (nextKnobValue(definition, current, params, direction) !== undefined) return { ok: true };
      const now = JSON.stringify(current ?? definition.default);
      const allowed =
        definition.kind === 'number'
          ? `a factor ${direction === 'up' ? 'above' : 'below'} 1, or a "to" ${direction === 'up' ? 'above' : 'below'} it, within ${definition.min}..${definition.max}`
          : definition.kind === 'choice'
            ? `another of ${definition.options.map((option) => JSON.stringify(option)).join(', ')}`
            : 'the other flag value';
      return {
        ok: false,
        needs: `knob "${knob}" is ${now}; ${id} needs ${allowed}, got ${JSON.stringify(params)}`,
      };
    },
    async apply({
      jobType,
      knobs,
      params,
      job,
      services,
    }: RemedyInput<KnobParams>): Promise<RemedyPlan> {
      const definition = jobType.knobs[knob]!;
      const to = nextKnobValue(definition, knobs[knob], params, direction);
      if (to === undefined)
        return {
          kind: 'escalate',
          delayMs: 0,
          changes: {},
          reason: `knob "${knob}" cannot move further`,
        };
      return {
        kind: 'retry',
        delayMs: services.backoffMs(1) / 4,
        knobs: { [knob]: to },
        changes: { knob, from: knobs[knob] ?? null, to, attempt: job.attempts },
      };
    },
  };
}

export const increaseTimeout = knobRemedy('increase_timeout', 'timeoutMs', 'up');
export const reduceBatchSize = knobRemedy('reduce_batch_size', 'batchSize', 'down');
export const switchModel = knobRemedy('switch_model', 'model', 'up');
export const reduceContext = knobRemedy('reduce_context', 'maxContextTokens', 'down');
export const repairJsonOutput = knobRemedy('repair_json_output', 'responseFormat', 'up');
export const increaseMemory = knobRemedy('increase_memory', 'memoryMb', 'up');
export const raiseFileDescriptorLimit = knobRemedy(
  'raise_file_descriptor_limit',
  'concurrency',
  'down',
);
