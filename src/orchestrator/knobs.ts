import { invalidArgument } from '../core/errors.js';
import type { KnobDefinition, KnobDefinitions } from '../core/job-type.js';
import type { Json } from '../core/types.js';

/** Checks a job type's knob declarations once, at `define()`. */
export function validateKnobDefinitions(type: string, knobs: KnobDefinitions): void {
  for (const [name, knob] of Object.entries(knobs)) {
    const where = `job type "${type}" knob "${name}"`;
    if (knob.kind === 'number') {
      if (![knob.default, knob.min, knob.max].every(Number.isFinite) || knob.min > knob.max) {
        throw invalidArgument(
          `${where}: min, max and default must be finite numbers with min <= max`,
        );
      }
      if (knob.default < knob.min || knob.default > knob.max) {
        throw invalidArgument(
          `${where}: default ${knob.default} is outside [${knob.min}, ${knob.max}]`,
        );
      }
    } else if (knob.kind === 'choice') {
      if (knob.options.length === 0 || !knob.options.includes(knob.default)) {
        throw invalidArgument(`${where}: default "${knob.default}" must be one of its options`);
      }
    } else if (knob.kind !== 'flag') {
      throw invalidArgument(`${where}: kind must be "number", "choice" or "flag"`);
    }
  }
}

/** Returns why `value` is not allowed for `knob`, or undefined when it is. */
export function knobValueProblem(knob: KnobDefinition, value: unknown): string | undefined {
  if (knob.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
    if (knob.integer && !Number.isInteger(value)) return 'must be a whole number';
    if (value < knob.min || value > knob.max) return `must be within [${knob.min}, ${knob.max}]`;
    return undefined;
  }
  if (knob.kind === 'choice') {
    return typeof value === 'string' && knob.options.includes(value)
      ? undefined
      : `must be one of ${knob.options.join(', ')}`;
  }
  return typeof value === 'boolean' ? undefined : 'must be true or false';
}

/** Validates per-job knob overrides against the declarations, naming the first wrong one. */
export function validateKnobValues(
  type: string,
  definitions: KnobDefinitions,
  values: Record<string, unknown>,
): void {
  for (const [name, value] of Object.entries(values)) {
    const knob = definitions[name];
    if (!knob) throw invalidArgument(`job type "${type}" declares no knob "${name}"`);
    const problem = knobValueProblem(knob, value);
    if (problem)
      throw invalidArgument(
        `knob "${name}" of job type "${type}" ${problem}, got ${JSON.stringify(value)}`,
      );
  }
}

/**
 * Starting values for a job type's knobs that are better than the declared defaults (the healer's
 * learned settings). Asked synchronously at every job start, so it answers from memory.
 */
export interface KnobAdvisor {
  knobsFor(type: string): Readonly<Record<string, Json>> | undefined;
}

/**
 * The job's stored knob values completed with advised ones for knobs it leaves unset; `stored`
 * itself when no advice applies. Advice outside a knob's declared bounds is ignored.
 */
export function withAdvisedKnobs(
  definitions: KnobDefinitions,
  stored: Record<string, Json>,
  advised: Readonly<Record<string, Json>> | undefined,
): Record<string, Json> {
  if (advised === undefined) return stored;
  let knobs = stored;
  for (const [name, value] of Object.entries(advised)) {
    const knob = definitions[name];
    if (!knob || stored[name] !== undefined || knobValueProblem(knob, value) !== undefined)
      continue;
    if (knobs === stored) knobs = { ...stored };
    knobs[name] = value;
  }
  return knobs;
}

/** The values a handler sees: declared defaults, overridden by the job's stored values. */
export function resolveKnobs(
  definitions: KnobDefinitions,
  stored: Record<string, Json>,
): Record<string, Json> {
  const values: Record<string, Json> = {};
  for (const [name, knob] of Object.entries(definitions)) {
    const value = stored[name];
    values[name] =
      value !== undefined && knobValueProblem(knob, value) === undefined ? value : knob.default;
  }
  return values;
}
