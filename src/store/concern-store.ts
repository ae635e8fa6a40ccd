import type { StateStore } from '../core/state-store.js';
import type { PatternStore } from '../patterns/pattern-store.js';
import type { CurationStore } from './curation-store.js';
import type { HealStore } from './heal-store.js';
import type { JobEventStore } from './job-event-store.js';
import type { JobTypeStore } from './job-type-store.js';
import type { MaintenanceStore } from './maintenance-store.js';
import type { ScheduleStore } from './schedule-store.js';

/** The concern objects a store holds, by the field that holds each. */
interface Concerns {
  patternStore: PatternStore & StateStore;
  jobTypeStore: JobTypeStore;
  curationStore: CurationStore;
  maintenanceStore: MaintenanceStore;
  scheduleStore: ScheduleStore;
  jobEventStore: JobEventStore;
  healStore: HealStore;
}

/**
 * Every method of every concern, by the field whose object implements it. Each entry is a record
 * over its interface's keys, so a method added to a concern fails to compile until it is listed
 * here, and the store cannot miss a forward.
 */
const FORWARDS: { [F in keyof Concerns]: Record<keyof Concerns[F], true> } = {
  patternStore: {
    upsertPattern: true,
    getPattern: true,
    listPatterns: true,
    mergePatterns: true,
    recordOccurrence: true,
    listOccurrences: true,
    getState: true,
    setState: true,
  },
  jobTypeStore: { describeJobTypes: true, listJobTypes: true },
  curationStore: {
    editPattern: true,
    disabledPatternIds: true,
    remedyStatistics: true,
    healingStatistics: true,
    importPatterns: true,
  },
  maintenanceStore: {
    retryJob: true,
    pruneJobs: true,
    pruneOccurrences: true,
    pruneImprovementLogs: true,
  },
  scheduleStore: {
    saveSchedules: true,
    listSchedules: true,
    dueSchedules: true,
    advanceSchedule: true,
  },
  jobEventStore: { onJobsFinished: true },
  healStore: {
    insertImprovement: true,
    settleImprovements: true,
    listImprovements: true,
    listRemedyStats: true,
    listRemedyRepeats: true,
    recordRemedyOutcome: true,
    requeueJob: true,
    restartJob: true,
    holdQueuedJobs: true,
    countResourceFailure: true,
    resetResourceFailures: true,
    countFailedHeals: true,
  },
};

// The methods are the forwards installed on the prototype below, kept complete by FORWARDS' type.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ConcernStore
  extends
    PatternStore,
    StateStore,
    JobTypeStore,
    CurationStore,
    MaintenanceStore,
    ScheduleStore,
    JobEventStore,
    HealStore {}

/**
 * What both engines share: the concerns beyond jobs are objects of their own (`SqlHeal`,
 * `SqlPatterns`, `SqliteMaintenance`, …), and the store forwards each of their methods to them,
 * once, here, instead of each engine repeating every method. A new concern adds its field here
 * and its methods to FORWARDS.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class ConcernStore {
  /** The engine's pattern book tables and engine state. */
  protected abstract readonly patternStore: PatternStore & StateStore;
  /** The engine's job type descriptions. */
  protected abstract readonly jobTypeStore: JobTypeStore;
  /** Operator reads and writes (pattern edits, statistics, packs). */
  protected abstract readonly curationStore: CurationStore;
  /** Retry and retention of finished jobs. */
  protected abstract readonly maintenanceStore: MaintenanceStore;
  /** Cron and repeatable schedules. */
  protected abstract readonly scheduleStore: ScheduleStore;
  /** Jobs finished by any process. */
  protected abstract readonly jobEventStore: JobEventStore;
  /** The healer's tables: the improvement log and the learned remedy counts. */
  protected abstract readonly healStore: HealStore;
}

type Methods = Record<string, (...args: unknown[]) => unknown>;

for (const [field, methods] of Object.entries(FORWARDS)) {
  for (const method of Object.keys(methods)) {
    Object.defineProperty(ConcernStore.prototype, method, {
      configurable: true,
      writable: true,
      value: function forward(this: Record<string, Methods>, ...args: unknown[]) {
        return this[field]![method]!(...args);
      },
    });
  }
}
