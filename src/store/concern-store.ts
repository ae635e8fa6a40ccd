import type { StateStore } from '../core/state-store.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { Json, Pattern, PatternOccurrence } from '../core/types.js';
import type {
  NewOccurrence,
  PatternFilter,
  PatternStore,
  PatternUpsert,
} from '../patterns/pattern-store.js';
import type { JobEventStore } from './job-event-store.js';
import type { JobTypeStore } from './job-type-store.js';
import type {
  CurationStore,
  HealingStatistics,
  PackImportResult,
  PackPattern,
  PatternEdit,
  RemedyStatistic,
} from './curation-store.js';
import type { JobPruneRule, MaintenanceStore } from './maintenance-store.js';
import type { ScheduleStore, ScheduleUpsert, StoredSchedule } from './schedule-store.js';
import type { Job } from '../core/types.js';
import type {
  HealStore,
  Improvement,
  ImprovementFilter,
  ImprovementSettlement,
  NewImprovement,
  RemedyOutcome,
  RemedyRepeatStat,
  RemedyStat,
  RequeueWrite,
  RestartWrite,
} from './heal-store.js';

/**
 * What both engines share: the concerns beyond jobs are objects of their own per engine
 * (`SqlitePatterns`, `PostgresJobTypes`, …), and the store forwards to them here, once, instead of
 * each engine repeating every method. A new concern adds its field and its forwards here.
 */
export abstract class ConcernStore
  implements
    PatternStore,
    StateStore,
    JobTypeStore,
    CurationStore,
    MaintenanceStore,
    ScheduleStore,
    JobEventStore,
    HealStore
{
  /** The engine's pattern book tables and engine state. */
  protected abstract readonly patternStore: PatternStore & StateStore;
  /** The engine's job type descriptions. */
  protected abstract readonly jobTypeStore: JobTypeStore;
  /** The engine's operator reads and writes (pattern edits, improvements, statistics, packs). */
  protected abstract readonly curationStore: CurationStore;
  /** Retry and retention of finished jobs. */
  protected abstract readonly maintenanceStore: MaintenanceStore;
  /** Cron and repeatable schedules. */
  protected abstract readonly scheduleStore: ScheduleStore;
  /** Jobs finished by any process. */
  protected abstract readonly jobEventStore: JobEventStore;
  /** The healer's tables: the improvement log and the learned remedy counts. */
  protected abstract readonly healStore: HealStore;

  upsertPattern(pattern: PatternUpsert, now: number): Promise<Pattern> {
    return this.patternStore.upsertPattern(pattern, now);
  }

  getPattern(idOrSignature: string): Promise<Pattern | undefined> {
    return this.patternStore.getPattern(idOrSignature);
  }

  listPatterns(filter?: PatternFilter): Promise<Pattern[]> {
    return this.patternStore.listPatterns(filter);
  }

  mergePatterns(fromSignature: string, intoId: string, now: number): Promise<Pattern | undefined> {
    return this.patternStore.mergePatterns(fromSignature, intoId, now);
  }

  recordOccurrence(occurrence: NewOccurrence, now: number): Promise<PatternOccurrence> {
    return this.patternStore.recordOccurrence(occurrence, now);
  }

  listOccurrences(patternId: string, limit?: number): Promise<PatternOccurrence[]> {
    return this.patternStore.listOccurrences(patternId, limit);
  }

  getState(key: string): Promise<Json | undefined> {
    return this.patternStore.getState(key);
  }

  setState(key: string, value: Json, now: number): Promise<void> {
    return this.patternStore.setState(key, value, now);
  }

  describeJobTypes(types: readonly JobTypeDescription[], now: number): Promise<void> {
    return this.jobTypeStore.describeJobTypes(types, now);
  }

  listJobTypes(): Promise<JobTypeDescription[]> {
    return this.jobTypeStore.listJobTypes();
  }

  editPattern(idOrSignature: string, edit: PatternEdit, now: number): Promise<Pattern | undefined> {
    return this.curationStore.editPattern(idOrSignature, edit, now);
  }

  disabledPatternIds(): Promise<Set<string>> {
    return this.curationStore.disabledPatternIds();
  }

  remedyStatistics(patternId: string): Promise<RemedyStatistic[]> {
    return this.curationStore.remedyStatistics(patternId);
  }

  healingStatistics(): Promise<HealingStatistics> {
    return this.curationStore.healingStatistics();
  }

  retryJob(id: string, now: number): Promise<boolean> {
    return this.maintenanceStore.retryJob(id, now);
  }

  importPatterns(
    packId: string,
    patterns: readonly PackPattern[],
    weight: number,
    now: number,
    onProgress?: (done: number) => void,
  ): Promise<PackImportResult> {
    return this.curationStore.importPatterns(packId, patterns, weight, now, onProgress);
  }

  pruneJobs(rule: JobPruneRule): Promise<number> {
    return this.maintenanceStore.pruneJobs(rule);
  }

  pruneOccurrences(before: number): Promise<number> {
    return this.maintenanceStore.pruneOccurrences(before);
  }

  pruneImprovementLogs(before: number): Promise<number> {
    return this.maintenanceStore.pruneImprovementLogs(before);
  }

  onJobsFinished(
    since: number,
    listener: (ids: readonly string[]) => void,
  ): Promise<() => Promise<void>> {
    return this.jobEventStore.onJobsFinished(since, listener);
  }

  saveSchedules(schedules: readonly ScheduleUpsert[], now: number): Promise<void> {
    return this.scheduleStore.saveSchedules(schedules, now);
  }

  listSchedules(): Promise<StoredSchedule[]> {
    return this.scheduleStore.listSchedules();
  }

  dueSchedules(now: number): Promise<StoredSchedule[]> {
    return this.scheduleStore.dueSchedules(now);
  }

  advanceSchedule(
    name: string,
    expected: number,
    next: number,
    firedAt: number,
    jobId: string | null,
  ): Promise<boolean> {
    return this.scheduleStore.advanceSchedule(name, expected, next, firedAt, jobId);
  }

  insertImprovement(improvement: NewImprovement, now: number): Promise<Improvement> {
    return this.healStore.insertImprovement(improvement, now);
  }

  settleImprovements(settlement: ImprovementSettlement, now: number): Promise<Improvement[]> {
    return this.healStore.settleImprovements(settlement, now);
  }

  listImprovements(filter?: ImprovementFilter): Promise<Improvement[]> {
    return this.healStore.listImprovements(filter);
  }

  listRemedyStats(patternIds?: readonly string[]): Promise<RemedyStat[]> {
    return this.healStore.listRemedyStats(patternIds);
  }

  listRemedyRepeats(patternIds?: readonly string[]): Promise<RemedyRepeatStat[]> {
    return this.healStore.listRemedyRepeats(patternIds);
  }

  recordRemedyOutcome(outcome: RemedyOutcome, now: number): Promise<RemedyStat> {
    return this.healStore.recordRemedyOutcome(outcome, now);
  }

  requeueJob(write: RequeueWrite, now: number): Promise<Job | undefined> {
    return this.healStore.requeueJob(write, now);
  }

  restartJob(write: RestartWrite, now: number): Promise<Job | undefined> {
    return this.healStore.restartJob(write, now);
  }

  holdQueuedJobs(
    types: readonly string[],
    until: number,
    now: number,
    spreadMs?: number,
  ): Promise<number> {
    return this.healStore.holdQueuedJobs(types, until, now, spreadMs);
  }

  countResourceFailure(resource: string, now: number): Promise<number> {
    return this.healStore.countResourceFailure(resource, now);
  }

  resetResourceFailures(resource: string, now: number): Promise<void> {
    return this.healStore.resetResourceFailures(resource, now);
  }

  countFailedHeals(patternId: string, since: number, limit: number): Promise<number> {
    return this.healStore.countFailedHeals(patternId, since, limit);
  }
}
