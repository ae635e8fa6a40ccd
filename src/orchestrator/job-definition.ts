import { invalidArgument } from '../core/errors.js';
import type { Json } from '../core/types.js';
import type { JobContext } from './job-context.js';
import type { JobTypeDescription, KnobDefinitions, StageDefinition } from '../core/job-type.js';
import { validateKnobDefinitions } from './knobs.js';
import { assertPayloadSchema, parseBeforeRun, type PayloadSchema } from './payload-schema.js';

/** What `mm.define(type, definition)` takes. */
export interface JobDefinition<P = Json, R = Json | void, K = Record<string, Json>> {
  /** The handler. Its return value (JSON) is stored as the job's result. */
  run(payload: P, ctx: JobContext<K>): Promise<R> | R;
  /**
   * A zod schema of the payload: checked at enqueue (in a process that defines the type) and
   * before each run, with errors naming the path (`payload.items[2].name: …`); the handler gets
   * the parsed output. Without one, the payload type is only checked by the compiler.
   */
  payloadSchema?: PayloadSchema<P>;
  /**
   * Attempts of this type run at once in this process.
   * @default 1
   */
  concurrency?: number;
  /** The stages in order, so progress and "stuck at 25%" can be named. */
  stages?: readonly StageDefinition[];
  /** What a healer may change, and within which bounds. */
  knobs?: KnobDefinitions;
  /** What the job depends on (`openai`, `postgres`, `registry`…), for attributing errors. */
  resources?: readonly string[];
  /** How long a run usually takes; the monitor flags slow jobs against it. */
  expectedDurationMs?: number;
  /** A running job with no heartbeat or progress for this long is stuck. @default 5 min */
  stuckAfterMs?: number;
  /** An attempt running longer than this is aborted and fails. @default none */
  timeoutMs?: number;
  /** Attempts before a job of this type fails for good, unless `enqueue` says otherwise. @default 3 */
  maxAttempts?: number;
}

/** A definition with its defaults filled in. */
export interface ResolvedJobDefinition {
  type: string;
  run: (payload: Json, ctx: JobContext) => Promise<unknown> | unknown;
  /** The zod schema of the payload, if the definition gave one. */
  payloadSchema: PayloadSchema<unknown> | undefined;
  concurrency: number;
  stages: readonly StageDefinition[];
  knobs: KnobDefinitions;
  /** The type declares at least one knob. */
  hasKnobs: boolean;
  resources: readonly string[];
  expectedDurationMs: number | undefined;
  stuckAfterMs: number;
  timeoutMs: number | undefined;
  maxAttempts: number;
}

const TYPE_NAME = /^[A-Za-z0-9][\w.:-]{0,127}$/;

function positiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function positiveDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** Validates a definition, naming the wrong field, and fills in defaults. */
export function resolveJobDefinition(
  type: string,
  definition: JobDefinition<never, never, never>,
): ResolvedJobDefinition {
  if (typeof type !== 'string' || !TYPE_NAME.test(type)) {
    throw invalidArgument(
      `job type must be 1-128 letters, digits, '.', ':', '_' or '-', got ${JSON.stringify(type)}`,
    );
  }
  if (typeof definition?.run !== 'function')
    throw invalidArgument(`job type "${type}" needs a run(payload, ctx) function`);
  const where = `job type "${type}"`;
  if (definition.concurrency !== undefined && !positiveInteger(definition.concurrency)) {
    throw invalidArgument(`${where}: concurrency must be a whole number greater than 0`);
  }
  if (definition.maxAttempts !== undefined && !positiveInteger(definition.maxAttempts)) {
    throw invalidArgument(`${where}: maxAttempts must be a whole number greater than 0`);
  }
  for (const field of ['expectedDurationMs', 'stuckAfterMs', 'timeoutMs'] as const) {
    if (definition[field] !== undefined && !positiveDuration(definition[field])) {
      throw invalidArgument(`${where}: ${field} must be a number of milliseconds greater than 0`);
    }
  }
  const stages = definition.stages ?? [];
  for (const stage of stages) {
    if (typeof stage.name !== 'string' || !(stage.percent >= 0 && stage.percent <= 100)) {
      throw invalidArgument(`${where}: each stage needs a name and a percent between 0 and 100`);
    }
    for (const field of ['stuckAfterMs', 'expectedDurationMs'] as const) {
      if (stage[field] !== undefined && !positiveDuration(stage[field])) {
        throw invalidArgument(
          `${where}: stage "${stage.name}": ${field} must be a number of milliseconds greater than 0`,
        );
      }
    }
  }
  const knobs = definition.knobs ?? {};
  validateKnobDefinitions(type, knobs);
  assertPayloadSchema(type, definition.payloadSchema);
  const schema = definition.payloadSchema as PayloadSchema<unknown> | undefined;
  const run = definition.run as ResolvedJobDefinition['run'];
  return {
    type,
    run: schema ? (payload, ctx) => run(parseBeforeRun(schema, payload, type) as Json, ctx) : run,
    payloadSchema: schema,
    concurrency: definition.concurrency ?? 1,
    stages,
    knobs,
    hasKnobs: Object.keys(knobs).length > 0,
    resources: definition.resources ?? [],
    expectedDurationMs: definition.expectedDurationMs,
    stuckAfterMs: definition.stuckAfterMs ?? 5 * 60_000,
    timeoutMs: definition.timeoutMs,
    maxAttempts: definition.maxAttempts ?? 3,
  };
}

/** The handler-less description of a type that a worker writes to the store. */
export function describeJobType(
  definition: ResolvedJobDefinition,
  now: number,
): JobTypeDescription {
  return {
    type: definition.type,
    stages: definition.stages.map((stage) => ({ ...stage })),
    knobs: structuredClone(definition.knobs) as KnobDefinitions,
    resources: [...definition.resources],
    expectedDurationMs: definition.expectedDurationMs ?? null,
    stuckAfterMs: definition.stuckAfterMs,
    timeoutMs: definition.timeoutMs ?? null,
    maxAttempts: definition.maxAttempts,
    concurrency: definition.concurrency,
    describedAt: now,
  };
}
