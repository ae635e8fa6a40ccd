import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import { coerceError } from '../core/errors.js';
import type { Healing, Job, JobError, Json, Pattern } from '../core/types.js';
import type { StateStore } from '../core/state-store.js';
import type { ActionId } from '../knowledge/actions.js';
import { resolveKnobs } from '../orchestrator/knobs.js';
import type { PatternBook, RecordedError } from '../patterns/pattern-book.js';
import type { HealStore, Improvement, ImprovementFilter } from '../store/heal-store.js';
import type { JobStore } from '../store/job-store.js';
import { REMEDIES } from './actions/remedies.js';
import { LlmAnalyzer } from './analyzers/llm-analyzer.js';
import type {
  FailureContext,
  FailureDecision,
  FailureHook,
  NextFailureHook,
} from '../orchestrator/failure-hook.js';
import { HealPlanner, rankedOf, type HealChoice } from './heal-planner.js';
import { skippedReport, type HealReport } from './heal-report.js';
import {
  resolveHealerOptions,
  type HealerOptions,
  type ResolvedHealerOptions,
} from './healer-options.js';
import { HealerServices } from './healer-services.js';
import type { JobTypeView } from './job-type-view.js';
import { OutcomeLedger } from './learner/outcome-ledger.js';
import { Neighbours } from './learner/neighbours.js';
import { RemedyMemory } from './learner/remedy-memory.js';
import { ThompsonPolicy } from './learner/thompson-policy.js';
import { OpenAiLlmClient } from './llm-client.js';
import type { RemedyInput, RemedyPlan } from './remedy.js';
import { redact } from '../patterns/redact.js';

/** What the healer needs from the engine it heals. */
export interface HealerDeps {
  store: JobStore & StateStore & HealStore;
  patterns: PatternBook;
  clock: Clock;
  /** The stored job type descriptions (for scans, stuck jobs and breakers). */
  listJobTypes: () => Promise<readonly JobTypeView[]>;
  onError?: (error: Error) => void;
}

/** Events of a {@link Healer}. */
export interface HealerEvents {
  /** A failure or stuck job was handled. */
  heal: [report: HealReport];
  /** A heal's outcome became known. */
  outcome: [improvement: Improvement];
  /** A failure was counted on its pattern. */
  recorded: [pattern: Pattern, job: Job];
}

/** What a stuck or lost job looked like when the monitor found it. */
export interface StuckDetails {
  /** Why the job is stuck, e.g. "no heartbeat for 6 min". */
  reason?: string;
  stage?: string | null;
  progress?: number;
}

/**
 * The learning healer (the seed's mega-mind-self-healer): for each failed attempt it records the
 * error's pattern, chooses a remedy among those that can act on the job — by Thompson sampling
 * over what worked for this pattern and similar ones — applies it (a delay, a knob change, a
 * breaker, a reset hook, a fixer), logs the heal as pending, and learns from the next attempt:
 * completed → success, same pattern → failure, another error → changed. Used by the worker as a
 * failure hook, by the monitor for stuck jobs, and by people through `heal()`.
 */
export class Healer extends EventEmitter<HealerEvents> implements FailureHook {
  readonly options: ResolvedHealerOptions;
  readonly services: HealerServices;
  readonly #deps: HealerDeps;
  readonly #memory: RemedyMemory;
  readonly #neighbours: Neighbours;
  readonly #policy: ThompsonPolicy;
  readonly #planner: HealPlanner;
  readonly #llm: LlmAnalyzer | undefined;
  readonly #jobTypes = new Map<string, JobTypeView>();
  readonly #ledger: OutcomeLedger;
  readonly #reverts = new Map<string, () => Promise<void>>();
  readonly #onError: (error: Error) => void;
  #typesLoaded = false;

  constructor(deps: HealerDeps, options: HealerOptions = {}) {
    super();
    this.options = resolveHealerOptions(options);
    this.#deps = deps;
    this.#onError = deps.onError ?? (() => {});
    this.#memory = new RemedyMemory(deps.store, this.options.refreshMs);
    this.#neighbours = new Neighbours(this.#memory);
    this.#policy = new ThompsonPolicy({ ...this.options.policy, random: this.options.random });
    this.services = new HealerServices(
      deps.store,
      this.options,
      (resource) => this.#typesUsing(resource),
      this.#onError,
    );
    this.#planner = new HealPlanner(
      this.#policy,
      this.#memory,
      this.#neighbours,
      this.services,
      this.options,
    );
    this.#ledger = new OutcomeLedger(
      deps.store,
      this.#memory,
      this.#neighbours,
      this.#policy,
      this.options.intensity,
    );
    const llm = this.options.llm;
    if (llm) {
      const client =
        llm.client ??
        new OpenAiLlmClient({
          baseURL: llm.baseURL,
          apiKey: llm.apiKey,
          model: llm.model!,
          timeoutMs: llm.timeoutMs,
        });
      this.#llm = new LlmAnalyzer(client, deps.store, {
        timeoutMs: llm.timeoutMs,
        maxCallsPerHour: llm.maxCallsPerHour,
      });
    }
  }

  /** The LLM analyzer, when one is configured (its `lastFailure` says why it last fell back). */
  get llm(): LlmAnalyzer | undefined {
    return this.#llm;
  }

  /** The worker's failure hook: heals the failure, or defers to the default policy. */
  async onFailure(ctx: FailureContext, next: NextFailureHook): Promise<FailureDecision> {
    if (ctx.nonRetryable || this.options.excludeTypes.has(ctx.job.type)) return next(ctx);
    this.#jobTypes.set(ctx.definition.type, ctx.definition);
    try {
      const { decision } = await this.#handle(
        ctx.job,
        ctx.error,
        ctx.definition,
        ctx.now,
        undefined,
      );
      return decision;
    } catch (error) {
      // A healer that cannot decide must not lose the failure: the default policy takes over.
      this.#onError(coerceError(error));
      return next(ctx);
    }
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
   * Heals a job the monitor found stuck (no heartbeat or progress) or whose lease was lost: the
   * stuck pattern of its type and stage is recorded, a remedy chosen, and a running attempt is
   * revoked (its lease token bumped, so its late writes are refused) and queued again with the
   * remedy's knobs. A job the lease sweep already queued or failed is queued with them.
   */
  async healStuck(job: Job, finding: StuckDetails = {}): Promise<HealReport> {
    const now = this.#deps.clock.now();
    const jobType = await this.#jobType(job.type);
    const error: JobError = {
      message: `job of type ${job.type} stuck${finding.reason ? `: ${finding.reason}` : ''}`,
      code: 'stuck',
      stage: finding.stage ?? job.stage ?? undefined,
      attempt: job.attempts,
      at: now,
      kind: 'lease_expired',
    };
    const recorded = await this.#deps.patterns.stuck(
      job.type,
      finding.stage ?? job.stage ?? undefined,
      finding.progress ?? job.progress,
      now,
      {
        jobId: job.id,
        attempt: job.attempts,
      },
    );
    const { decision, report } = await this.#handle(job, error, jobType, now, recorded);
    if (decision.kind === 'retry' || decision.kind === 'wait') {
      const write = {
        id: job.id,
        runAt: decision.retryAt,
        knobs: decision.knobs,
        patternId: report.pattern.id,
        error: { ...error, healing: decision.healing! },
      };
      // A running attempt is revoked; a job the lease sweep already queued (or failed) gets the remedy's knobs and mark.
      const requeued =
        job.status === 'running'
          ? await this.#deps.store.restartJob({ ...write, token: job.leaseToken }, now)
          : await this.#deps.store.requeueJob(write, now);
      if (!requeued)
        return {
          ...report,
          outcome: 'skipped',
          reason: 'the job moved on before the heal applied',
        };
    }
    return report;
  }

  /**
   * A job completed: settles its pending heals as validated, counts the successes, and lets
   * breakers close and concurrency limits grow back. The app calls it on every `job:completed`.
   */
  async onCompleted(job: Job): Promise<void> {
    const now = this.#deps.clock.now();
    const jobType = this.#jobTypes.get(job.type);
    for (const resource of jobType?.resources ?? [])
      await this.services.breakers.succeeded(resource, now);
    if (job.healingPatternId === null) return;
    this.#reverts.delete(job.id);
    const settled = await this.#deps.store.settleImprovements(
      {
        jobId: job.id,
        outcome: 'success',
        afterMetrics: { attempt: job.attempts, completedAt: now, progress: 100 },
      },
      now,
    );
    for (const improvement of settled) {
      await this.#count(improvement, true, now);
      if (improvement.action === 'reduce_concurrency' && jobType) {
        const resource = improvement.changesApplied.resource;
        if (typeof resource === 'string')
          await this.services.limits.increase(jobType.type, resource, now);
      }
    }
  }

  /** The improvement log, newest first. */
  improvements(filter?: ImprovementFilter): Promise<Improvement[]> {
    return this.#deps.store.listImprovements(filter);
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
    const jobType = await this.#jobType(job.type);
    const { decision, report } = await this.#handle(
      job,
      job.lastError,
      jobType,
      now,
      undefined,
      true,
    );
    if (decision.kind !== 'retry' && decision.kind !== 'wait') return report;
    const write = {
      id: job.id,
      runAt: decision.retryAt,
      knobs: decision.knobs,
      patternId: report.pattern.id,
      error: { ...job.lastError, healing: decision.healing! },
    };
    const requeued = await this.#deps.store.requeueJob(write, now);
    return requeued
      ? report
      : { ...report, outcome: 'skipped', reason: 'the job moved on before the heal applied' };
  }

  async #handle(
    job: Job,
    error: JobError,
    jobType: JobTypeView,
    now: number,
    stuck: RecordedError | undefined,
    rescue = false,
  ): Promise<{ decision: FailureDecision; report: HealReport }> {
    const begun = performance.now();
    const recorded =
      stuck ??
      (await this.#deps.patterns.record(
        {
          message: error.message,
          name: error.name,
          code: error.code,
          stack: error.stack,
          stage: error.stage,
          jobType: job.type,
          jobId: job.id,
          attempt: error.attempt,
        },
        now,
      ));
    const { pattern, analysis } = recorded;
    this.emit('recorded', pattern, job);
    const resource = this.services.resourceFor(pattern, jobType.resources);
    if (resource !== undefined) this.services.breakers.failed(resource);
    this.#neighbours.learn(pattern);
    await this.#memory.refresh(now);
    const history = await this.#settleAndRead(job, pattern, error, now);
    const knobs = resolveKnobs(jobType.knobs, job.knobs);
    let ranked: { action: ActionId; params?: Record<string, Json> }[] = rankedOf(pattern);
    let source: HealReport['detected']['analysis'] =
      pattern.source === 'llm' ? 'llm' : pattern.source;
    if (this.#llm && pattern.category === 'other') {
      const allowed = (Object.keys(REMEDIES) as ActionId[]).filter(
        (action) =>
          REMEDIES[action].applicable({ jobType, services: this.services, job, knobs, pattern }).ok,
      );
      const answer = await this.#llm.analyze({
        pattern,
        message: error.message,
        jobType,
        knobs,
        allowed,
        now,
      });
      if (answer) {
        ranked = answer.remedies;
        source = 'llm';
      }
    }
    // Off the failure path (a scan, a stuck job) the requeue grants the attempt the heal needs.
    const spent = stuck === undefined && !rescue && job.attempts >= job.maxAttempts;
    const started = performance.now();
    const choice = this.#planner.choose({
      job,
      pattern,
      jobType,
      knobs,
      history,
      ranked,
      intense: this.#ledger.intense(pattern.id, now),
      spent,
    });
    const decisionMs = performance.now() - started;
    const plan = await this.#apply(choice, {
      job,
      error,
      pattern,
      jobType,
      knobs,
      now,
      facts: analysis.facts,
    });
    const improvement = await this.#log(job, error, pattern, choice, plan, knobs, source, now);
    const patternNew = pattern.occurrenceCount === 1;
    const mark: Healing =
      choice.kind === 'remedy'
        ? {
            patternId: pattern.id,
            action: choice.candidate.action,
            params: choice.candidate.params,
          }
        : { patternId: pattern.id };
    const decision: FailureDecision =
      plan.kind === 'retry' || plan.kind === 'wait'
        ? {
            kind: plan.kind,
            retryAt: now + Math.max(0, Math.round(plan.delayMs)),
            ...(plan.knobs ? { knobs: { ...job.knobs, ...plan.knobs } } : {}),
            healing: mark,
          }
        : plan.kind === 'fail'
          ? { kind: 'fail', healing: mark }
          : { kind: 'escalate', reason: plan.reason ?? 'escalated by the healer', healing: mark };
    if (decision.kind === 'escalate')
      this.services.escalator.escalate(job, error, decision.reason, pattern, now);
    if (plan.revert) this.#reverts.set(job.id, plan.revert);
    const report: HealReport = {
      jobId: job.id,
      jobType: job.type,
      attempt: job.attempts,
      detected: {
        message: redact(error.message).slice(0, 2000),
        category: pattern.category,
        template: pattern.template,
        rootCause: pattern.rootCause,
        analysis: source,
      },
      pattern: { id: pattern.id, signature: pattern.signature, new: patternNew },
      applied:
        choice.kind === 'remedy'
          ? {
              action: choice.candidate.action,
              params: choice.candidate.params,
              confidence: choice.confidence,
              changes: plan.changes,
            }
          : null,
      decision: decision.kind,
      retryAt: decision.kind === 'retry' || decision.kind === 'wait' ? decision.retryAt : null,
      reason: choice.kind === 'terminal' ? choice.reason : (plan.reason ?? null),
      needs: choice.needs,
      outcome:
        decision.kind === 'escalate'
          ? 'escalated'
          : decision.kind === 'fail'
            ? 'failed'
            : 'pending',
      improvementId: improvement.id,
      decisionMs,
      healMs: performance.now() - begun,
    };
    this.emit('heal', report);
    return { decision, report };
  }

  /** Settles the job's pending heal by this failure and returns its heal history, newest first. */
  async #settleAndRead(
    job: Job,
    pattern: Pattern,
    error: JobError,
    now: number,
  ): Promise<Improvement[]> {
    if (job.healingPatternId === null) return [];
    const samePattern = job.healingPatternId === pattern.id;
    const settled = await this.#deps.store.settleImprovements(
      {
        jobId: job.id,
        outcome: samePattern ? 'failure' : 'changed',
        afterMetrics: {
          attempt: job.attempts,
          patternId: pattern.id,
          error: redact(error.message).slice(0, 500),
        },
      },
      now,
    );
    for (const improvement of settled) {
      // A different error means the remedy got past the first one: it is neither credited nor blamed.
      if (improvement.outcome === 'failure') await this.#count(improvement, false, now);
      else this.emit('outcome', improvement);
    }
    const revert = this.#reverts.get(job.id);
    if (revert && samePattern) {
      this.#reverts.delete(job.id);
      await revert().catch((thrown: unknown) => this.#onError(coerceError(thrown)));
    }
    return this.#deps.store.listImprovements({ jobId: job.id, limit: 1000 });
  }

  async #apply(
    choice: HealChoice,
    input: Omit<RemedyInput<Record<string, Json>>, 'params' | 'services'>,
  ): Promise<RemedyPlan> {
    if (choice.kind === 'terminal') {
      return {
        kind: choice.action === 'fail_fast' ? 'fail' : 'escalate',
        delayMs: 0,
        changes: { learned: choice.learned },
        reason: choice.reason,
      };
    }
    const { action, params } = choice.candidate;
    try {
      return await REMEDIES[action].apply({ ...input, params, services: this.services });
    } catch (error) {
      // A reset hook or fixer that throws is a failed heal, not a lost job.
      const message = coerceError(error).message;
      this.#onError(coerceError(error));
      return {
        kind: 'retry',
        delayMs: this.services.backoffMs(input.job.attempts),
        changes: { error: message.slice(0, 500) },
        reason: `${action} failed: ${message}`,
      };
    }
  }

  async #log(
    job: Job,
    error: JobError,
    pattern: Pattern,
    choice: HealChoice,
    plan: RemedyPlan,
    knobs: Record<string, Json>,
    source: string,
    now: number,
  ): Promise<Improvement> {
    const remedy = choice.kind === 'remedy' ? choice.candidate : undefined;
    const improvement = await this.#deps.store.insertImprovement(
      {
        jobId: job.id,
        jobType: job.type,
        attempt: job.attempts,
        patternId: pattern.id,
        patternNew: pattern.occurrenceCount === 1,
        action: remedy?.action ?? (choice.kind === 'terminal' ? choice.action : 'escalate'),
        remedy: remedy?.key ?? null,
        changesApplied: {
          decision: plan.kind,
          delayMs: Math.round(plan.delayMs),
          params: remedy?.params ?? {},
          ...(plan.knobs ? { knobs: plan.knobs } : {}),
          ...plan.changes,
        },
        detected: {
          error: redact(error.message).slice(0, 1000),
          errorName: error.name ?? null,
          category: pattern.category,
          template: pattern.template,
          analysis: source,
          reason: plan.reason ?? null,
        },
        beforeMetrics: {
          attempt: job.attempts,
          maxAttempts: job.maxAttempts,
          progress: job.progress,
          stage: job.stage,
          knobs,
        },
        confidence: choice.kind === 'remedy' ? round(choice.confidence) : 0,
      },
      now,
    );
    if (choice.kind === 'terminal') {
      // Nothing will run again to validate a terminal decision.
      await this.#deps.store.settleImprovements(
        { jobId: job.id, outcome: 'abandoned', afterMetrics: { decision: plan.kind } },
        now,
      );
    }
    return improvement;
  }

  async #count(improvement: Improvement, success: boolean, now: number): Promise<void> {
    if (await this.#ledger.count(improvement, success, now)) this.emit('outcome', improvement);
  }

  async #jobType(type: string): Promise<JobTypeView> {
    let known = this.#jobTypes.get(type);
    if (!known && !this.#typesLoaded) {
      for (const description of await this.#deps.listJobTypes())
        this.#jobTypes.set(description.type, description);
      this.#typesLoaded = true;
      known = this.#jobTypes.get(type);
    }
    // A type nobody described heals with what needs no declaration (retries, waits, escalation).
    return known ?? { type, knobs: {}, resources: [], maxAttempts: 3 };
  }

  #typesUsing(resource: string): string[] {
    return [...this.#jobTypes.values()]
      .filter((type) => type.resources.includes(resource))
      .map((type) => type.type);
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
