import type { Pattern } from '../core/types.js';

/** A change an operator makes to a pattern; absent fields stay as they are. */
export interface PatternEdit {
  rootCause?: string | null;
  /** Remedy action ids, best first (the seed's `solution`). */
  remedies?: readonly string[];
  prevention?: string | null;
  category?: string;
  /** A disabled pattern still groups errors but is not applied. */
  disabled?: boolean;
}

/** What is known about one remedy of one pattern: local outcomes and weighted imported evidence. */
export interface RemedyStatistic {
  action: string;
  successes: number;
  failures: number;
  pending: number;
  /** Weighted evidence imported from pattern packs (never mixed into the local counts). */
  priorSuccesses: number;
  priorFailures: number;
}

/** Counts of one category of patterns. */
export interface CategoryStatistic {
  category: string;
  patterns: number;
  occurrences: number;
  successes: number;
  failures: number;
  averageConfidence: number;
}

/** The seed's success metrics, over the whole book. */
export interface HealingStatistics {
  patternsLearned: number;
  occurrences: number;
  /** Improvement log rows that were validated (the job's next attempt completed). */
  successfulHeals: number;
  failedHeals: number;
  pendingHeals: number;
  /** Mean confidence of live patterns; 0 without patterns. */
  averageConfidence: number;
  /** successful / (successful + failed); null before any heal was verified. */
  successRate: number | null;
  selfHealedJobs: number;
  byCategory: CategoryStatistic[];
}

/** One pattern of a pattern pack: what was learned, never what it was learned from. */
export interface PackPattern {
  signature: string;
  template: string;
  category: string;
  transient: boolean;
  rootCause: string | null;
  remedies: string[];
  prevention: string | null;
  /** Error class name and code, the only facts a pack carries (the similarity analyzer uses them). */
  facts: { name?: string; code?: string };
  source: Pattern['source'];
  occurrences: number;
  successes: number;
  failures: number;
  confidence: number;
  remedyStatistics: { action: string; successes: number; failures: number }[];
}

/** What importing a pack did. */
export interface PackImportResult {
  /** False when a pack with the same id was imported before (nothing changed). */
  imported: boolean;
  created: number;
  merged: number;
}

/** What an operator reads and changes besides jobs and the pattern book's own writes. */
export interface CurationStore {
  /** Applies an edit to a live pattern; undefined when no pattern has that id or signature. */
  editPattern(idOrSignature: string, edit: PatternEdit, now: number): Promise<Pattern | undefined>;
  /** Ids of disabled patterns. */
  disabledPatternIds(): Promise<Set<string>>;
  /** Per-remedy statistics of a pattern, from the improvement log and imported evidence. */
  remedyStatistics(patternId: string): Promise<RemedyStatistic[]>;
  healingStatistics(): Promise<HealingStatistics>;
  /**
   * Merges a pattern pack in one transaction: a new signature becomes a pattern with the pack's
   * analysis and `weight` times its counts; a known one keeps its analysis and gains the weighted
   * counts; remedy statistics go to the imported evidence. A pack id seen before changes nothing.
   * `onProgress` hears how many patterns are merged so far (a pack may hold 100,000).
   */
  importPatterns(
    packId: string,
    patterns: readonly PackPattern[],
    weight: number,
    now: number,
    onProgress?: (done: number) => void,
  ): Promise<PackImportResult>;
}
