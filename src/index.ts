export { createMegaMind, MegaMind } from './orchestrator/mega-mind.js';
export type { EnqueueItem, EnqueueOptions, MegaMindEvents } from './orchestrator/mega-mind.js';
export type { JobDefinition, StageDefinition } from './orchestrator/job-definition.js';
export type { JobContext } from './orchestrator/job-context.js';
export type { ChoiceKnob, FlagKnob, KnobDefinition, KnobDefinitions, NumberKnob } from './orchestrator/knobs.js';
export { ExponentialBackoff } from './orchestrator/retry-policy.js';
export type { RetryContext, RetryDecision, RetryPolicy, ExponentialBackoffOptions } from './orchestrator/retry-policy.js';
export type { MegaMindOptions } from './options.js';
export type { Store } from './store/store.js';
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export { PostgresStore } from './store/postgres/postgres-store.js';
export { ManualClock, systemClock, SECOND, MINUTE, HOUR } from './clock.js';
export type { Clock } from './clock.js';
export {
  DelayJobError,
  NonRetryableError,
  OrchestratorError,
  isDelayJobError,
  isNonRetryableError,
  isOrchestratorError,
} from './errors.js';
export type { ErrorCode } from './errors.js';
export type { Job, JobError, JobStatus, Json } from './types.js';
