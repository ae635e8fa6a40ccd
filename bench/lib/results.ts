import type { SystemName } from '../adapters/adapter.js';

/** Figures of one system: one sample per run, keyed by metric, then by variant label. */
export interface SystemResults {
  title: string;
  bulkEnqueue: number[];
  singleEnqueue: number[];
  /** Keyed by variant label, e.g. `c=10, batch 100`. */
  drain: Record<string, number[]>;
  /** The same drains, timed to the last handler's return instead of the last durable completion. */
  drainHandlers: Record<string, number[]>;
  /** Label of the latency variant. */
  latencyLabel: string;
  latencyP50: number[];
  latencyP99: number[];
  /** Seconds; Infinity when the bound ran out. Keyed by recovery label. */
  recovery: Record<string, number[]>;
  /** Recovery figures derived from hard-coded rules rather than measured. */
  recoveryComputed: Record<string, { text: string; lowerBoundSeconds: number }>;
  /** Worker peak RSS (MB) in the first c=10 drain variant. */
  rssMb: number[];
  errors: string[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  argv: string[];
  jobs: number;
  singleJobs: number;
  runs: number;
  machine: { cpus: number; node: string; loadavgStart: number[]; loadavgEnd?: number[] };
  systems: Partial<Record<SystemName, SystemResults>>;
}

export function emptySystemResults(title: string): SystemResults {
  return {
    title,
    bulkEnqueue: [],
    singleEnqueue: [],
    drain: {},
    drainHandlers: {},
    latencyLabel: '',
    latencyP50: [],
    latencyP99: [],
    recovery: {},
    recoveryComputed: {},
    rssMb: [],
    errors: [],
  };
}

export function push(record: Record<string, number[]>, key: string, value: number): void {
  (record[key] ??= []).push(value);
}
