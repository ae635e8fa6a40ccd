export { createMegaMind, MegaMind } from './app/mega-mind.js';
export type { EngineOptions } from './app/mega-mind.js';
export { Monitor } from './monitor/monitor.js';
export { MONITOR_LEADERSHIP, readMonitorHealth } from './monitor/monitor-health.js';
export type {
  EngineEventSource,
  MonitorDeps,
  MonitorEvents,
  MonitorHealth,
} from './monitor/monitor.js';
export type { ScanSummary, SharedMonitorHealth } from './monitor/monitor-health.js';
export type { MonitorOptions, TypeThresholds } from './monitor/monitor-options.js';
export { FINDING_KINDS } from './monitor/finding.js';
export type {
  DispatchedFinding,
  ErrorSpikeFinding,
  FailedFinding,
  Finding,
  FindingKind,
  LeaseLostFinding,
  PredictedLateFinding,
  SlowFinding,
  StuckFinding,
} from './monitor/finding.js';
export { restartStuckJobs } from './monitor/finding-handler.js';
export type { FindingHandler, RestartDeps } from './monitor/finding-handler.js';
export { ManualScheduler, systemScheduler } from './monitor/scheduler.js';
export type { Scheduler } from './monitor/scheduler.js';
export type { MonitoredJobType } from './monitor/thresholds.js';
export { createMegaMindClient, MegaMindClient } from './app/client.js';
export type {
  EnqueueArgs,
  EnqueueItem,
  EnqueueOptions,
  JobOf,
  MegaMindClientOptions,
  MegaMindEvents,
} from './app/client.js';
export type {
  JobMap,
  JobName,
  JobSpec,
  KnobsOf,
  PayloadOf,
  ResultOf,
  UntypedJobs,
} from './core/job-map.js';
export type { PayloadSchema } from './orchestrator/payload-schema.js';
export type {
  FailureContext,
  FailureDecision,
  FailureHook,
  HealingMark,
  NextFailureHook,
} from './orchestrator/failure-hook.js';
export type { JobTypeStore } from './store/job-type-store.js';
export type { JobDefinition } from './orchestrator/job-definition.js';
export type { JobContext } from './orchestrator/job-context.js';
export type {
  ChoiceKnob,
  FlagKnob,
  JobTypeDescription,
  KnobDefinition,
  KnobDefinitions,
  NumberKnob,
  StageDefinition,
} from './core/job-type.js';
export { ExponentialBackoff } from './orchestrator/retry-policy.js';
export type {
  RetryContext,
  RetryDecision,
  RetryPolicy,
  ExponentialBackoffOptions,
} from './orchestrator/retry-policy.js';
export type { MegaMindOptions } from './orchestrator/options.js';
export { Healer } from './heal/healer.js';
export type { HealerDeps, HealerEvents } from './heal/healer-deps.js';
export type { StuckDetails } from './heal/record-failure.js';
export type { FixerRequest, RemedyRequest } from './heal/manual-remedy.js';
export type { HealerLlmOptions, HealerOptions } from './heal/healer-options.js';
export type { HealReport } from './heal/heal-report.js';
export type { Fixer, FixerContext, FixerResult } from './heal/fixers/fixer.js';
export type { ResetHook } from './heal/remedy-services.js';
export type { Escalation, EscalatorOptions } from './heal/escalator.js';
export type { LlmClient, LlmRequest, OpenAiLlmClientOptions } from './heal/llm-client.js';
export { OpenAiLlmClient } from './heal/llm-client.js';
export { REMEDIES } from './heal/actions/remedies.js';
export type { Remedy, RemedyPlan } from './heal/remedy.js';
export type {
  HealOutcome,
  Improvement,
  ImprovementFilter,
  RemedyStat,
  ValidationStatus,
} from './store/heal-store.js';
export type { NewOccurrence, PatternFilter, PatternUpsert, Store } from './store/store.js';
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export { PostgresStore } from './store/postgres/postgres-store.js';
export { ManualClock, systemClock, SECOND, MINUTE, HOUR, DAY } from './core/clock.js';
export type { Clock } from './core/clock.js';
export {
  DelayJobError,
  NonRetryableError,
  OrchestratorError,
  isDelayJobError,
  isNonRetryableError,
  isOrchestratorError,
} from './core/errors.js';
export type { ErrorCode } from './core/errors.js';
export type {
  Healing,
  Job,
  JobError,
  JobStatus,
  Json,
  Pattern,
  PatternOccurrence,
  PatternSource,
} from './core/types.js';
export { PATTERN_SOURCES } from './core/types.js';
export { analyzeError } from './patterns/analyze-error.js';
export type { AnalyzeErrorOptions, ErrorAnalysis } from './patterns/analyze-error.js';
export { fingerprintError, stuckSignature } from './patterns/fingerprint.js';
export type { ErrorInput, Fingerprint } from './patterns/fingerprint.js';
export { classifyError } from './patterns/classify.js';
export type { Classification, ClassifyOptions } from './patterns/classify.js';
export { redact, redactDeep } from './patterns/redact.js';
export { CATEGORIES, CATEGORY_IDS, isCategory } from './knowledge/categories.js';
export type { Category } from './knowledge/categories.js';
export type { ErrorFacts } from './patterns/facts.js';
export { TemplateTree } from './patterns/template-tree.js';
export type { TemplateMatch, TemplateTreeState } from './patterns/template-tree.js';
export type { TemplateTreeOptions } from './patterns/template-tree-options.js';
export { PatternBook } from './patterns/pattern-book.js';
export type {
  PatternBookOptions,
  PatternBookSizes,
  RecordedError,
  RecordInput,
} from './patterns/pattern-book.js';
export { ACTIONS, ACTION_IDS, isActionId } from './knowledge/actions.js';
export type { ActionId } from './knowledge/actions.js';
export type { KnownPattern } from './patterns/similar-analyzer.js';
export { createLogger } from './app/create-logger.js';
export type { LoggerOptions } from './app/create-logger.js';
export { LOG_LEVELS, silentLogger } from './core/logger.js';
export type { Logger, LogFields, LogLevel } from './core/logger.js';
export type { JobEventStore } from './store/job-event-store.js';
export { MISSED_RUN_POLICIES } from './orchestrator/scheduler.js';
export type { MissedRunPolicy, ScheduleDefinition } from './orchestrator/scheduler.js';
export type { SqlExecutor } from './store/postgres/postgres-outbox.js';
export { RETENTION_DEFAULTS } from './orchestrator/retention.js';
export type { JobRetention, PruneResult, RetentionPolicy } from './orchestrator/retention.js';
