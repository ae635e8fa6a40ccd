import type { JobError, Json } from '../core/types.js';
import type { NewFinding, StoredFinding } from '../store/store.js';

/** What the monitor detects. */
export const FINDING_KINDS = [
  'stuck',
  'lease_lost',
  'failed',
  'slow',
  'predicted_late',
  'error_spike',
] as const;
/** One of {@link FINDING_KINDS}. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Fields every finding has. */
interface FindingBase {
  /** Idempotency key: one stuck attempt, one failed attempt, one spike window… is one finding. */
  key: string;
  /** One line for people: "stuck at 'Setting up database foundation' (25%) for 5m 2s". */
  summary: string;
  /** When it was detected (ms since the epoch). */
  detectedAt: number;
}

/** The attempt a job finding is about, as it was when detected. */
export interface AttemptRef {
  jobId: string;
  jobType: string;
  attempt: number;
  /** The attempt's lease token: a remedy that restarts the attempt is fenced by it. */
  leaseToken: number;
  stage: string | null;
  progress: number;
}

/** A running job whose progress has not moved for its `stuckAfterMs`. */
export interface StuckFinding extends FindingBase, AttemptRef {
  kind: 'stuck';
  /** The last progress (stage, progress value, checkpoint or `ctx.heartbeat()`). */
  progressAt: number;
  idleMs: number;
  stuckAfterMs: number;
  /** Where the threshold came from: the stage, the job type, or the monitor's options. */
  thresholdFrom: ThresholdSource;
  leaseOwner: string | null;
  /** The last lease renewal: recent means the worker is alive and the handler hangs. */
  heartbeatAt: number | null;
  /** The scan before the detecting one (null for the first): it ran before the threshold passed. */
  previousScanAt: number | null;
}

/** An attempt whose lease expired without a renewal: its worker died or stalled. */
export interface LeaseLostFinding extends FindingBase, Omit<AttemptRef, 'progress'> {
  kind: 'lease_lost';
  leaseOwner: string | null;
  /** When the lease was swept. */
  expiredAt: number;
}

/** An attempt that failed. */
export interface FailedFinding extends FindingBase, Omit<AttemptRef, 'progress'> {
  kind: 'failed';
  error: JobError;
}

/** An attempt (or its current stage) running longer than expected. */
export interface SlowFinding extends FindingBase, AttemptRef {
  kind: 'slow';
  /** `attempt` for the whole run, `stage` for the current stage. */
  scope: 'attempt' | 'stage';
  elapsedMs: number;
  expectedMs: number;
  /** `expectedMs` × the slow factor. */
  thresholdMs: number;
  basis: ExpectationBasis;
  /** Successful runs the expectation was learned from (0 when declared). */
  samples: number;
}

/** An attempt whose progress rate says it will pass its expected duration. */
export interface PredictedLateFinding extends FindingBase, AttemptRef {
  kind: 'predicted_late';
  elapsedMs: number;
  expectedMs: number;
  thresholdMs: number;
  basis: ExpectationBasis;
  samples: number;
  /** Progress per minute so far. */
  percentPerMinute: number;
  predictedTotalMs: number;
  predictedFinishAt: number;
}

/** A pattern occurring far more often in the last window than in the windows before. */
export interface ErrorSpikeFinding extends FindingBase {
  kind: 'error_spike';
  patternId: string;
  recent: number;
  /** Mean occurrences per window over the baseline windows. */
  baselinePerWindow: number;
  windowMs: number;
  /** The window's start (ms since the epoch). */
  windowStart: number;
}

/** Where a stuck threshold came from. */
export type ThresholdSource = 'stage' | 'type' | 'options';
/** Where an expected duration came from: declared on the type/stage, or learned from successful runs. */
export type ExpectationBasis = 'declared' | 'learned';

/** Something the monitor found, with its evidence; a union on `kind`. */
export type Finding =
  | StuckFinding
  | LeaseLostFinding
  | FailedFinding
  | SlowFinding
  | PredictedLateFinding
  | ErrorSpikeFinding;

/** A stored finding, as handed to a {@link FindingHandler}: the finding plus its row id. */
export type DispatchedFinding = Finding & { id: number };

/** The store row of a finding: the whole finding is its evidence. */
export function toNewFinding(finding: Finding, detectedBy: string): NewFinding {
  return {
    key: finding.key,
    kind: finding.kind,
    jobId: 'jobId' in finding ? finding.jobId : null,
    jobType: 'jobType' in finding ? finding.jobType : null,
    patternId: finding.kind === 'error_spike' ? finding.patternId : null,
    summary: finding.summary,
    evidence: finding as unknown as Json,
    detectedAt: finding.detectedAt,
    detectedBy,
  };
}

/** The finding a stored row holds. */
export function fromStoredFinding(stored: StoredFinding): DispatchedFinding {
  return { ...(stored.evidence as unknown as Finding), id: stored.id };
}

/** "5m 2s", "1.5s", "2h 3m": durations as people read them. */
export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Math.round(ms / 100) / 10}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** "'Setting up database foundation' (25%)", or "before its first stage (0%)". */
export function describeStage(stage: string | null, progress: number): string {
  const percent = `${Math.round(progress * 10) / 10}%`;
  return stage === null ? `before its first stage (${percent})` : `'${stage}' (${percent})`;
}
