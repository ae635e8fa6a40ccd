import type { JobTypeDescription } from '../core/job-type.js';

/**
 * What the healer reads of a job type: its declared knobs and resources and its attempt budget.
 * A stored {@link JobTypeDescription} is one.
 */
export type JobTypeView = Pick<JobTypeDescription, 'type' | 'knobs' | 'maxAttempts'> & {
  resources: readonly string[];
};
