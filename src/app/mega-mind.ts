import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { invalidArgument, OrchestratorError } from '../core/errors.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { Job, JobError, Json } from '../core/types.js';
import type { FailureHook } from '../orchestrator/failure-hook.js';
import { describeJobType, resolveJobDefinition, type JobDefinition, type ResolvedJobDefinition } from '../orchestrator/job-definition.js';
import { resolveOptions, type MegaMindOptions, type ResolvedOptions } from '../orchestrator/options.js';
import { Worker } from '../orchestrator/worker.js';
import { openStore } from '../store/open-store.js';
import { Monitor } from '../monitor/monitor.js';
import type { MonitorOptions } from '../monitor/monitor-options.js';
import type { Scheduler } from '../monitor/scheduler.js';
import { MegaMindClient } from './client.js';

/** What `createMegaMind()` takes: the engine's options and the monitor's. */
export interface EngineOptions extends MegaMindOptions {
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
export class MegaMind extends MegaMindClient {
  readonly options: ResolvedOptions;
  /**
   * The proactive monitor of this engine (stuck, lost, failed, slow, predicted-late jobs and
   * error spikes). `start()` starts it unless `monitor: false`; its health is readable any time.
   */
  readonly monitor: Monitor;
  readonly #monitorEnabled: boolean;
  readonly #learning = new Set<Promise<void>>();
  readonly #definitions = new Map<string, ResolvedJobDefinition>();
  #ready: Promise<void> | undefined;
  #worker: Worker | undefined;
  #stopped = false;

  constructor(options: EngineOptions = {}) {
    // The monitor's options are the app's; the engine's resolver refuses keys it does not know.
    const { monitor, scheduler, ...engineOptions } = options;
    const resolved = resolveOptions(engineOptions);
    super({ store: resolved.store ?? openStore(resolved.database), clock: resolved.clock, closeStore: !resolved.store, maxPayloadBytes: resolved.maxPayloadBytes });
    this.options = resolved;
    this.#monitorEnabled = monitor !== false;
    const monitorOptions = typeof monitor === 'object' ? monitor : {};
    this.monitor = new Monitor(
      { store: this.store, clock: this.clock, scheduler, patterns: this.patterns, jobTypes: () => this.jobTypes() },
      monitorOptions,
    );
  }

  /** Declares a job type and its handler. Define every type before `start()`. */
  define<P extends Json = Json>(type: string, definition: JobDefinition<P, Json | void>): this {
    if (this.#definitions.has(type)) throw new OrchestratorError('ERR_DUPLICATE_JOB_TYPE', `job type "${type}" is already defined`);
    if (this.#worker) throw invalidArgument(`define job type "${type}" before start()`);
    this.#definitions.set(type, resolveJobDefinition(type, definition as JobDefinition<never, never>));
    return this;
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
    this.#ready ??= this.migrate().then(() => (this.options.learnPatterns ? this.patterns.load() : undefined));
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
    if (this.#stopped) throw new OrchestratorError('ERR_STORE_CLOSED', 'this engine was stopped; create a new one');
    if (this.#worker) return;
    await this.ready();
    await this.store.describeJobTypes(this.localJobTypes(), this.clock.now());
    const owner = this.options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    const hooks = this.options.learnPatterns ? [this.#learningHook(), ...this.options.failureHooks] : this.options.failureHooks;
    // The monitor hears the worker's events on a relay of its own, not as a listener on this engine.
    const relay = new EventEmitter();
    this.#worker = new Worker(this.store, { ...this.options, failureHooks: hooks }, this.#definitions, owner, (event, ...args) => {
      if (this.#monitorEnabled) relay.emit(event, ...args);
      if (this.options.learnPatterns && event === 'job:lease-expired') this.#learn(args[0] as Job, undefined);
      if (event === 'worker:error' && this.listenerCount('worker:error') === 0) return;
      (this.emit as (e: string, ...a: unknown[]) => boolean)(event, ...args);
    });
    await this.#worker.start();
    if (this.#monitorEnabled) {
      // The worker sweeps expired leases itself (and reports them as events): the monitor need not.
      this.monitor.attach(relay);
      await this.monitor.start({ sweepLeases: false });
    }
  }

  /** Stops gracefully (see `shutdownGraceMs`) and closes the store this engine opened. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#worker?.stop();
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
    const now = this.clock.now();
    return [...this.#definitions.values()].map((definition) => describeJobType(definition, now));
  }

  // Pattern learning sits in the failure chain, so it sees every failure before it is written, but
  // records off the worker's path: a failure to record never delays or fails a job.
  #learningHook(): FailureHook {
    return { onFailure: (context, next) => (this.#learn(context.job, context.error), next(context)) };
  }

  /**
   * Records a failed attempt (or, without `error`, an expired lease: the job was stuck in its
   * stage) in the pattern book.
   */
  #learn(job: Job, error: JobError | undefined): void {
    const now = this.clock.now();
    const recorded = error
      ? this.patterns.record(
          {
            message: error.message,
            name: error.name,
            code: error.code,
            stack: error.stack,
            stage: error.stage ?? job.stage ?? undefined,
            jobType: job.type,
            jobId: job.id,
            attempt: error.attempt,
          },
          now,
        )
      : this.patterns.stuck(job.type, job.lastError?.stage ?? job.stage ?? undefined, job.progress, now, {
          jobId: job.id,
          attempt: job.lastError?.attempt ?? job.attempts,
        });
    const settled = recorded
      .then(({ pattern }) => void this.emit('pattern:recorded', pattern, job))
      .catch((thrown: unknown) => this.reportError(thrown))
      .finally(() => this.#learning.delete(settled));
    this.#learning.add(settled);
  }
}

/** Creates an engine; call `define()` for each job type, then `start()`. */
export function createMegaMind(options: EngineOptions = {}): MegaMind {
  return new MegaMind(options);
}
