import type { Json } from './types.js';

/**
 * What one job type carries, for the compiler: its payload, its result and its knob values. An
 * interface works as well as a type alias (payloads need no index signature).
 */
export interface JobSpec {
  payload: unknown;
  result?: unknown;
  knobs?: Record<string, Json>;
}

/**
 * The job types of an application by name, passed to `createMegaMind<Jobs>()` or
 * `createMegaMindClient<Jobs>()` so that `enqueue('generate-app', payload)` is checked against the
 * type's payload at compile time (BullMQ's `Job<Data, Result>`, graphile-worker's task list):
 *
 * ```ts
 * interface Jobs {
 *   'generate-app': { payload: { prompt: string }; result: { url: string }; knobs: { model: 'gpt-4o' | 'gpt-4o-mini' } };
 * }
 * ```
 */
export type JobMap<M> = { [K in keyof M]: JobSpec };

/** The map of an untyped engine: any type name, any JSON. */
export interface UntypedJobs {
  [type: string]: { payload: Json; result: Json | void; knobs: Record<string, Json> };
}

/** A type's payload. */
export type PayloadOf<M, T extends keyof M> = M[T] extends { payload: infer P } ? P : Json;
/** A type's result, as its handler returns it. */
export type ResultOf<M, T extends keyof M> = M[T] extends { result: infer R } ? R : Json | void;
/** A type's knob values. */
export type KnobsOf<M, T extends keyof M> = M[T] extends { knobs: infer K }
  ? K
  : Record<string, Json>;
/** Type names of a map, as strings. */
export type JobName<M> = keyof M & string;
