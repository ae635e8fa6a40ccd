import type { FindingStatus, Leadership, Store } from '../store/store.js';

/** The leadership the monitors of one database share. */
export const MONITOR_LEADERSHIP = 'monitor';
/** Where the leader keeps its last {@link ScanSummary} in the store's state. */
export const LAST_SCAN_KEY = 'monitor:last-scan';

/** One scan, as the leader records it for the API and dashboard. */
export interface ScanSummary {
  at: number;
  durationMs: number;
  /** Running jobs past one of the smallest thresholds, which the detectors looked at. */
  candidates: number;
  /** Findings this scan stored (new keys only), by kind. */
  newFindings: Record<string, number>;
  leader: string;
  epoch: number;
}

/** What any process can read of the monitors of a database, with or without a monitor of its own. */
export interface SharedMonitorHealth {
  /** The leadership as stored; `alive` is false once its lease ran out unrenewed. */
  leader: (Leadership & { alive: boolean }) | null;
  lastScan: ScanSummary | null;
  /** Findings by kind and status. */
  findings: Record<string, Partial<Record<FindingStatus, number>>>;
}

/** Reads the leader, its last scan and the findings by kind and status from the store. */
export async function readMonitorHealth(store: Store, now: number): Promise<SharedMonitorHealth> {
  const [leadership, lastScan, counts] = await Promise.all([
    store.monitoring.getLeadership(MONITOR_LEADERSHIP),
    store.getState(LAST_SCAN_KEY),
    store.monitoring.countFindings(),
  ]);
  const findings: SharedMonitorHealth['findings'] = {};
  for (const { kind, status, count } of counts) (findings[kind] ??= {})[status] = count;
  return {
    leader: leadership ? { ...leadership, alive: leadership.expiresAt >= now } : null,
    lastScan: (lastScan as unknown as ScanSummary | undefined) ?? null,
    findings,
  };
}
