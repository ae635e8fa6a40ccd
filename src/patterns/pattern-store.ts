import type { Pattern, PatternOccurrence, PatternSource, Json } from '../core/types.js';

/**
 * A pattern to insert or update by pattern key. Every text in it must already be redacted: the
 * store writes what it is given.
 */
export interface PatternUpsert {
  /** The pattern identity: one row per root cause. */
  patternKey: string;
  template: string;
  category: string;
  transient: boolean;
  rootCause: string | null;
  /** Remedy action ids, best first. */
  remedies: readonly string[];
  prevention: string | null;
  facts: Record<string, Json>;
  source: PatternSource;
  confidence: number;
  /** A redacted message of this occurrence. */
  example: string | null;
}

/** One error of a known pattern; `message` must already be redacted. */
export interface NewOccurrence {
  patternId: string;
  jobId?: string | null;
  attempt?: number | null;
  message: string;
  /** The fingerprint of this message's exact shape. */
  signature?: string | null;
}

/** Filter and order for listing patterns; merged patterns are never listed. */
export interface PatternFilter {
  category?: string;
  /** @default 100 */
  limit?: number;
  offset?: number;
  /** Most recently seen first, or most frequent first. @default 'last_seen' */
  orderBy?: 'last_seen' | 'occurrences';
}

/**
 * What the pattern book needs from storage: patterns upserted atomically by pattern key, their
 * occurrences, and merges. Both store engines implement it.
 */
export interface PatternStore {
  /**
   * Inserts a pattern or counts one more occurrence of it, atomically by pattern key (safe when
   * several nodes record the same error at once). A stored analysis is kept unless it came from
   * similarity and the new one did not: what was learned is not overwritten by a guess. An upsert
   * of a merged key counts on the surviving pattern. Returns the pattern as stored.
   */
  upsertPattern(pattern: PatternUpsert, now: number): Promise<Pattern>;
  /** A pattern by id or pattern key, following merges to the surviving pattern. */
  getPattern(idOrKey: string): Promise<Pattern | undefined>;
  /** Live (not merged) patterns. */
  listPatterns(filter?: PatternFilter): Promise<Pattern[]>;
  /**
   * Folds the pattern of `fromKey` into the pattern `intoId`: its counts are added to the
   * survivor and its key resolves to the survivor from then on. An `intoId` that was merged
   * itself lands on its own survivor. Returns the survivor, or undefined when either pattern is
   * unknown, `fromKey` is already merged, or both are the same pattern.
   */
  mergePatterns(fromKey: string, intoId: string, now: number): Promise<Pattern | undefined>;
  /** Records one error of a pattern. */
  recordOccurrence(occurrence: NewOccurrence, now: number): Promise<PatternOccurrence>;
  /** A pattern's occurrences, most recent first. */
  listOccurrences(patternId: string, limit?: number): Promise<PatternOccurrence[]>;
}
