import type { JobTypeDescription } from '../core/job-type.js';

/**
 * Job types as workers described them. A process that only enqueues or reads (a client, the API,
 * the monitor, the dashboard) learns every type here without loading handler code.
 */
export interface JobTypeStore {
  /** Inserts or replaces the descriptions, by type. */
  describeJobTypes(types: readonly JobTypeDescription[], now: number): Promise<void>;
  /** Every described type, by name. */
  listJobTypes(): Promise<JobTypeDescription[]>;
}
