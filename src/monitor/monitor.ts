import { performance } from 'node:perf_hooks';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { coerceError } from '../core/errors.js';
import type { Job, JobError, Json } from '../core/types.js';
import type { PatternBook } from '../patterns/pattern-book.js';
import type { DurationHistory, Leadership, Store, StoredFinding } from '../store/store.js';
import { detectErrorSpikes, spikeWindows } from './detectors/error-spike.js';
import { failedFromAttempt, failedFromEvent } from './detectors/failed.js';
import { leaseLostFromAttempt, leaseLostFromEvent } from './detectors/lease-lost.js';
import { detectPredictedLate } from './detectors/predicted-late.js';
import { detectSlow } from './detectors/slow.js';
import { detectStuck } from './detectors/stuck.js';
import { DurationRecorder } from './duration-recorder.js';
import {
  fromStoredFinding,
  toNewFinding,
  type DispatchedFinding,
  type Finding,
} from './finding.js';
import { restartStuckJobs, type FindingHandler } from './finding-handler.js';
import { LeaderElection } from './leader-election.js';
import {
  resolveMonitorOptions,
  type MonitorOptions,
  type ResolvedMonitorOptions,
} from './monitor-options.js';
import {
  LAST_SCAN_KEY,
  MONITOR_LEADERSHIP,
  readMonitorHealth,
  type ScanSummary,
  type SharedMonitorHealth,
} from './monitor-health.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import { Thresholds, type MonitoredJobType } from './thresholds.js';

const CURSOR_KEY = 'monitor:attempt-cursor';
/** Learned durations are re-read at most this often. */
const HISTORY_REFRESH_MS = 60_000;
/** Finding keys remembered as stored, so a scan does not write them again; forgotten past this. */
const MAX_REMEMBERED_KEYS = 100_000;
/** Attempt records read per scan; the rest wait for the next one. */
const ATTEMPTS_PER_SCAN = 1000;
/** Attempt records older than this are history, not news: a monitor starting late skips them. */
const STALE_ATTEMPT_MS = 5 * 60_000;

/** What the monitor needs around it; the app passes its store, clock and pattern book. */
export interface MonitorDeps {
  store: Store;
  clock: Clock;
  /** @default wall-clock timers */
  scheduler?: Scheduler;
  /** Job type descriptions. @default the store's `listJobTypes()` */
  jobTypes?: () => Promise<MonitoredJobType[]>;
  /** Given to the default handler, which counts stuck jobs on their synthetic pattern. */
  patterns?: Pick<PatternBook, 'stuck'>;
}

/** The engine events the monitor reacts to in its own process (failures, sweeps, durations). */
export interface EngineEventSource {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/** The health of this process's monitor and of the database's. */
export interface MonitorHealth extends SharedMonitorHealth {
  /** This process's monitor. */
  owner: string;
  running: boolean;
  isLeader: boolean;
  scanIntervalMs: number;
}

/** Events of the monitor. */
export interface MonitorEvents {
  /** A finding was dispatched by this process, just before its handler runs. */
  finding: [finding: DispatchedFinding];
  /** Its handler finished. */
  handled: [finding: DispatchedFinding, status: 'handled' | 'failed', outcome: string];
  scan: [summary: ScanSummary];
  leader: [change: 'gained' | 'lost', leadership: Leadership | undefined];
  'monitor:error': [error: Error];
}

/**
 * The proactive monitor. Every process running one reacts to its own engine's events (failures,
 * expired leases, durations); one of them, elected through the store, also scans the running jobs
 * every `scanIntervalMs` for stuck, slow and predicted-late attempts, reads every process's attempt
 * records for failures and lost leases, and counts error spikes. Findings are stored once per key
 * and handed to the handler once.
 */
export class Monitor extends EventEmitter<MonitorEvents> {
  readonly owner: string;
  readonly options: ResolvedMonitorOptions;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #scheduler: Scheduler;
  readonly #jobTypes: () => Promise<MonitoredJobType[]>;
  readonly #election: LeaderElection;
  readonly #recorder: DurationRecorder;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #detaches: (() => void)[] = [];
  #handler: FindingHandler;
  #cancel: (() => void) | undefined;
  #lastScanAt: number | undefined;
  #lastFlushAt: number;
  #history: { at: number; rows: DurationHistory[] } | undefined;
  #ticking: Promise<void> | undefined;
  #sweepLeases = true;
  readonly #storedKeys = new Set<string>();

  constructor(deps: MonitorDeps, options: MonitorOptions = {}) {
    super();
    this.options = resolveMonitorOptions(options);
    this.#recorder = new DurationRecorder(this.options.samplesKept);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#scheduler = deps.scheduler ?? systemScheduler;
    this.#jobTypes = deps.jobTypes ?? (() => this.#store.listJobTypes());
    this.#election = new LeaderElection(
      deps.store.monitoring,
      MONITOR_LEADERSHIP,
      this.owner,
      this.options.leadershipTtlMs,
    );
    this.#handler =
      options.onFinding ??
      restartStuckJobs({
        store: deps.store.monitoring,
        clock: deps.clock,
        patterns: deps.patterns,
      });
    this.#lastFlushAt = deps.clock.now();
  }

  /** Replaces the handler findings go to (the app wires the healer's entry point here). */
  handleWith(handler: FindingHandler): this {
    this.#handler = handler;
    return this;
  }

  /** True while started. */
  get running(): boolean {
    return this.#cancel !== undefined;
  }

  /** True while this process holds the leadership. */
  get isLeader(): boolean {
    return this.#election.current(this.#clock.now()) !== undefined;
  }

  /**
   * Starts the election rounds (every third of a scan interval) and, while leading, the scans.
   * With `keepAlive` the timer keeps the process running (a monitor-only process). The leader
   * sweeps expired leases at each scan unless `sweepLeases` is false (beside a worker, which does).
   */
  async start(options: { keepAlive?: boolean; sweepLeases?: boolean } = {}): Promise<void> {
    if (this.#cancel) return;
    this.#sweepLeases = options.sweepLeases ?? true;
    this.#cancel = this.#scheduler.every(this.options.electionIntervalMs, () => this.tick(), {
      keepAlive: options.keepAlive,
    });
    await this.tick();
  }

  /** Stops, flushes learned durations, waits for handlers in flight and gives the leadership up. */
  async stop(): Promise<void> {
    if (!this.#cancel) return;
    this.#cancel();
    this.#cancel = undefined;
    for (const detach of this.#detaches.splice(0)) detach();
    await this.#ticking;
    await Promise.allSettled([...this.#inFlight]);
    await this.#flushDurations().catch((error: unknown) => this.#report(error));
    await this.#election.resign().catch((error: unknown) => this.#report(error));
  }

  /** Reacts to an engine's events in this process: failures and sweeps at once, durations to learn. */
  attach(events: EngineEventSource): this {
    const now = () => this.#clock.now();
    const on = <A extends unknown[]>(event: string, listener: (...args: A) => void) => {
      const wrapped = listener as unknown as (...args: unknown[]) => void;
      events.on(event, wrapped);
      this.#detaches.push(() => events.off(event, wrapped));
    };
    on('job:started', (job: Job) => this.#recorder.started(job, now()));
    on('job:progress', (job: Job, stage: string | undefined) =>
      this.#recorder.progressed(job, stage, now()),
    );
    on('job:completed', (job: Job) => this.#recorder.completed(job, now()));
    for (const event of ['job:lease-lost', 'job:released'])
      on(event, (job: Job) => this.#recorder.dropped(job));
    on('job:failed', (job: Job, error: JobError) => {
      this.#recorder.dropped(job);
      this.#track(this.#record([failedFromEvent(job, error, now())]));
    });
    on('job:lease-expired', (job: Job) =>
      this.#track(this.#record([leaseLostFromEvent(job, now())])),
    );
    return this;
  }

  /** One round: take or renew the leadership, scan when one is due, flush learned durations. */
  tick(): Promise<void> {
    this.#ticking ??= this.#tick().finally(() => (this.#ticking = undefined));
    return this.#ticking;
  }

  async #tick(): Promise<void> {
    const now = this.#clock.now();
    try {
      const change = await this.#election.round(now);
      if (change === 'gained') this.#lastScanAt = undefined;
      if (change) this.emit('leader', change, this.#election.current(now));
    } catch (error) {
      this.#report(error);
    }
    // Rounds come every third of an interval: a scan is due at the round nearest its time.
    const due =
      this.#lastScanAt === undefined ||
      now - this.#lastScanAt >= this.options.scanIntervalMs - this.options.electionIntervalMs / 2;
    if (this.isLeader && due) await this.scan().catch((error: unknown) => this.#report(error));
    if (now - this.#lastFlushAt >= this.options.scanIntervalMs)
      await this.#flushDurations().catch((error: unknown) => this.#report(error));
  }

  /**
   * Scans now: sweeps expired leases, reads new attempt records, runs the detectors over the
   * running jobs and the error counts, stores what is new and hands it on. Findings are handed on
   * only while this process leads; otherwise they wait, stored, for the leader.
   */
  async scan(): Promise<ScanSummary> {
    const startedAt = performance.now();
    const now = this.#clock.now();
    const previousScanAt = this.#lastScanAt ?? null;
    this.#lastScanAt = now;
    const leader = this.#election.current(now);
    const monitoring = this.#store.monitoring;
    if (this.#sweepLeases) await this.#store.expireLeases(now);
    const { baselineSince, recentSince } = spikeWindows(now, this.options);
    const thresholds = await this.#thresholds(now);
    const [attemptFindings, jobs, counts] = await Promise.all([
      this.#attemptFindings(now),
      monitoring.listRunningJobs(thresholds.cutoffs(now)),
      monitoring.countOccurrences(baselineSince, recentSince),
    ]);
    const ctx = { now, previousScanAt, jobs, thresholds, options: this.options };
    const found: Finding[] = [
      ...attemptFindings,
      ...detectStuck(ctx),
      ...detectSlow(ctx),
      ...detectPredictedLate(ctx),
      ...detectErrorSpikes(counts, now, this.options),
    ];
    // A stuck job is seen again by every scan until it is handled: its key is stored already.
    const unseen = found.filter((finding) => !this.#storedKeys.has(finding.key));
    const stored = await monitoring.insertFindings(
      unseen.map((finding) => toNewFinding(finding, this.owner)),
    );
    if (this.#storedKeys.size > MAX_REMEMBERED_KEYS) this.#storedKeys.clear();
    for (const finding of unseen) this.#storedKeys.add(finding.key);
    const durationMs = performance.now() - startedAt;
    const newFindings: Record<string, number> = {};
    for (const finding of stored) newFindings[finding.kind] = (newFindings[finding.kind] ?? 0) + 1;
    const summary: ScanSummary = {
      at: now,
      durationMs,
      candidates: jobs.length,
      newFindings,
      leader: this.owner,
      epoch: leader?.epoch ?? 0,
    };
    if (leader) {
      await this.#store.setState(LAST_SCAN_KEY, summary as unknown as Json, now);
      const abandoned = await monitoring.abandonFindings(now - this.options.handlerTimeoutMs, now);
      for (const finding of abandoned)
        this.#storedKeys.delete(finding.key.replace(/#abandoned:\d+$/, ''));
      // Findings stored by a process that died before handing them on are picked up here.
      const leftovers = await monitoring.listOpenFindings(now - this.options.scanIntervalMs, 100);
      const ids = new Set(stored.map((finding) => finding.id));
      await this.#dispatch(
        [...stored, ...leftovers.filter((finding) => !ids.has(finding.id))],
        leader,
      );
    }
    this.emit('scan', summary);
    return summary;
  }

  /** Health for the API and dashboard: the leader, the last scan, findings by kind and status. */
  async health(): Promise<MonitorHealth> {
    const shared = await readMonitorHealth(this.#store, this.#clock.now());
    return {
      owner: this.owner,
      running: this.running,
      isLeader: this.isLeader,
      scanIntervalMs: this.options.scanIntervalMs,
      ...shared,
    };
  }

  // Failures and lost leases of every process, from the attempt records written since the last
  // scan; the cursor lives in the store so that a new leader goes on where the old one stopped.
  async #attemptFindings(now: number): Promise<Finding[]> {
    const monitoring = this.#store.monitoring;
    const saved = await this.#store.getState(CURSOR_KEY);
    // The first monitor on a database starts a batch back: what happened just before it started counts.
    const cursor =
      typeof saved === 'number'
        ? saved
        : Math.max(0, (await monitoring.lastAttemptId()) - ATTEMPTS_PER_SCAN);
    const records = await monitoring.listAttemptsAfter(cursor, ATTEMPTS_PER_SCAN);
    const next = records.at(-1)?.id ?? cursor;
    if (next !== saved) await this.#store.setState(CURSOR_KEY, next, now);
    const fresh = records.filter(
      (record) => record.at >= now - Math.max(STALE_ATTEMPT_MS, 10 * this.options.scanIntervalMs),
    );
    return fresh.flatMap((record): Finding[] => {
      if (record.outcome === 'lease_expired') return [leaseLostFromAttempt(record, now)];
      const failed = record.outcome === 'failed' ? failedFromAttempt(record, now) : undefined;
      return failed ? [failed] : [];
    });
  }

  async #thresholds(now: number): Promise<Thresholds> {
    if (!this.#history || now - this.#history.at >= HISTORY_REFRESH_MS || now < this.#history.at) {
      this.#history = {
        at: now,
        rows: await this.#store.monitoring.listDurationHistory(this.options.samplesKept),
      };
    }
    return new Thresholds(this.options, await this.#jobTypes(), this.#history.rows);
  }

  /** Forgets the cached learned durations, so the next scan re-reads them. */
  refreshLearnedDurations(): void {
    this.#history = undefined;
  }

  async #record(findings: Finding[]): Promise<void> {
    const stored = await this.#store.monitoring.insertFindings(
      findings.map((finding) => toNewFinding(finding, this.owner)),
    );
    await this.#dispatch(stored, undefined);
  }

  // Each finding is claimed before its handler runs: of every process that stored or saw it, one
  // claim succeeds. A leader's claims also need its leadership to be current (fencing).
  async #dispatch(
    findings: readonly StoredFinding[],
    leader: Leadership | undefined,
  ): Promise<void> {
    const monitoring = this.#store.monitoring;
    for (const stored of findings) {
      const claim = {
        id: stored.id,
        owner: this.owner,
        now: this.#clock.now(),
        leader: leader && { name: MONITOR_LEADERSHIP, epoch: leader.epoch },
      };
      if (!(await monitoring.claimFinding(claim))) continue;
      const finding = fromStoredFinding(stored);
      this.emit('finding', finding);
      let status: 'handled' | 'failed' = 'handled';
      let outcome: string;
      try {
        outcome = (await this.#handler(finding)) ?? 'handled';
      } catch (error) {
        status = 'failed';
        outcome = coerceError(error).message;
      }
      await monitoring.settleFinding(stored.id, status, outcome, this.#clock.now());
      this.emit('handled', finding, status, outcome);
    }
  }

  async #flushDurations(): Promise<void> {
    this.#lastFlushAt = this.#clock.now();
    const samples = this.#recorder.take();
    if (samples.length > 0)
      await this.#store.monitoring.addDurationSamples(samples, this.options.samplesKept);
  }

  #track(work: Promise<void>): void {
    const settled = work
      .catch((error: unknown) => this.#report(error))
      .finally(() => this.#inFlight.delete(settled));
    this.#inFlight.add(settled);
  }

  #report(error: unknown): void {
    this.emit('monitor:error', coerceError(error));
  }
}
