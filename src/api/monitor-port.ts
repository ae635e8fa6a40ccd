import type { Clock } from '../core/clock.js';
import type { Json } from '../core/types.js';
import { readMonitorHealth } from '../monitor/monitor-health.js';
import type { Store } from '../store/store.js';
import type { Finding, MonitorPort } from './ports.js';

/** How bad each kind of finding is for the people watching. */
const SEVERITY: Record<string, Finding['severity']> = {
  stuck: 'critical',
  lease_lost: 'critical',
  failed: 'warning',
  error_spike: 'warning',
  slow: 'warning',
  predicted_late: 'info',
};

/**
 * The monitor as the API reads it, straight from the store: any process sharing the database (a
 * server with no worker, a dashboard) sees the leader, its last scan and the findings every
 * monitor stored. Degraded when no monitor leads or the last scan is older than `staleAfterMs`.
 */
export function monitorPortOf(store: Store, clock: Clock, staleAfterMs = 60_000): MonitorPort {
  return {
    async health() {
      const now = clock.now();
      const health = await readMonitorHealth(store, now);
      const fresh = health.lastScan !== null && now - health.lastScan.at <= staleAfterMs;
      return {
        status: health.leader?.alive && fresh ? 'ok' : 'degraded',
        checkedAt: now,
        details: JSON.parse(JSON.stringify(health)) as Record<string, Json>,
      };
    },
    async findings(options = {}) {
      const stored = await store.monitoring.listFindings({ limit: options.limit ?? 50 });
      return stored.map((finding) => ({
        kind: finding.kind,
        jobId: finding.jobId,
        severity: SEVERITY[finding.kind] ?? 'warning',
        message: finding.summary,
        detectedAt: finding.detectedAt,
        data: {
          status: finding.status,
          jobType: finding.jobType,
          patternId: finding.patternId,
          outcome: finding.outcome,
          handledAt: finding.handledAt,
          evidence: finding.evidence,
        },
      }));
    },
  };
}
