/** A stage a job type goes through, with the progress it marks. */
export interface StageDefinition {
  name: string;
  percent: number;
  /** A job in this stage with no progress for this long is stuck. @default the job type's stuckAfterMs */
  stuckAfterMs?: number;
  /** How long this stage usually takes; the monitor flags slow stages against it. */
  expectedDurationMs?: number;
}

/** A number a healer may move within `[min, max]`, e.g. a timeout or a batch size. */
export interface NumberKnob {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  /** Whole numbers only (batch sizes, concurrency). @default false */
  integer?: boolean;
}

/** A choice among listed values, e.g. the model to call. */
export interface ChoiceKnob {
  kind: 'choice';
  default: string;
  options: readonly string[];
}

/** A switch, e.g. "use the cache". */
export interface FlagKnob {
  kind: 'flag';
  default: boolean;
}

/** What a job type lets a healer change. Anything not declared is never touched. */
export type KnobDefinition = NumberKnob | ChoiceKnob | FlagKnob;

/** The knobs a job type declares, by name. */
export type KnobDefinitions = Record<string, KnobDefinition>;

/**
 * What a job type is, without its handler: what a worker writes to the store when it starts, so
 * that a client, the monitor, the healer and the dashboard know every type without loading code.
 */
export interface JobTypeDescription {
  type: string;
  stages: StageDefinition[];
  knobs: KnobDefinitions;
  resources: string[];
  expectedDurationMs: number | null;
  /** A running job with no progress for this long is stuck. */
  stuckAfterMs: number;
  timeoutMs: number | null;
  maxAttempts: number;
  /** Attempts at once per worker process. */
  concurrency: number;
  /** When a worker last described the type (ms since the epoch). */
  describedAt: number;
}
