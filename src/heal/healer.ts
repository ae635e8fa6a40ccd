import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { coerceError } from '../core/errors.js';
import type { Job, JobError, Json } from '../core/types.js';
import { ACTION_IDS } from '../knowledge/actions.js';
import { resolveKnobs, type KnobAdvisor } from '../orchestrator/knobs.js';
import type { RecordedError } from '../patterns/pattern-book.js';
import type { Improvement, ImprovementFilter } from '../store/heal-store.js';
import type {
  FailureContext,
  FailureDecision,
  FailureHook,
  NextFailureHook,
} from '../orchestrator/failure-hook.js';
import { runFixer } from './actions/fixer-remedy.js';
import { remedyFor } from './actions/remedies.js';
import { llmAnalyzerOf, type LlmAnalysis, type LlmAnalyzer } from './analyzers/llm-analyzer.js';
import { applyChoice, decisionOf, type ApplyInput } from './apply-choice.js';
import { logHeal } from './heal-log.js';
import { HealPlanner, rankedOf, type HealChoice } from './heal-planner.js';
import { reportOf, skippedReport, type HealReport } from './heal-report.js';
import {
  resolveHealerOptions,
  type HealerOptions,
  type ResolvedHealerOptions,
} from './healer-options.js';
import { HealerServices } from './healer-services.js';
import { HealOutcomes } from './heal-outcomes.js';
import type { HealerDeps, HealerEvents } from './healer-deps.js';
import { JobTypeCache } from './job-type-cache.js';
import type { JobTypeView } from './job-type-view.js';
import { recordFailure, recordStuck, type StuckDetails } from './record-failure.js';
import { OutcomeLedger } from './learner/outcome-ledger.js';
import { Neighbours } from './learner/neighbours.js';
import { RemedyMemory } from './learner/remedy-memory.js';
import { ThompsonPolicy, type RemedyCandidate } from './learner/thompson-policy.js';
import {
  assertFixerFits,
  manualCandidate,
  manualTarget,
  namedFixer,
  parseRemedy,
  type FixerRequest,
  type RemedyRequest,
} from './manual-remedy.js';
import { remedyKey, type RemedyPlan } from './remedy.js';
import { requeueHealed, type Carried } from './requeue-healed.js';

/** A job a heal acts on, with everything its remedy is chosen and applied from. */
interface HealTarget extends ApplyInput {
  /** Where the remedies came from: an analysis of the error, or an operator who named one. */
  source: HealReport['detected']['analysis'];
  /** When the heal began (performance clock), for its report. */
  begun: number;
}

/**
 * The learning healer (the seed's mega-mind-self-healer): for each failed attempt it records the
 * error's pattern, chooses a remedy among those that can act on the job — by Thompson sampling
 * over what worked for this pattern and similar ones — applies it (a delay, a knob change, a
 * breaker, a reset hook, a fixer), logs the heal as pending, and learns from the next attempt:
 * completed → success, same pattern → failure, another error → changed. Used by the worker as a
 * failure hook, by the monitor for stuck jobs, and by people through `heal()`, `applyRemedy()`
 * (the seed's auto-fix-engine) and `applyFixer()` (the seed's self-heal).
 */
export class Healer extends EventEmitter<HealerEvents> implements FailureHook, KnobAdvisor {
  readonly options: ResolvedHealerOptions;
  readonly services: HealerServices;
  readonly #deps: HealerDeps;
  readonly #memory: RemedyMemory;
  readonly #neighbours: Neighbours;
  readonly #planner: HealPlanner;
  readonly #llm: LlmAnalyzer | undefined;
  readonly #types: JobTypeCache;
  readonly #ledger: OutcomeLedger;
  readonly #outcomes: HealOutcomes;
  readonly #onError: (error: Error) => void;

  constructor(deps: HealerDeps, options: HealerOptions = {}) {
    super();
    this.options = resolveHealerOptions(options);
    this.#deps = deps;
    this.#onError = deps.onError ?? (() => {});
    this.#types = new JobTypeCache(deps.listJobTypes);
    this.#memory = new RemedyMemory(deps.store, this.options.refreshMs);
    this.#neighbours = new Neighbours(this.#memory);
    const policy = new ThompsonPolicy({ ...this.options.policy, random: this.options.random });
    this.services = new HealerServices(
      deps.store,
      this.options,
      (resource) => this.#types.using(resource),
      this.#onError,
    );
    this.#planner = new HealPlanner(
      policy,
      this.#memory,
      this.#neighbours,
      this.services,
      this.options,
    );
    this.#ledger = new OutcomeLedger(
      deps.store,
      this.#memory,
      this.#neighbours,
      policy,
      this.options.intensity,
    );
    this.#outcomes = new HealOutcomes({
      store: deps.store,
      ledger: this.#ledger,
      services: this.services,
      types: this.#types,
      onOutcome: (improvement) => this.emit('outcome', improvement),
      onError: this.#onError,
    });
    if (this.options.llm) this.#llm = llmAnalyzerOf(this.options.llm, deps.store);
  }

  /** The LLM analyzer, when one is configured (its `lastFailure` says why it last fell back). */
  get llm(): LlmAnalyzer | undefined {
    return this.#llm;
  }

  /** The worker's failure hook: heals the failure, or defers to the default policy. */
  async onFailure(ctx: FailureContext, next: NextFailureHook): Promise<FailureDecision> {
    if (ctx.nonRetryable || this.options.excludeTypes.has(ctx.job.type)) return next(ctx);
    this.#types.note(ctx.definition);
    try {
      const { decision, report, notify } = await this.#handle(
        ctx.job,
        ctx.error,
        ctx.definition,
        ctx.now,
      );
      this.#outcomes.decided(decision, report.improvementId, notify);
      return decision;
    } catch (error) {
      // A healer that cannot decide must not lose the failure: the default policy takes over.
      this.#onError(coerceError(error));
      return next(ctx);
    }
  }

  /**
   * The failure this healer decided on was not written: its attempt had lost the job (restarted,
   * cancelled, taken over). The heal it logged will never be validated by a next attempt; it is
   * closed as abandoned, and a fixer's change undone.
   */
  async onRefused(ctx: FailureContext, decision: FailureDecision): Promise<void> {
    await this.#outcomes.refused(ctx.job.id, decision, ctx.now);
  }

  /** The failure was written: an escalation it decided is announced now, not before it happened. */
  async onWritten(_ctx: FailureContext, decision: FailureDecision): Promise<void> {
    this.#outcomes.written(decision);
  }

  /**
   * Heals one job, or scans every failed job: each gets the remedy the healer would have chosen
   * on its failure and is queued again, failed or escalated. Returns one report per job looked at.
   */
  async heal(request: { jobId?: string; limit?: number } = {}): Promise<HealReport[]> {
    const jobs =
      request.jobId !== undefined
        ? [await this.#deps.store.getJob(request.jobId)].filter(
            (job): job is Job => job !== undefined,
          )
        : await this.#deps.store.listJobs({ status: 'failed', limit: request.limit ?? 100 });
    const reports: HealReport[] = [];
    for (const job of jobs) {
      const report = await this.#healFailedJob(job, request.jobId !== undefined);
      if (report) reports.push(report);
    }
    return reports;
  }

  /**
   * Applies one catalogue remedy, with parameters, to a failed or queued job (the seed's
   * auto-fix-engine), as if the healer had chosen it: the heal is logged pending, the job runs
   * again with the remedy's knobs, and its next attempt is counted on the remedy's statistics.
   * Throws an invalid argument, having changed nothing, when the action is unknown or terminal,
   * the parameters fail its schema or cannot act (an undeclared knob, a model not listed), the
   * remedy cannot act on the job's type, or the job is in no state to be healed.
   */
  async applyRemedy(request: RemedyRequest): Promise<HealReport> {
    const parsed = parseRemedy(request);
    const target = await this.#manualTarget(request.jobId, request.patternId);
    const candidate = manualCandidate(parsed, { ...target, services: this.services });
    return this.#applyByHand(target, candidate);
  }

  /**
   * Runs a registered fixer, by name, on a failed or queued job (the seed's self-heal) and queues
   * the job at once: its change is kept if that run passes and reverted if it fails. The outcome
   * is counted on the fixer's action like any heal. Throws an invalid argument for an unknown
   * fixer, one registered for another pattern or category, or a job in no state to be healed.
   */
  async applyFixer(request: FixerRequest): Promise<HealReport> {
    const fixer = namedFixer(this.options.fixers, request.fixer);
    const target = await this.#manualTarget(request.jobId, request.patternId);
    const { job, error, pattern } = target;
    assertFixerFits(fixer, pattern);
    const params = request.params ?? {};
    const key = remedyKey(fixer.action, params);
    const candidate = { key, action: fixer.action, params, rank: null };
    return this.#applyByHand(target, candidate, () =>
      runFixer(fixer, { job, error, pattern, params }),
    );
  }

  /**
   * Heals a job the monitor found stuck (no heartbeat or progress) or whose lease was lost: the
   * stuck pattern of its type and stage is recorded, a remedy chosen, and a running attempt is
   * revoked (its lease token bumped, so its late writes are refused) and queued again with the
   * remedy's knobs. A job the lease sweep already queued or failed is queued with them.
   */
  async healStuck(job: Job, finding: StuckDetails = {}): Promise<HealReport> {
    const now = this.#deps.clock.now();
    const jobType = await this.#types.get(job.type);
    const { error, recorded } = await recordStuck(this.#deps.patterns, job, finding, now);
    const carried = await this.#handle(job, error, jobType, now, { stuck: recorded });
    return requeueHealed(this.#deps.store, this.#outcomes, carried, job, error, now);
  }

  /**
   * A job completed: settles its pending heals as validated, counts the successes, and lets
   * breakers close and concurrency limits grow back. The app calls it on every `job:completed`.
   */
  onCompleted(job: Job): Promise<void> {
    return this.#outcomes.completed(job, this.#deps.clock.now());
  }

  /** The improvement log, newest first. */
  improvements(filter?: ImprovementFilter): Promise<Improvement[]> {
    return this.#deps.store.listImprovements(filter);
  }

  /**
   * The knob values new jobs of `type` start with: settings that healed earlier jobs of the type
   * (see `heal.learnedKnobs`). The worker asks at every job start; a job's own values win.
   */
  knobsFor(type: string): Readonly<Record<string, Json>> | undefined {
    return this.services.knobs.knobsFor(type, this.#deps.clock.now());
  }

  /** Forgets the knob values learned for `type`, or for every type: new jobs start from the declared defaults. */
  forgetLearnedKnobs(type?: string): Promise<void> {
    return this.services.knobs.forget(type, this.#deps.clock.now());
  }

  /** Resolves when escalation notifications under way have been delivered or given up. */
  idle(): Promise<void> {
    return this.services.escalator.idle();
  }

  async #healFailedJob(job: Job, asked: boolean): Promise<HealReport | undefined> {
    if (job.status !== 'failed' || job.lastError === null)
      return asked ? skippedReport(job, `the job is ${job.status}, not failed`) : undefined;
    if (!asked && job.healingPatternId !== null) {
      // Jobs the healer itself failed or escalated stay so unless someone asks for them by id.
      const [last] = await this.#deps.store.listImprovements({ jobId: job.id, limit: 1 });
      if (last && (last.action === 'fail_fast' || last.action === 'escalate')) return undefined;
    }
    const now = this.#deps.clock.now();
    const jobType = await this.#types.get(job.type);
    const carried = await this.#handle(job, job.lastError, jobType, now, { rescue: true });
    return requeueHealed(this.#deps.store, this.#outcomes, carried, job, job.lastError, now);
  }

  /**
   * Records the failure's pattern, settles the job's last heal by it, and chooses and carries out
   * a remedy. `stuck` is the monitor's recorded pattern; `rescue` marks a heal off the failure path.
   */
  async #handle(
    job: Job,
    error: JobError,
    jobType: JobTypeView,
    now: number,
    from: { stuck?: RecordedError; rescue?: boolean } = {},
  ): Promise<Carried> {
    const begun = performance.now();
    const { pattern, analysis } =
      from.stuck ?? (await recordFailure(this.#deps.patterns, job, error, now));
    this.emit('recorded', pattern, job);
    const resource = this.services.resourceFor(pattern, jobType.resources);
    if (resource !== undefined) await this.services.breakers.failed(resource, now);
    this.#neighbours.learn(pattern);
    await this.#memory.refresh(now);
    const history = await this.#outcomes.failed(job, pattern, error, now);
    const knobs = resolveKnobs(jobType.knobs, job.knobs);
    // A pattern no rule knows (its analysis came from wording, words or a similar pattern) is
    // worth a model's reading, whatever category the words suggested.
    const llm =
      this.#llm && pattern.source === 'similar'
        ? await this.#askLlm({ job, error, pattern, jobType, knobs, now })
        : undefined;
    const ranked = llm?.remedies ?? rankedOf(pattern);
    const source = llm ? 'llm' : pattern.source === 'llm' ? 'llm' : pattern.source;
    // Off the failure path (a scan, a stuck job) the requeue grants the attempt the heal needs.
    const spent = !from.stuck && !from.rescue && job.attempts >= job.maxAttempts;
    const intense = await this.#ledger.intense(pattern.id, now);
    const started = performance.now();
    const choice = this.#planner.choose({
      job,
      pattern,
      jobType,
      knobs,
      history,
      ranked,
      intense,
      spent,
    });
    const decisionMs = performance.now() - started;
    const target = { job, error, pattern, jobType, knobs, now, facts: analysis.facts };
    return this.#carryOut({ ...target, source, begun }, choice, decisionMs);
  }

  /** The LLM's remedies for a pattern no rule knows, among those that can act on the job. */
  #askLlm(target: Omit<ApplyInput, 'facts'>): Promise<LlmAnalysis | undefined> {
    const { job, error, pattern, jobType, knobs, now } = target;
    const on = { jobType, services: this.services, job, knobs, pattern };
    const allowed = ACTION_IDS.filter(
      (action) => remedyFor(action, pattern, this.services).applicable(on).ok,
    );
    return this.#llm!.analyze({ pattern, message: error.message, jobType, knobs, allowed, now });
  }

  /** Applies a choice, logs it, and makes the engine's decision and the report of it. */
  async #carryOut(
    target: HealTarget,
    choice: HealChoice,
    decisionMs: number,
    run?: () => Promise<RemedyPlan>,
  ): Promise<Carried> {
    const { job, error, pattern, knobs, now, source } = target;
    const plan = await applyChoice(choice, target, this.services, this.#onError, run);
    const improvement = await logHeal(this.#deps.store, {
      job,
      error,
      pattern,
      choice,
      plan,
      knobs,
      source,
      now,
    });
    const decision = decisionOf(choice, plan, job, pattern.id, now);
    const notify =
      decision.kind === 'escalate'
        ? () => void this.services.escalator.escalate(job, error, decision.reason, pattern, now)
        : () => {};
    if (plan.revert) this.#outcomes.awaitRerun(job.id, plan.revert);
    const report = reportOf({
      job,
      error,
      pattern,
      source,
      choice,
      plan,
      decision,
      improvementId: improvement.id,
      decisionMs,
      healMs: performance.now() - target.begun,
    });
    this.emit('heal', report);
    return { decision, report, notify };
  }

  /** A heal asked for by hand: carried out, then the job queued with it. */
  async #applyByHand(
    target: HealTarget,
    candidate: RemedyCandidate,
    run?: () => Promise<RemedyPlan>,
  ): Promise<HealReport> {
    const choice: HealChoice = {
      kind: 'remedy',
      candidate,
      confidence: this.#planner.confidence(target.pattern, candidate),
      needs: [],
    };
    // Neither credited nor blamed: the operator's remedy comes before the attempt that would tell.
    await this.#outcomes.abandoned(target.job.id, 'changed', 'replaced by an operator', target.now);
    const carried = await this.#carryOut(target, choice, 0, run);
    const { job, error, now } = target;
    return requeueHealed(this.#deps.store, this.#outcomes, carried, job, error, now);
  }

  /** The job and pattern of a heal asked for by hand, with the learner brought up to date. */
  async #manualTarget(jobId: string, patternId: string | undefined): Promise<HealTarget> {
    const begun = performance.now();
    const now = this.#deps.clock.now();
    const target = await manualTarget(this.#deps, this.#types, { jobId, patternId }, now);
    this.#neighbours.learn(target.pattern);
    await this.#memory.refresh(now);
    return { ...target, source: 'operator', begun };
  }
}
