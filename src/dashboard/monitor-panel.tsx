/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Json } from '../core/types.js';
import { ago, compactJson } from './format.js';

type Fields = Record<string, Json | undefined>;

const asObject = (value: unknown): Fields | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Fields)
    : undefined;
const asNumber = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** A count of findings, or counts by status ("2 handled, 1 open"). */
function findingCount(value: unknown): string {
  if (typeof value === 'number') return String(value);
  const byStatus = asObject(value);
  if (!byStatus) return compactJson(value, 60);
  return Object.entries(byStatus)
    .map(([status, count]) => `${String(count)} ${status}`)
    .join(', ');
}

/**
 * Monitor health as the API answers it: its contract's `{ status, checkedAt, details }`, or the
 * monitor's own report (`leader`, `lastScan`, `findings`). Either way the panel names the leader,
 * the last scan and its duration, and the findings by kind; anything else is listed as it came.
 */
export function MonitorPanel(props: { health: unknown; now: number }) {
  const health = asObject(props.health) ?? {};
  const details = asObject(health.details) ?? {};
  const lastScan = asObject(health.lastScan) ?? asObject(details.lastScan);
  const leader = asObject(health.leader) ?? asObject(details.leader);
  const leaderName =
    typeof leader?.owner === 'string'
      ? leader.owner
      : typeof details.leader === 'string'
        ? details.leader
        : undefined;
  const leaderAlive = leader?.alive !== false;
  const status =
    typeof health.status === 'string'
      ? health.status
      : leaderName === undefined
        ? 'no leader'
        : leaderAlive
          ? 'ok'
          : 'degraded';
  const scannedAt =
    asNumber(lastScan?.at) ?? asNumber(details.lastScanAt) ?? asNumber(health.checkedAt);
  const duration = asNumber(lastScan?.durationMs) ?? asNumber(details.scanDurationMs);
  const findings = asObject(health.findings) ?? asObject(details.findings);
  const shown = new Set([
    'status',
    'checkedAt',
    'details',
    'lastScan',
    'leader',
    'findings',
    'lastScanAt',
    'scanDurationMs',
  ]);
  const rest = [...Object.entries(health), ...Object.entries(details)].filter(
    ([key, value]) => !shown.has(key) && value !== undefined,
  );
  return (
    <dl class="facts">
      <dt>Status</dt>
      <dd>
        <span
          class={`badge health-${status === 'ok' ? 'ok' : status === 'failing' ? 'failing' : 'degraded'}`}
        >
          {status}
        </span>
      </dd>
      <dt>Leader</dt>
      <dd>
        {leaderName ?? '—'}
        {leaderName !== undefined && !leaderAlive && <span class="muted"> (lease ran out)</span>}
      </dd>
      <dt>Last scan</dt>
      <dd>
        {ago(scannedAt, props.now)}
        {duration !== undefined && <span class="muted"> · took {Math.round(duration)} ms</span>}
      </dd>
      {findings && (
        <>
          <dt>Findings</dt>
          <dd>
            {Object.keys(findings).length === 0
              ? 'none'
              : Object.entries(findings)
                  .map(([kind, count]) => `${kind}: ${findingCount(count)}`)
                  .join(' · ')}
          </dd>
        </>
      )}
      {rest.map(([key, value]) => (
        <>
          <dt>{key}</dt>
          <dd>{compactJson(value, 120)}</dd>
        </>
      ))}
    </dl>
  );
}
