import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { invalidArgument, OrchestratorError } from '../core/errors.js';
import type {
  JobMap,
  JobName,
  KnobsOf,
  PayloadOf,
  ResultOf,
  UntypedJobs,
} from '../core/job-map.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { Job, JobError, Json } from '../core/types.js';
import type { FailureHook } from '../orchestrator/failure-hook.js';
import {
  describeJobType,
  resolveJobDefinition,
  type JobDefinition,
  type ResolvedJobDefinition,
} from '../orchestrator/job-definition.js';
import {
  resolveOptions,
  type MegaMindOptions,
  type ResolvedOptions,
} from '../orchestrator/options.js';
import { parseAtEnqueue } from '../orchestrator/payload-schema.js';
import type { ScheduleDefinition } from '../orchestrator/scheduler.js';
import { EngineSchedules } from './engine-schedules.js';
import { pruneFinished, RETENTION_DEFAULTS, type PruneResult } from '../orchestrator/retention.js';
import { Supervisor } from '../orchestrator/supervisor.js';
import { Worker, type WorkerEvents } from '../orchestrator/worker.js';
import { openStore } from '../store/open-store.js';
import { Monitor } from '../monitor/monitor.js';
import type { MonitorOptions } from '../monitor/monitor-options.js';
import type { Scheduler } from '../monitor/scheduler.js';
import { MegaMindClient, type EnqueueArgs } from './client.js';
import { createLogger } from './create-logger.js';
import { logWorkerEvent } from './log-worker-event.js';
import type { HealerOptions } from '../heal/healer-options.js';
import { healFindings } from './heal-findings.js';
import { recordInBook } from './record-in-book.js';

/** What `createMegaMind()` takes: the engine's options, the monitor's and the healer's. */
export interface EngineOptions extends MegaMindOptions {
  /**
   * Heal failed attempts with the learning healer (a failure hook; with the monitor on, its stuck
   * and lost jobs too): `true` for the defaults, or its options. Without it failures get the
   * retry policy, and `heal()` still scans on demand.
   * @default false
   */
  heal?: boolean | HealerOptions;
  /**
   * The proactive monitor, run beside the worker by `start()`: `false` turns it off, an object
   * sets its options (scan interval, thresholds, the finding handler…).
   * @default true
   */
  monitor?: boolean | MonitorOptions;
  /** Timers of the monitor; tests pass a ManualScheduler. @default wall-clock timers */
  scheduler?: Scheduler;
}

/**
 * The job engine: define job types and run them with leases, heartbeats, checkpoints and retries
 * on SQLite or PostgreSQL. Everything a client does (enqueue, inspect, cancel, the pattern book)
 * it does too.
 */
export class MegaMind<M extends JobMap<M> = UntypedJobs> extends MegaMindClient<M> {
  readonly options: ResolvedOptions;
  /**
   * The engine's periodic work beside its worker: the lease sweep, and whatever else is hung on it
   * with `supervisor.addTask(name, intervalMs, fn)` (the monitor's detectors). Tasks run between
   * `start()` and `stop()`, on the engine's clock.
   */
  readonly supervisor: Supervisor;
  /**
   * The proactive monitor of this engine (stuck, lost, failed, slow, predicted-late jobs and
   * error spikes). `start()` starts it unless `monitor: false`; its health is readable any time.
   */
  readonly monitor: Monitor;
  readonly #monitorEnabled: boolean;
  /** The monitor hears the worker's events on a relay of its own, not as a listener on this engine. */
  readonly #relay = new EventEmitter();
  readonly #learning = new Set<Promise<void>>();
  readonly #definitions = new Map<string, ResolvedJobDefinition>();
  /** Kept while no type is added (types are never redefined): every enqueued item is checked against them. */
  #descriptions: JobTypeDescription[] | undefined;
  #ready: Promise<void> | undefined;
  #worker: Worker | undefined;
  #stopped = false;
  readonly #schedules: EngineSchedules;
  #pruneTimer: NodeJS.Timeout | undefined;
  // Jobs this engine's worker finished and reported, so that watch() does not report them again.
  readonly #finishedHere = new Set<string>();
  readonly #healOn: boolean;

  constructor(options: EngineOptions = {}) {
    // The monitor's and the healer's options are the app's; the engine's resolver refuses keys it does not know.
    const { monitor, scheduler, heal, ...engineOptions } = options;
    const resolved = resolveOptions(engineOptions);
    const logger = resolved.logger ?? createLogger();
    const healOptions = heal === true || heal === undefined || heal === false ? {} : heal;
    super({
      store: resolved.store ?? openStore(resolved.database, logger),
      clock: resolved.clock,
      closeStore: !resolved.store,
      logger,
      maxPayloadBytes: resolved.maxPayloadBytes,
      heal: healOptions,
    });
    this.options = resolved;
    this.#schedules = new EngineSchedules(this.store, this.clock, (type, payload, options) =>
      this.enqueue(
        type as JobName<M>,
        ...([payload, options] as unknown as EnqueueArgs<M, JobName<M>>),
      ),
    );
    this.#healOn = heal !== undefined && heal !== false;
    // Built now so that a bad heal option fails at once, naming itself.
    if (this.#healOn) void this.healer;
    this.supervisor = new Supervisor({
      store: this.store,
      clock: resolved.clock,
      sweepIntervalMs: resolved.pollIntervalMs,
      storeTimeoutMs: resolved.leaseMs,
      // A job claimed but never started (a dead worker's prefetch) was not stuck: nothing to report.
      onExpired: (expired) =>
        expired.forEach(
          ({ job, started }) => started && this.#onWorkerEvent('job:lease-expired', job),
        ),
      onError: (error) => this.#onWorkerEvent('worker:error', error),
    });
    this.#monitorEnabled = monitor !== false;
    const monitorOptions = typeof monitor === 'object' ? { ...monitor } : {};
    // With the healer on, stuck and lost jobs are healed unless the user handles findings.
    if (this.#healOn && monitorOptions.onFinding === undefined)
      monitorOptions.onFinding = healFindings(this.healer, this.store);
    this.monitor = new Monitor(
      {
        store: this.store,
        clock: this.clock,
        scheduler,
        patterns: this.patterns,
        jobTypes: () => this.jobTypes(),
      },
      monitorOptions,
    );
  }

  /**
   * Declares a job type and its handler; define every type before `start()`. With a job map
   * (`createMegaMind<Jobs>()`) the payload, result and knobs are those of `Jobs[type]`; with a
   * `payloadSchema`, the payload is the schema's output; or give the payload type yourself:
   * `define<{ to: string }>('send-email', …)`.
   */
  // Untyped engines (no job map) take the first form, typed ones only the second.
  define<P = Json, R = Json | void, K = Record<string, Json>>(
    type: string extends JobName<M> ? string : never,
    definition: JobDefinition<P, R, K>,
  ): this;
  define<T extends JobName<M>>(
    type: T,
    definition: JobDefinition<PayloadOf<M, T>, ResultOf<M, T>, KnobsOf<M, T>>,
  ): this;
  define(type: string, definition: JobDefinition<unknown, unknown, unknown>): this {
    if (this.#definitions.has(type))
      throw new OrchestratorError(
        'ERR_DUPLICATE_JOB_TYPE',
        `job type "${type}" is already defined`,
      );
    if (this.#worker) throw invalidArgument(`define job type "${type}" before start()`);
    this.#definitions.set(
      type,
      resolveJobDefinition(type, definition as JobDefinition<never, never, never>),
    );
    return this;
  }

  protected override parsePayload(type: string, payload: Json, where: string): Json {
    // The payload is stored as given; the handler gets the schema's output, parsed before each run.
    const schema = this.#definitions.get(type)?.payloadSchema;
    if (schema) parseAtEnqueue(schema, payload, where, type);
    return payload;
  }

  /**
   * Declares a cron or repeatable schedule of a job type this engine defines; call before
   * `start()`. Every engine that declares it may fire it — each slot still runs once.
   */
  schedule(name: string, definition: ScheduleDefinition): this {
    if (this.#worker) throw invalidArgument(`declare schedule "${name}" before start()`);
    this.#schedules.declare(name, definition);
    return this;
  }

  /**
   * Enqueues the jobs of every due schedule and returns how many; the engine calls it every
   * `pollIntervalMs` after `start()`. A slot missed during downtime follows the schedule's
   * `missed` policy.
   */
  runDueSchedules(): Promise<number> {
    return this.#schedules.runDue();
  }

  // A remote report can overtake the local event while the outcome is still being written here.
  protected override reportedLocally(job: Job): boolean {
    return this.#finishedHere.has(job.id) || this.#worker?.runsHere(job.id) === true;
  }

  #rememberFinished(id: string): void {
    this.#finishedHere.add(id);
    // Remote reports arrive within moments; a bounded memory is enough.
    if (this.#finishedHere.size > 10_000)
      this.#finishedHere.delete(this.#finishedHere.values().next().value as string);
  }

  /**
   * Deletes finished jobs (with their attempts), error occurrences and improvement logs past the
   * `retention` policy; patterns are kept. A running engine does it every `retention.intervalMs`.
   */
  async prune(): Promise<PruneResult> {
    await this.ready();
    const result = await pruneFinished(this.store, this.options.retention || {}, this.clock.now());
    if (result.jobs + result.occurrences + result.improvementLogs > 0)
      this.logger.info({ ...result }, 'pruned finished jobs, occurrences and improvement logs');
    return result;
  }

  /** The resolved definition of a type, or undefined. */
  definition(type: string): ResolvedJobDefinition | undefined {
    return this.#definitions.get(type);
  }

  /** Defined job types. */
  get types(): string[] {
    return [...this.#definitions.keys()];
  }

  /** Applies migrations and loads the pattern book once; every other call waits for it. */
  override ready(): Promise<void> {
    this.#ready ??= this.migrate().then(() =>
      this.options.learnPatterns ? this.patterns.load() : undefined,
    );
    return this.#ready;
  }

  /** Cancels a queued or running job; a running one's signal aborts. False if it had already ended. */
  override async cancel(id: string): Promise<boolean> {
    const cancelled = await super.cancel(id);
    if (cancelled) this.#worker?.abortJob(id);
    return cancelled;
  }

  /** Migrates, describes the defined types in the store, then starts claiming and running jobs. */
  async start(): Promise<void> {
    if (this.#stopped)
      throw new OrchestratorError('ERR_STORE_CLOSED', 'this engine was stopped; create a new one');
    if (this.#worker) return;
    await this.ready();
    await this.store.describeJobTypes(this.localJobTypes(), this.clock.now());
    await this.#schedules.start(
      (type) => this.#definitions.has(type),
      this.options.pollIntervalMs,
      (error) => this.reportError(error),
    );
    const owner =
      this.options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    // The healer records each failure's pattern itself, so the learning hook stands aside for it.
    const healer = this.#healOn ? this.healer : undefined;
    const learning = this.options.learnPatterns && !healer ? [this.#learningHook()] : [];
    const hooks = [...learning, ...this.options.failureHooks, ...(healer ? [healer] : [])];
    this.#worker = new Worker(
      this.store,
      { ...this.options, failureHooks: hooks, ...(healer ? { knobAdvisor: healer } : {}) },
      this.#definitions,
      owner,
      (event, ...args) => this.#onWorkerEvent(event, ...args),
    );
    await this.#worker.start();
    await this.supervisor.start();
    const retention = this.options.retention;
    if (retention) {
      this.#pruneTimer = setInterval(
        () => void this.prune().catch((error: unknown) => this.reportError(error)),
        retention.intervalMs ?? RETENTION_DEFAULTS.intervalMs,
      );
      this.#pruneTimer.unref();
    }
    this.logger.info(
      { owner, types: this.types, store: this.store.name },
      `worker ${this.types.join(', ')} started`,
    );
    if (this.#monitorEnabled) {
      // The supervisor sweeps expired leases (and reports them as events): the monitor need not.
      this.monitor.attach(this.#relay);
      await this.monitor.start({ sweepLeases: false });
    }
  }

  // Worker and supervisor events: to the monitor's relay, the pattern book, and this engine's listeners.
  #onWorkerEvent<K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]): void {
    if (this.#monitorEnabled) this.#relay.emit(event, ...args);
    if (this.options.learnPatterns && event === 'job:lease-expired')
      this.#learn(args[0] as Job, undefined);
    if (this.#healOn && event === 'job:completed')
      this.#track(this.healer.onCompleted(args[0] as Job));
    if (event === 'worker:error') return this.reportError(args[0]);
    logWorkerEvent(this.logger, event, args);
    // Only a watching engine hears of its own jobs again from the store.
    if (
      this.watching &&
      (event === 'job:completed' || (event === 'job:failed' && args[2] === null))
    )
      this.#rememberFinished((args[0] as Job).id);
    (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
  }

  /** Stops gracefully (see `shutdownGraceMs`) and closes the store this engine opened. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.supervisor.stop(this.options.leaseMs);
    clearInterval(this.#pruneTimer);
    await this.#schedules.stop();
    await this.#worker?.stop();
    if (this.#worker) this.logger.info({ types: this.types }, 'worker stopped');
    await this.monitor.stop();
    // Recordings still in flight need the store, and the tree's last changes must be saved.
    await Promise.allSettled([...this.#learning]);
    await this.close();
  }

  /** True between `start()` and `stop()`. */
  get running(): boolean {
    return this.#worker !== undefined && !this.#stopped;
  }

  protected override localJobTypes(): JobTypeDescription[] {
    if (this.#descriptions?.length !== this.#definitions.size) {
      const now = this.clock.now();
      this.#descriptions = [...this.#definitions.values()].map((d) => describeJobType(d, now));
    }
    return this.#descriptions;
  }

  // Pattern learning sits in the failure chain, so it sees every failure before it is written, but
  // records off the worker's path: a failure to record never delays or fails a job.
  #track(work: Promise<unknown>): void {
    const settled = work
      .catch((thrown: unknown) => this.reportError(thrown))
      .then(() => undefined)
      .finally(() => this.#learning.delete(settled));
    this.#learning.add(settled);
  }

  #learningHook(): FailureHook {
    return {
      onFailure: (context, next) => (this.#learn(context.job, context.error), next(context)),
    };
  }

  /**
   * Records a failed attempt (or, without `error`, an expired lease: the job was stuck in its
   * stage) in the pattern book.
   */
  #learn(job: Job, error: JobError | undefined): void {
    const recorded = recordInBook(this.patterns, job, error, this.clock.now());
    const settled = recorded
      .then(({ pattern }) => void this.emit('pattern:recorded', pattern, job))
      .catch((thrown: unknown) => this.reportError(thrown))
      .finally(() => this.#learning.delete(settled));
    this.#learning.add(settled);
  }
}

/** Creates an engine; call `define()` for each job type, then `start()`. */
export function createMegaMind<M extends JobMap<M> = UntypedJobs>(
  options: EngineOptions = {},
): MegaMind<M> {
  return new MegaMind<M>(options);
}
