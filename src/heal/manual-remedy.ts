import { invalidArgument, OrchestratorError } from '../core/errors.js';
import type { Job, JobError, Json, Pattern } from '../core/types.js';
import { resolveKnobs } from '../orchestrator/knobs.js';
import { analyzeError } from '../patterns/analyze-error.js';
import type { ErrorFacts } from '../patterns/facts.js';
import type { PatternBook } from '../patterns/pattern-book.js';
import type { JobStore } from '../store/job-store.js';
import type { ApplyInput } from './apply-choice.js';
import type { JobTypeCache } from './job-type-cache.js';
import { recordFailure } from './record-failure.js';
import { ACTION_IDS, isActionId, type ActionId } from '../knowledge/actions.js';
import { REMEDIES, remedyFor, TERMINAL_ACTIONS } from './actions/remedies.js';
import type { Fixer } from './fixers/fixer.js';
import type { RemedyCandidate } from './learner/thompson-policy.js';
import { remedyKey, type RemedyTarget } from './remedy.js';

/** `applyRemedy`: one catalogue action, with parameters, on one job (the seed's auto-fix-engine). */
export interface RemedyRequest {
  jobId: string;
  /** A catalogue action id, e.g. `increase_timeout`. */
  action: string;
  /** The action's parameters, checked against its schema, e.g. `{ factor: 2 }`. @default {} */
  params?: Record<string, Json>;
  /** The pattern the remedy answers (id or signature). @default the pattern of the job's last error */
  patternId?: string;
}

/** `applyFixer`: one registered fixer, by name, on one job (the seed's self-heal). */
export interface FixerRequest {
  jobId: string;
  /** The name the fixer was registered under (healer option `fixers`). */
  fixer: string;
  /** Parameters handed to the fixer. @default {} */
  params?: Record<string, Json>;
  /** The pattern the fix answers (id or signature). @default the pattern of the job's last error */
  patternId?: string;
}

/** Job states a remedy can be applied in: failed (queued again) or queued (re-scheduled). */
const HEALABLE: readonly Job['status'][] = ['failed', 'queued'];

/** Refuses a job that no heal can act on now, naming its state. */
export function assertHealable(job: Job): void {
  if (!HEALABLE.includes(job.status))
    throw invalidArgument(
      `job ${job.id} is ${job.status}; a remedy is applied to a failed or queued job`,
    );
}

/** A remedy asked for by name, its action and parameters checked. */
export interface ParsedRemedy {
  action: ActionId;
  params: Record<string, Json>;
}

/**
 * Checks what can be checked of a remedy asked for by name before the job is looked at: a known,
 * non-terminal action, and parameters that pass its schema. Throws an invalid argument naming
 * what was wrong.
 */
export function parseRemedy(request: Pick<RemedyRequest, 'action' | 'params'>): ParsedRemedy {
  const { action } = request;
  if (!isActionId(action))
    throw invalidArgument(`unknown action "${action}"; the catalogue has ${ACTION_IDS.join(', ')}`);
  if (TERMINAL_ACTIONS.includes(action))
    throw invalidArgument(
      `${action} ends a job's healing instead of applying a remedy; cancel the job instead`,
    );
  const parsed = REMEDIES[action].params.safeParse(request.params ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'params'}: ${issue.message}`,
    );
    throw invalidArgument(`parameters of ${action}: ${problems.join('; ')}`);
  }
  return { action, params: parsed.data };
}

/**
 * Checks a parsed remedy against the job: applicable to its type and to what is registered, and
 * parameters that can act (a listed model, a factor that moves the knob). Throws an invalid
 * argument naming what was wrong, before anything is applied.
 */
export function manualCandidate(
  { action, params }: ParsedRemedy,
  target: RemedyTarget & { job: Job; pattern: Pattern },
): RemedyCandidate {
  const remedy = remedyFor(action, target.pattern, target.services);
  const applicable = remedy.applicable(target);
  if (!applicable.ok)
    throw invalidArgument(
      `${action} cannot act on job ${target.job.id} of type "${target.jobType.type}": ${applicable.needs}`,
    );
  const accepted = remedy.accepts?.(params, target) ?? { ok: true };
  if (!accepted.ok)
    throw invalidArgument(`${action} cannot act on job ${target.job.id}: ${accepted.needs}`);
  return { key: remedyKey(action, params), action, params, rank: null };
}

/** The registered fixer of that name; throws an invalid argument naming those registered. */
export function namedFixer(fixers: readonly Fixer[], name: string): Fixer {
  const fixer = fixers.find((candidate) => candidate.name === name);
  if (fixer) return fixer;
  const known = fixers.map((candidate) => `"${candidate.name}"`).join(', ');
  throw invalidArgument(
    `no fixer named "${name}"; ${known === '' ? 'none is registered (healer option fixers)' : `registered: ${known}`}`,
  );
}

/** Refuses a fixer registered for another pattern or category than the one it is asked to fix. */
export function assertFixerFits(fixer: Fixer, pattern: Pattern): void {
  if (
    fixer.pattern !== undefined &&
    fixer.pattern !== pattern.id &&
    fixer.pattern !== pattern.patternKey
  )
    throw invalidArgument(
      `fixer "${fixer.name}" is registered for pattern ${fixer.pattern}, not ${pattern.id} (${pattern.patternKey})`,
    );
  if (
    fixer.pattern === undefined &&
    fixer.category !== undefined &&
    fixer.category !== pattern.category
  )
    throw invalidArgument(
      `fixer "${fixer.name}" fixes ${fixer.category} errors; pattern ${pattern.id} is ${pattern.category}`,
    );
}

/** What a heal asked for by hand acts on. */
export type ManualTarget = ApplyInput;

/**
 * The job, its type and knobs, and the pattern a heal asked for by hand answers: the named one,
 * or that of the job's last error (counted in the book like any heal's). Refuses, changing
 * nothing, an unknown job or pattern and a job that cannot be healed now.
 */
export async function manualTarget(
  deps: { store: Pick<JobStore, 'getJob'>; patterns: PatternBook },
  types: JobTypeCache,
  request: { jobId: string; patternId?: string },
  now: number,
): Promise<ManualTarget> {
  const job = await deps.store.getJob(request.jobId);
  if (!job) throw new OrchestratorError('ERR_JOB_NOT_FOUND', `no job with id "${request.jobId}"`);
  assertHealable(job);
  let pattern: Pattern | undefined;
  let facts: ErrorFacts | undefined;
  if (request.patternId !== undefined) {
    pattern = await deps.patterns.get(request.patternId);
    if (!pattern) throw invalidArgument(`no pattern with id or signature "${request.patternId}"`);
    if (job.lastError) facts = analyzeError(job.lastError).facts;
  } else if (job.lastError) {
    ({
      pattern,
      analysis: { facts },
    } = await recordFailure(deps.patterns, job, job.lastError, now));
  } else {
    throw invalidArgument(`job ${job.id} has no error to heal; name the pattern (patternId)`);
  }
  const jobType = await types.get(job.type);
  const error: JobError = job.lastError ?? {
    message: pattern.template,
    attempt: job.attempts,
    at: now,
  };
  return {
    job,
    error,
    pattern,
    jobType,
    knobs: resolveKnobs(jobType.knobs, job.knobs),
    now,
    facts: facts ?? (pattern.facts as unknown as ErrorFacts),
  };
}
