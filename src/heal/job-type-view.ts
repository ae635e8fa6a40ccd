import type { KnobDefinitions } from '../orchestrator/knobs.js';

/**
 * What the healer reads of a job type: its declared knobs and resources and its attempt budget.
 * The stored job type description has these fields, so it can be passed as is.
 */
export interface JobTypeView {
  type: string;
  knobs: KnobDefinitions;
  resources: readonly string[];
  maxAttempts: number;
}
