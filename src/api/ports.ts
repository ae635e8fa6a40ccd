import type { EnqueueItem, EnqueueOptions } from '../app/client.js';
import type { Job, Json } from '../core/types.js';
import type { PatternBook } from '../patterns/pattern-book.js';
import type { Store } from '../store/store.js';

/** Events of the engine the API relays to `/api/events` (a subset of `MegaMindEvents`). */
export const RELAYED_EVENTS = [
  'job:started',
  'job:progress',
  'job:completed',
  'job:failed',
  'job:released',
  'job:lease-lost',
  'job:lease-expired',
  'pattern:recorded',
] as const;

/**
 * What the API needs from the engine or the handler-less client: both `MegaMind` and
 * `MegaMindClient` satisfy it. Reads go through the store; writes through the engine, which
 * validates them against the job types it knows.
 */
export interface EnginePort {
  readonly store: Store;
  readonly patterns: PatternBook;
  ready(): Promise<void>;
  enqueue(type: string, payload?: Json, options?: EnqueueOptions): Promise<Job>;
  /** All validated before any is stored, in one transaction. */
  enqueueMany(items: readonly EnqueueItem[]): Promise<Job[]>;
  cancel(id: string): Promise<boolean>;
  /**
   * Starts emitting `job:completed` and `job:failed` for jobs that other processes finish, so the
   * live events show a worker that runs elsewhere.
   */
  watch(): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the engine's typed emitter narrows listeners per event
  on(event: (typeof RELAYED_EVENTS)[number], listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  off(event: (typeof RELAYED_EVENTS)[number], listener: (...args: any[]) => void): unknown;
}

/** What the healer did, or is doing, about one job. */
export interface HealOutcome {
  jobId: string;
  /** What was detected: `failed`, `stuck`, `slow`, `lease_expired`, … */
  detected: string;
  /** The pattern the problem matched; `known: false` when this heal created it. */
  pattern: { id: string; signature: string; known: boolean } | null;
  /** The remedy or fixer applied, or null when nothing was. */
  applied: string | null;
  /** The outcome so far: `pending` until the job's next attempt decides. */
  outcome: 'pending' | 'validated' | 'failed' | 'escalated' | 'skipped';
  /** One line for people: why it was skipped or escalated, what changed. */
  message?: string;
}

/** What one healing scan did. */
export interface HealReport {
  /** Jobs looked at. */
  scanned: number;
  results: HealOutcome[];
}

/**
 * The healer as the API calls it (`mega-mind-self-healer`, `auto-fix-engine`, `self-heal`).
 * Optional in `createApp`: without it those functions answer 501.
 */
export interface HealerPort {
  /** Scans and heals every job that needs it, or only `jobId`. */
  heal(request: { jobId?: string }): Promise<HealReport>;
  /**
   * Applies one remedy action of the catalogue, with parameters, to a failed or queued job
   * (`auto-fix-engine`); an invalid argument (400) names what cannot be applied.
   */
  applyRemedy?(request: {
    jobId: string;
    action: string;
    params?: Record<string, unknown>;
    patternId?: string;
  }): Promise<HealOutcome>;
  /** Runs a registered code-level fixer, by name, on a failed or queued job (`self-heal`). */
  applyFixer?(request: {
    jobId: string;
    fixer: string;
    params?: Record<string, unknown>;
    patternId?: string;
  }): Promise<HealOutcome>;
}

/** The monitor's verdict on the system. */
export interface MonitorHealth {
  status: 'ok' | 'degraded' | 'failing';
  checkedAt: number;
  /** Free-form figures (queue depth, oldest running job, scan duration, …). */
  details?: Record<string, Json>;
}

/** Something the monitor detected. */
export interface Finding {
  kind: string;
  jobId: string | null;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  detectedAt: number;
  data?: Record<string, Json>;
}

/**
 * The monitor as the API calls it (`proactive-monitor`, `/api/monitor/health`). Optional in
 * `createApp`: without it those endpoints answer 501.
 */
export interface MonitorPort {
  health(): Promise<MonitorHealth>;
  findings(options?: { limit?: number }): Promise<Finding[]>;
}
