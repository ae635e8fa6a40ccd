/**
 * The HTTP contract: every request the API accepts and every JSON body it answers, as zod schemas,
 * one file per route group. The OpenAPI document (`/api/openapi.json`) is generated from them, and
 * the tests check answers against them, so a dashboard or a script can rely on these shapes.
 */
export { ErrorBody, IdParam } from './contracts/contract-basics.js';
export {
  JobErrorSchema,
  JobSchema,
  AttemptSchema,
  JobListQuery,
  JobList,
  EnqueueOptionsSchema,
  EnqueueBody,
  JobDetail,
  JobAnswer,
  CancelAnswer,
  RetryAnswer,
} from './contracts/job-contracts.js';
export {
  ImprovementSchema,
  ImprovementListQuery,
  ImprovementList,
} from './contracts/improvement-contracts.js';
export {
  PatternSchema,
  PatternListQuery,
  PatternList,
  RemedyStatisticSchema,
  OccurrenceSchema,
  PatternDetail,
  PatternEditBody,
  PatternAnswer,
} from './contracts/pattern-contracts.js';
export {
  CategoryStatisticSchema,
  StatsAnswer,
  MonitorHealthSchema,
  FindingSchema,
  HealthzAnswer,
  LiveEvent,
} from './contracts/system-contracts.js';
export {
  SelfHealerBody,
  HealOutcomeSchema,
  HealReportSchema,
  MonitorBody,
  MonitorAnswer,
  ErrorInputSchema,
  TeacherBody,
  AnalysisSchema,
  TeacherAnswer,
  AutoFixBody,
  SelfHealBody,
  OrchestratorBody,
  OrchestratorAnswer,
} from './contracts/function-contracts.js';
export {
  PackPatternSchema,
  PatternPackSchema,
  PackImportQuery,
  PackImportAnswer,
} from './contracts/pack-contracts.js';
