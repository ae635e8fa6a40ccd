import type { Job, Json, Pattern } from '../core/types.js';
import { ACTION_IDS, ACTIONS, isActionId, type ActionId } from '../knowledge/actions.js';
import type { Improvement } from '../store/heal-store.js';
import { remedyFor, TERMINAL_ACTIONS } from './actions/remedies.js';
import type { JobTypeView } from './job-type-view.js';
import { betaMean } from './learner/beta.js';
import type { RemedyMemory } from './learner/remedy-memory.js';
import type { Neighbours } from './learner/neighbours.js';
import type { RemedyCandidate, ThompsonPolicy } from './learner/thompson-policy.js';
import { actionOfKey, remedyKey } from './remedy.js';
import type { RemedyServices } from './remedy-services.js';

/** Actions that run the job again without spending an attempt. */
const WAITING_ACTIONS: readonly ActionId[] = ['wait_for_rate_limit', 'open_circuit_breaker'];
/**
 * Remedies that change nothing but time, each repetition waiting longer (backoff grows with the
 * attempt, a re-opened breaker doubles its cool-down, Retry-After is the upstream's word): they
 * may be repeated on a job, within its heal budget. Every other remedy that failed on a job for a
 * pattern is never chosen there again.
 */
const PATIENT_ACTIONS: readonly ActionId[] = [
  'retry_with_backoff',
  'wait_for_rate_limit',
  'open_circuit_breaker',
];
/** Remedies an unknown error is not explored with: they answer a resource's explicit push-back. */
const NOT_EXPLORED: readonly ActionId[] = [
  'wait_for_rate_limit',
  'open_circuit_breaker',
  'reduce_concurrency',
];

/**
 * Client-error statuses that say who is asking or when, not what was asked (credentials, proxy
 * auth, a request timeout, throttling): a changed request does not answer them.
 */
const NOT_ABOUT_THE_REQUEST: readonly number[] = [401, 403, 407, 408, 429];

/** True when an upstream rejected the request itself: an HTTP 4xx about what was sent. */
function rejectedAsSent(pattern: Pattern): boolean {
  const status = pattern.facts.status;
  return (
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    !NOT_ABOUT_THE_REQUEST.includes(status)
  );
}

/** Repeats are counted apart up to this many earlier failures of the remedy on the job. */
const MAX_TRIES = 2;

/** What to do about one failure, before anything is applied. */
export type HealChoice =
  | {
      kind: 'remedy';
      candidate: RemedyCandidate;
      /** The forecast probability that this heal works. */
      confidence: number;
      needs: string[];
      /** How many times the remedy had already failed on the job for this pattern (2 = two or more). */
      tries?: number;
    }
  | {
      kind: 'terminal';
      action: 'fail_fast' | 'escalate';
      reason: string;
      learned: boolean;
      needs: string[];
    };

/** Everything a choice is made from. */
export interface PlanInput {
  job: Job;
  pattern: Pattern;
  jobType: JobTypeView;
  knobs: Record<string, Json>;
  /** The job's earlier heals, newest first. */
  history: readonly Improvement[];
  /** Remedies ranked by the analysis (rules, a similar pattern, or an LLM), best first; with parameters when the LLM gave some. */
  ranked: readonly { action: ActionId; params?: Record<string, Json> }[];
  /** True while the pattern's intensity limit is exceeded. */
  intense: boolean;
  /** True when the job has no attempts left (a heal that spends one cannot run). */
  spent: boolean;
}

/** Bounds the planner enforces. */
export interface PlannerLimits {
  maxHealsPerJob: number;
  giveUpAfter: number;
  onUnfixable: 'escalate' | 'fail';
}

/**
 * Chooses the remedy for one failure: enforces the job's heal budget and the pattern's intensity
 * limit, drops remedies that cannot act on this job (saying what to register) or already failed
 * on it for this pattern, gives up on patterns nothing has fixed, and lets Thompson sampling pick
 * among the rest. Reads memory only.
 */
export class HealPlanner {
  readonly #policy: ThompsonPolicy;
  readonly #memory: RemedyMemory;
  readonly #neighbours: Neighbours;
  readonly #services: RemedyServices;
  readonly #limits: PlannerLimits;

  constructor(
    policy: ThompsonPolicy,
    memory: RemedyMemory,
    neighbours: Neighbours,
    services: RemedyServices,
    limits: PlannerLimits,
  ) {
    this.#policy = policy;
    this.#memory = memory;
    this.#neighbours = neighbours;
    this.#services = services;
    this.#limits = limits;
  }

  choose(input: PlanInput): HealChoice {
    const { pattern, history } = input;
    const unfixable = this.#limits.onUnfixable === 'escalate' ? 'escalate' : 'fail_fast';
    let heals = 0;
    for (const row of history) if (!TERMINAL_ACTIONS.includes(row.action as ActionId)) heals++;
    if (heals >= this.#limits.maxHealsPerJob) {
      return terminal(
        'escalate',
        `the heal budget of ${this.#limits.maxHealsPerJob} per job is spent`,
      );
    }
    if (input.intense)
      return terminal(
        'escalate',
        `too many failed heals of pattern ${pattern.id} in the intensity window`,
      );
    const totals = this.#memory.totals(pattern.id);
    const first = input.ranked[0]?.action;
    const failedHere = new Set<string>();
    for (const row of history)
      if (row.patternId === pattern.id && row.outcome === 'failure' && row.remedy !== null)
        failedHere.add(row.remedy);
    const { spent } = input;
    // The knowledge base says nothing the job can do helps (bad request, cancelled, quota): believe it until a heal proves otherwise.
    if (
      first !== undefined &&
      TERMINAL_ACTIONS.includes(first) &&
      !pattern.transient &&
      totals.successes === 0
    ) {
      return this.#probeOrGiveUp(input, first as 'fail_fast' | 'escalate', failedHere);
    }
    const { candidates, needs } = this.#candidates(input, failedHere, spent);
    const own = this.#memory.of(pattern.id);
    const borrowed = this.#neighbours.borrowFor(pattern);
    if (
      candidates.length > 0 &&
      this.#policy.givesUp(candidates, own, borrowed, totals, this.#limits.giveUpAfter)
    ) {
      return {
        ...terminal(unfixable, `no remedy has fixed this pattern in ${totals.failures} tries`),
        learned: true,
      };
    }
    const choice = this.#policy.choose(candidates, own, borrowed);
    if (!choice) {
      const why = spent
        ? 'the job has no attempts left'
        : failedHere.size > 0
          ? 'every applicable remedy already failed on this job'
          : 'no remedy can act on this job';
      return { ...terminal('escalate', why), needs };
    }
    const { key } = choice.candidate;
    let tries = 0;
    for (const row of history)
      if (row.patternId === pattern.id && row.remedy === key && row.outcome === 'failure') tries++;
    tries = Math.min(tries, MAX_TRIES);
    const confidence = this.#policy.forecast(
      choice.posterior,
      this.#memory.repeatOf(pattern.id, key, tries),
    );
    return { kind: 'remedy', candidate: choice.candidate, confidence, needs, tries };
  }

  /**
   * A request an upstream rejects as sent (a 4xx about the request) may pass once the job sends it
   * differently, and the job type's declared knobs are exactly what it may change. So before such a
   * rejection is learned as hopeless, each declared knob change is probed once for the pattern
   * (each on a job where it has not failed yet); once every one has failed somewhere, the knowledge
   * base's terminal answer stands from the first attempt. One learning episode per pattern, bounded
   * by the knobs the type declares. A fixer the user registered for the error's remedies is probed
   * the same way, whatever the error. Errors the rules know need a person (a missing module, a code
   * bug, bad credentials) are otherwise believed at once.
   */
  #probeOrGiveUp(
    input: PlanInput,
    action: 'fail_fast' | 'escalate',
    failedHere: ReadonlySet<string>,
  ): HealChoice {
    const { pattern } = input;
    const own = this.#memory.of(pattern.id);
    const reason = pattern.rootCause ?? 'the error is not transient';
    const probeKnobs = rejectedAsSent(pattern);
    // A fix the user registered for this error (a credentials refresh, a cache clear) is tried
    // before the rules' verdict stands.
    const fixed = (candidate: RemedyCandidate) =>
      this.#services.fixerFor(candidate.action, pattern) !== undefined;
    const changes = this.#candidates(input, failedHere, input.spent, probeKnobs).candidates.filter(
      (candidate) => (probeKnobs && ACTIONS[candidate.action].knobs.length > 0) || fixed(candidate),
    );
    const probes = changes.filter((candidate) => (own.get(candidate.key)?.failures ?? 0) === 0);
    const choice = this.#policy.choose(probes, own);
    if (!choice) {
      const tried = changes.filter((candidate) => own.has(candidate.key));
      if (tried.length === 0) return terminal(action, reason);
      const keys = tried.map((candidate) => candidate.key).join(', ');
      return {
        ...terminal(action, `${reason} No declared knob change fixed it (${keys}).`),
        learned: true,
      };
    }
    return {
      kind: 'remedy',
      candidate: choice.candidate,
      confidence: this.#policy.forecast(choice.posterior, undefined),
      needs: [],
      tries: 0,
    };
  }

  /**
   * Knob settings that healed the pattern with this action: the value a knob change reached (in
   * this process) and the `to` remedies with successes (from the store), so the next job is set
   * there at once instead of retracing the steps that led to it (a batch halved twice is set to
   * its final size directly).
   */
  #learnedParams(patternId: string, action: ActionId): Json[] {
    const params: Json[] = [];
    for (const [key, counts] of this.#memory.of(patternId)) {
      if (counts.successes === 0 || actionOfKey(key) !== action || key === action) continue;
      const stored = JSON.parse(key.slice(action.length)) as Record<string, Json>;
      if (typeof stored.to === 'number') params.push(stored);
    }
    const setting = this.#memory.setting(patternId, action);
    if (setting !== undefined) params.push({ to: setting });
    return params;
  }

  /** The probability that a remedy works on a pattern, as the learner believes now. */
  confidence(pattern: Pattern, candidate: RemedyCandidate): number {
    const posterior = this.#policy.posterior(
      candidate,
      this.#memory.of(pattern.id).get(candidate.key),
      this.#neighbours.borrowFor(pattern),
    );
    return betaMean(posterior);
  }

  #candidates(
    input: PlanInput,
    failedHere: ReadonlySet<string>,
    spent: boolean,
    knobChanges = false,
  ): { candidates: RemedyCandidate[]; needs: string[] } {
    const { job, pattern, jobType, knobs, ranked } = input;
    const rankOf = new Map<ActionId, number>();
    ranked.forEach((entry, index) => {
      if (!rankOf.has(entry.action)) rankOf.set(entry.action, index);
    });
    // Unknown errors may be fixed by anything the job type allows; known ones stick to their analysis.
    const explore = pattern.category === 'other';
    const actions = new Set<ActionId>(ranked.map((entry) => entry.action));
    // A transient error can always be waited out, even when none of its own remedies can act here.
    if (pattern.transient) actions.add('retry_with_backoff');
    // What has healed this pattern before stays a candidate, whatever the analysis ranks.
    for (const [key, counts] of this.#memory.of(pattern.id)) {
      const action = actionOfKey(key);
      if (counts.successes > 0 && isActionId(action)) actions.add(action);
    }
    for (const action of ACTION_IDS) {
      if (
        (explore && !NOT_EXPLORED.includes(action)) ||
        (knobChanges && ACTIONS[action].knobs.length > 0) ||
        this.#services.fixerFor(action, pattern) !== undefined
      )
        actions.add(action);
    }
    const candidates: RemedyCandidate[] = [];
    const needs: string[] = [];
    const target = { jobType, services: this.#services, job, knobs, pattern };
    for (const action of actions) {
      if (TERMINAL_ACTIONS.includes(action) || (spent && !WAITING_ACTIONS.includes(action)))
        continue;
      const remedy = remedyFor(action, pattern, this.#services);
      const applicable = remedy.applicable(target);
      if (!applicable.ok) {
        if (rankOf.has(action)) needs.push(`${action}: ${applicable.needs}`);
        continue;
      }
      // Parameters an analysis proposed or the learner remembers are checked against the remedy's schema; its own variants are trusted.
      const check = (params: Json[]) =>
        params
          .map((entry) => remedy.params.safeParse(entry))
          .flatMap((parsed) =>
            parsed.success && (remedy.accepts?.(parsed.data, target).ok ?? true)
              ? [parsed.data]
              : [],
          );
      const proposed = check(
        ranked.flatMap((entry) =>
          entry.action === action && entry.params !== undefined ? [entry.params] : [],
        ),
      );
      const learned = check(this.#learnedParams(pattern.id, action));
      const learnedKeys = new Set(learned.map((params) => remedyKey(action, params)));
      const seen = new Set<string>();
      for (const params of [...learned, ...proposed, ...remedy.variants(jobType, knobs)]) {
        const key = remedyKey(action, params);
        if (seen.has(key) || (failedHere.has(key) && !PATIENT_ACTIONS.includes(action))) continue;
        seen.add(key);
        // A setting that healed this pattern ranks as the analysis' best would.
        const rank = learnedKeys.has(key) ? 0 : (rankOf.get(action) ?? null);
        candidates.push({ key, action, params, rank });
      }
    }
    return { candidates, needs };
  }
}

function terminal(
  action: 'fail_fast' | 'escalate',
  reason: string,
): HealChoice & { kind: 'terminal' } {
  return { kind: 'terminal', action, reason, learned: false, needs: [] };
}

/** The ranked remedies of a pattern as stored (unknown ids dropped). */
export function rankedOf(pattern: Pattern): { action: ActionId }[] {
  return pattern.remedies.filter(isActionId).map((action) => ({ action }));
}
