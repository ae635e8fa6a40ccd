import type { Job, JobError, Json, Pattern, PatternOccurrence } from '../core/types.js';

/**
 * The JSON the dashboard reads from the API (see the API's contracts). Declared here, as the
 * subset the pages use, because the dashboard sits below the API and may not import it.
 */

/** A pattern as `/api/patterns` answers it. */
export type ApiPattern = Pattern & { disabled?: boolean };

/** One row of `ai_improvement_logs` as `/api/improvements` answers it: a heal and how it turned out. */
export interface ApiImprovement {
  id: string;
  jobId: string | null;
  patternId: string | null;
  /** True when the heal saw its pattern for the first time. */
  patternNew: boolean;
  action: string;
  changesApplied: Json;
  /** What the healer detected: the error, its category, where the analysis came from. */
  detected: Record<string, Json>;
  validationStatus: string;
  /** How the next attempt went (`success`, `failure`, `changed`, `abandoned`), once it has. */
  outcome: string | null;
  confidence: number;
  createdAt: number;
  validatedAt: number | null;
}

/** `/api/stats`. */
export interface ApiStats {
  patternsLearned: number;
  successfulHeals: number;
  failedHeals?: number;
  pendingHeals?: number;
  averageConfidence: number;
  successRate: number | null;
  selfHealedJobs?: number;
  byCategory?: {
    category: string;
    patterns: number;
    occurrences: number;
    successes: number;
    failures: number;
  }[];
  jobs?: Record<string, number>;
}

/** A failed, expired or released attempt of a job. */
export interface ApiAttempt {
  attempt: number;
  owner: string | null;
  outcome: string;
  error: JobError | null;
  at: number;
}

/** `/api/jobs/:id`. */
export interface ApiJobDetail {
  job: Job;
  attempts: ApiAttempt[];
  errors: JobError[];
  heals: ApiImprovement[];
}

/** A remedy's record on one pattern. */
export interface ApiRemedyStatistic {
  action: string;
  successes: number;
  failures: number;
  pending?: number;
}

/** `/api/patterns/:id`. */
export interface ApiPatternDetail {
  pattern: ApiPattern;
  remedyStatistics?: ApiRemedyStatistic[];
  occurrences: PatternOccurrence[];
}

/** `/api/jobs`. */
export interface ApiJobList {
  jobs: Job[];
  total: number;
}
