/**
 * The contract every benchmarked system implements, so the driver measures them all the same way.
 *
 * Terms: the producer enqueues (it runs in the driver process); the worker runs jobs (always in a
 * child process, `worker.ts`); a variant is one named worker configuration of a system.
 */

/** The systems `--systems` accepts. */
export const SYSTEM_NAMES = [
  'megamind-pg',
  'megamind-sqlite',
  'bullmq',
  'pgboss',
  'graphile',
] as const;
export type SystemName = (typeof SYSTEM_NAMES)[number];

/** What every benchmark job carries. */
export interface JobPayload {
  /** Sequence number within the batch. */
  i: number;
  /** Enqueue time (`now()`), set by the latency measurement. */
  t?: number;
  /** The handler never returns: the recovery measurement kills its worker. */
  hang?: boolean;
}

/** One worker configuration; serialised to the child process as JSON. */
export interface WorkerVariant {
  /** Short label shown in the table, e.g. `batch 100` or `localQueue 100`. */
  label: string;
  concurrency: number;
  /** System-specific options, read by the system's adapter only. */
  options: Record<string, number>;
}

/** A recovery setting measured for real, or a value derived from the system's hard-coded rules. */
export type RecoveryVariant =
  | { label: string; kind: 'measured'; worker: WorkerVariant; timeoutMs: number; note?: string }
  | { label: string; kind: 'computed'; text: string; lowerBoundSeconds: number; note: string };

export interface Producer {
  /** Enqueue all payloads in one bulk call. */
  enqueueMany(payloads: JobPayload[]): Promise<void>;
  /** Enqueue one job; `variant` lets a system put per-job settings (pg-boss expiry) on it. */
  enqueueOne(payload: JobPayload, variant?: WorkerVariant): Promise<void>;
  /** Jobs not yet completed; absent when the worker reports completions itself. */
  remaining?(): Promise<number>;
  /** Make every held lock look older than the system's stale-lock rule (graphile-worker only). */
  expireLocks?(): Promise<void>;
  close(): Promise<void>;
}

/** The part of a system that runs inside `worker.ts`. */
export interface WorkerHandle {
  /** Begin taking jobs; everything slow (connecting, migrating) happened before. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type JobHandler = (payload: JobPayload) => Promise<void>;

export interface SystemAdapter {
  readonly name: SystemName;
  /** Human-readable name and version, e.g. `BullMQ 6.7.0`. */
  readonly title: string;
  /**
   * True when the worker learns of each durable completion (an event after the store wrote it);
   * otherwise the driver polls `Producer.remaining()` after the last handler returned.
   */
  readonly reportsCompletions: boolean;
  /** Drop this system's schema or keys and create them afresh. */
  reset(): Promise<void>;
  createProducer(): Promise<Producer>;
  /** Called in the child: connect and register the handler, but take no job before `start()`. */
  createWorker(
    variant: WorkerVariant,
    handler: JobHandler,
    onCompleted: () => void,
  ): Promise<WorkerHandle>;
  /** Worker configurations for the drain measurement (each is run at every concurrency it names). */
  readonly drainVariants: WorkerVariant[];
  /** The configuration for the add → start latency measurement (an idle worker, concurrency 10). */
  readonly latencyVariant: WorkerVariant;
  /** Default and most aggressive dead-worker recovery settings. */
  readonly recoveryVariants: RecoveryVariant[];
}

/** Milliseconds since the Unix epoch, sub-millisecond, comparable across processes on one host. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The PostgreSQL database the benchmark owns; every system gets its own schema in it. */
export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/bench';
