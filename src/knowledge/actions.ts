/**
 * The remedy actions a healer can take. Analyzers and rules only ever recommend ids from here,
 * so an LLM answer or an imported pattern pack can be validated against this list.
 *
 * `knobs` names the job knobs an action changes; an action whose knobs a job type did not
 * declare cannot be applied to it. `automatic` is false when a human has to act.
 */
export const ACTIONS = {
  retry: {
    description: 'Run the job again unchanged.',
    knobs: [],
    family: 'retry',
    automatic: true,
  },
  retry_with_backoff: {
    description: 'Run the job again after an exponentially growing, jittered delay.',
    knobs: [],
    family: 'retry',
    automatic: true,
  },
  wait_for_rate_limit: {
    description:
      'Delay the next attempt until the Retry-After or rate-limit reset time has passed.',
    knobs: [],
    family: 'wait',
    automatic: true,
  },
  reduce_concurrency: {
    description: 'Run fewer jobs (or requests) against the resource at once.',
    knobs: ['concurrency'],
    family: 'throttle',
    automatic: true,
  },
  reduce_batch_size: {
    description: 'Process fewer items per call or per transaction.',
    knobs: ['batchSize'],
    family: 'knob',
    automatic: true,
  },
  increase_timeout: {
    description: 'Give the operation more time before it is aborted.',
    knobs: ['timeoutMs'],
    family: 'knob',
    automatic: true,
  },
  switch_model: {
    description: 'Use another model from the declared list (larger context, other provider).',
    knobs: ['model'],
    family: 'knob',
    automatic: true,
  },
  reduce_context: {
    description: 'Shorten the prompt: trim history, summarise, lower max output tokens.',
    knobs: ['maxContextTokens'],
    family: 'knob',
    automatic: true,
  },
  repair_json_output: {
    description: 'Strip code fences and prose around JSON, then re-ask the model for valid JSON.',
    knobs: ['responseFormat'],
    family: 'knob',
    automatic: true,
  },
  reconnect: {
    description: 'Drop the failed connection and open a new one before retrying.',
    knobs: [],
    family: 'reconnect',
    automatic: true,
  },
  reset_connection_pool: {
    description: 'Close every pooled connection and rebuild the pool, optionally smaller.',
    knobs: ['poolSize'],
    family: 'reconnect',
    automatic: true,
  },
  open_circuit_breaker: {
    description: 'Pause all jobs that use the failing resource for a cool-down period.',
    knobs: [],
    family: 'wait',
    automatic: true,
  },
  resume_from_checkpoint: {
    description: 'Restart the job from its last checkpoint instead of from the beginning.',
    knobs: [],
    family: 'retry',
    automatic: true,
  },
  restart_job: {
    description: 'Abandon the current attempt and start the job afresh on a new lease.',
    knobs: [],
    family: 'retry',
    automatic: true,
  },
  clear_cache: {
    description:
      'Delete build caches (node_modules, .next, dist, package-manager cache) and rebuild.',
    knobs: [],
    family: 'knob',
    automatic: true,
  },
  increase_memory: {
    description: 'Give the process or container more memory (e.g. --max-old-space-size).',
    knobs: ['memoryMb'],
    family: 'knob',
    automatic: true,
  },
  free_disk_space: {
    description: 'Remove temporary files, old images and build artefacts to free disk space.',
    knobs: [],
    family: 'knob',
    automatic: true,
  },
  raise_file_descriptor_limit: {
    description: 'Raise the open-file limit or open fewer files at once.',
    knobs: ['concurrency'],
    family: 'knob',
    automatic: true,
  },
  refresh_credentials: {
    description: 'Obtain a fresh token or reload rotated credentials, then retry.',
    knobs: [],
    family: 'reconnect',
    automatic: true,
  },
  rollback_deployment: {
    description: 'Redeploy the last version that was healthy.',
    knobs: [],
    family: 'human',
    automatic: true,
  },
  fail_fast: {
    description: 'Stop retrying: the error will not go away by itself.',
    knobs: [],
    family: 'human',
    automatic: true,
  },
  escalate: {
    description: 'Dead-letter the job and notify a human; the fix needs someone outside the job.',
    knobs: [],
    family: 'human',
    automatic: false,
  },
} as const satisfies Record<string, ActionSpec>;

/**
 * What kind of fix an action is: wait for something outside to clear, run again, change a job
 * knob, send less, renew a connection or credential, or hand it to a human.
 */
export type RemedyFamily = 'wait' | 'retry' | 'knob' | 'throttle' | 'reconnect' | 'human';

/** The shape of one catalogue entry. */
export interface ActionSpec {
  /** One line saying what the action does. */
  readonly description: string;
  /** Job knobs the action changes; the job type must declare them. */
  readonly knobs: readonly string[];
  /** The kind of fix; see {@link RemedyFamily}. */
  readonly family: RemedyFamily;
  /** False when the action needs a human. */
  readonly automatic: boolean;
}

/** The id of a remedy action; see {@link ACTIONS}. */
export type ActionId = keyof typeof ACTIONS;

/** Every action id, in catalogue order. */
export const ACTION_IDS = Object.keys(ACTIONS) as ActionId[];

/** True when `value` names an action in the catalogue. */
export function isActionId(value: unknown): value is ActionId {
  return typeof value === 'string' && Object.hasOwn(ACTIONS, value);
}

/** The family of an action: what kind of fix it is. */
export function remedyFamily(action: ActionId): RemedyFamily {
  return ACTIONS[action].family;
}
