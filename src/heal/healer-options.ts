import { MINUTE, SECOND } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import type { EscalatorOptions } from './escalator.js';
import type { Fixer } from './fixers/fixer.js';
import type { ResourceBreakersOptions } from './guards/resource-breakers.js';
import type { LearnedKnobsOptions } from './guards/learned-knobs.js';
import { seededRandom, type Random } from './learner/beta.js';
import type { ThompsonPolicyOptions } from './learner/thompson-policy.js';
import type { LlmClient } from './llm-client.js';
import type { ResetHook } from './remedy-services.js';

/** Where the optional LLM analyzer of unknown patterns is, and how much it may be used. */
export interface HealerLlmOptions {
  /** A ready client (tests, other providers); otherwise one is built from the fields below. */
  client?: LlmClient;
  /** OpenAI-compatible base URL, e.g. `http://127.0.0.1:11434/v1` (Ollama). */
  baseURL?: string;
  /** @default process.env.OPENAI_API_KEY */
  apiKey?: string;
  model?: string;
  /** @default 8000 */
  timeoutMs?: number;
  /** @default 60 */
  maxCallsPerHour?: number;
}

/** Options of the healer (`createMegaMind({ heal: { … } })`). */
export interface HealerOptions {
  /**
   * Heals one job may receive before it is escalated.
   * @default 5
   */
  maxHealsPerJob?: number;
  /**
   * Intensity limit (as OTP supervisors have): more than `maxFailures` failed heals of one pattern
   * within `windowMs` stop healing that pattern, and its jobs are escalated until the window passes.
   * @default { maxFailures: 20, windowMs: 60000 }
   */
  intensity?: { maxFailures: number; windowMs: number };
  /**
   * Outcomes of a pattern needed before the healer may conclude that nothing fixes it.
   * @default 4
   */
  giveUpAfter?: number;
  /**
   * What happens to a job whose error nothing fixes: dead-letter and notify, or fail quietly.
   * @default 'escalate'
   */
  onUnfixable?: 'escalate' | 'fail';
  /** Reset hooks per resource, called by `reconnect` and `reset_connection_pool`. */
  resetHooks?: Record<string, ResetHook>;
  /** Code-level fixers (clear a cache, rotate credentials, patch a config…). */
  fixers?: readonly Fixer[];
  /** Notification hook and webhook for escalations. */
  escalation?: EscalatorOptions;
  /** Optional LLM analysis of patterns no rule knows. */
  llm?: HealerLlmOptions;
  /** Backoff of `retry_with_backoff` and of waits without a Retry-After. @default { initialDelayMs: 1000, maxDelayMs: 300000 } */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Circuit breaker cool-downs. */
  breaker?: ResourceBreakersOptions;
  /** Priors and thresholds of the learner. */
  policy?: Omit<ThompsonPolicyOptions, 'random'>;
  /** A random source or a seed, for reproducible decisions. @default Math.random */
  random?: Random | number;
  /** How often learned counts are re-read to pick up other processes' outcomes. @default 30000 */
  refreshMs?: number;
  /** Job types the healer leaves to the default retry policy. */
  excludeTypes?: readonly string[];
  /**
   * Knob values that healed a job type's jobs become the type's starting values for new jobs
   * (see {@link LearnedKnobsOptions}); false keeps every job on its declared defaults.
   * @default { after: 2, ttlMs: 24 hours }
   */
  learnedKnobs?: LearnedKnobsOptions | false;
}

/** {@link HealerOptions} with defaults filled in. */
export interface ResolvedHealerOptions {
  maxHealsPerJob: number;
  intensity: { maxFailures: number; windowMs: number };
  giveUpAfter: number;
  onUnfixable: 'escalate' | 'fail';
  resetHooks: Record<string, ResetHook>;
  fixers: readonly Fixer[];
  escalation: EscalatorOptions;
  llm: HealerLlmOptions | undefined;
  backoff: { initialDelayMs: number; maxDelayMs: number };
  breaker: ResourceBreakersOptions;
  policy: Omit<ThompsonPolicyOptions, 'random'>;
  random: Random;
  refreshMs: number;
  excludeTypes: ReadonlySet<string>;
  learnedKnobs: LearnedKnobsOptions;
}

const DEFAULTS = {
  maxHealsPerJob: 5,
  intensity: { maxFailures: 20, windowMs: 1 * MINUTE },
  giveUpAfter: 4,
  onUnfixable: 'escalate',
  backoff: { initialDelayMs: 1 * SECOND, maxDelayMs: 5 * MINUTE },
  refreshMs: 30 * SECOND,
} satisfies HealerOptions;

function wholeAtLeast(name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min))
    throw invalidArgument(`heal.${name} must be a whole number >= ${min}, got ${String(value)}`);
  return value;
}

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    throw invalidArgument(`heal.${name} must be a number > 0, got ${String(value)}`);
  return value;
}

/** Fills in defaults and validates, naming the wrong option. */
export function resolveHealerOptions(options: HealerOptions = {}): ResolvedHealerOptions {
  const intensity = options.intensity ?? DEFAULTS.intensity;
  const backoff = { ...DEFAULTS.backoff, ...options.backoff };
  const onUnfixable = options.onUnfixable ?? DEFAULTS.onUnfixable;
  if (onUnfixable !== 'escalate' && onUnfixable !== 'fail')
    throw invalidArgument(
      `heal.onUnfixable must be "escalate" or "fail", got ${String(onUnfixable)}`,
    );
  for (const [resource, hook] of Object.entries(options.resetHooks ?? {})) {
    if (typeof hook !== 'function')
      throw invalidArgument(`heal.resetHooks.${resource} must be a function`);
  }
  for (const fixer of options.fixers ?? []) {
    if (typeof fixer?.fix !== 'function' || typeof fixer.name !== 'string')
      throw invalidArgument('each heal.fixers entry needs a name, an action and a fix() function');
  }
  if (
    options.llm &&
    options.llm.client === undefined &&
    (typeof options.llm.model !== 'string' || options.llm.model === '')
  ) {
    throw invalidArgument('heal.llm needs a model (or a client)');
  }
  const random = options.random;
  return {
    maxHealsPerJob: wholeAtLeast(
      'maxHealsPerJob',
      options.maxHealsPerJob ?? DEFAULTS.maxHealsPerJob,
      1,
    ),
    intensity: {
      maxFailures: wholeAtLeast('intensity.maxFailures', intensity.maxFailures, 1),
      windowMs: positive('intensity.windowMs', intensity.windowMs),
    },
    giveUpAfter: wholeAtLeast('giveUpAfter', options.giveUpAfter ?? DEFAULTS.giveUpAfter, 1),
    onUnfixable,
    resetHooks: { ...options.resetHooks },
    fixers: [...(options.fixers ?? [])],
    escalation: options.escalation ?? {},
    llm: options.llm,
    backoff: {
      initialDelayMs: positive('backoff.initialDelayMs', backoff.initialDelayMs),
      maxDelayMs: positive('backoff.maxDelayMs', backoff.maxDelayMs),
    },
    breaker: options.breaker ?? {},
    policy: options.policy ?? {},
    random: typeof random === 'number' ? seededRandom(random) : (random ?? Math.random),
    refreshMs: positive('refreshMs', options.refreshMs ?? DEFAULTS.refreshMs),
    excludeTypes: new Set(options.excludeTypes ?? []),
    learnedKnobs: resolveLearnedKnobs(options.learnedKnobs),
  };
}

function resolveLearnedKnobs(
  options: LearnedKnobsOptions | false | undefined,
): LearnedKnobsOptions {
  if (options === false) return { after: 0 };
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null)
    throw invalidArgument('heal.learnedKnobs must be false or an object');
  return {
    ...options,
    ...(options.after === undefined
      ? {}
      : { after: wholeAtLeast('learnedKnobs.after', options.after, 0) }),
    ...(options.ttlMs === undefined
      ? {}
      : { ttlMs: positive('learnedKnobs.ttlMs', options.ttlMs) }),
    ...(options.refreshMs === undefined
      ? {}
      : { refreshMs: positive('learnedKnobs.refreshMs', options.refreshMs) }),
  };
}
