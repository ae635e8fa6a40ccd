import type { StateStore } from '../core/state-store.js';
import type { JobTypeDescription } from '../core/job-type.js';
import type { Json, Pattern, PatternOccurrence } from '../core/types.js';
import type { NewOccurrence, PatternFilter, PatternStore, PatternUpsert } from '../patterns/pattern-store.js';
import type { JobTypeStore } from './job-type-store.js';

/**
 * What both engines share: the concerns beyond jobs are objects of their own per engine
 * (`SqlitePatterns`, `PostgresJobTypes`, …), and the store forwards to them here, once, instead of
 * each engine repeating every method. A new concern adds its field and its forwards here.
 */
export abstract class ConcernStore implements PatternStore, StateStore, JobTypeStore {
  /** The engine's pattern book tables and engine state. */
  protected abstract readonly patternStore: PatternStore & StateStore;
  /** The engine's job type descriptions. */
  protected abstract readonly jobTypeStore: JobTypeStore;

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
}
