/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ApiReader } from './api-reader.js';
import { BarChart, StatsChart } from './charts.js';
import type { ApiImprovement, ApiJobList, ApiPattern, ApiStats } from './dashboard-data.js';
import { categoryName, percent, plural, successRate } from './format.js';
import { ImprovementsTable } from './improvements-table.js';
import { JobsTable } from './jobs-table.js';
import { MonitorPanel } from './monitor-panel.js';
import { NodesList } from './nodes-list.js';
import type { RegionSpec } from './layout.js';
import { PatternsTable } from './patterns-table.js';
import { statsHistory } from './stats-history.js';
import { Unavailable } from './unavailable.js';

/** The regions of `/self-healing`: statistics, scan, nodes and monitor, categories, heals, patterns, jobs. */
export function overviewRegions(reader: ApiReader, base: string, now: number): RegionSpec[] {
  return [
    { name: 'stats', heading: 'Statistics', wide: true, render: () => statsRegion(reader, now) },
    { name: 'scan', heading: 'Healing scan', live: false, render: async () => <ScanControls /> },
    {
      name: 'monitor',
      heading: 'Nodes and monitor health',
      render: () => monitorRegion(reader, now),
    },
    { name: 'categories', heading: 'Pattern categories', render: () => categoriesRegion(reader) },
    {
      name: 'heals',
      heading: 'Recent healing actions',
      wide: true,
      render: () => healsRegion(reader, base, now),
    },
    {
      name: 'patterns',
      heading: 'Learned patterns',
      wide: true,
      render: async () => {
        const read = await reader.get<{ patterns: ApiPattern[] }>('/api/patterns?limit=10');
        if (!read.ok) return <Unavailable what="Patterns" read={read} />;
        return (
          <>
            <PatternsTable patterns={read.data.patterns} now={now} base={base} />
            <p>
              <a href={`${base}/patterns`}>All patterns, by category →</a>
            </p>
          </>
        );
      },
    },
    {
      name: 'jobs',
      heading: 'Jobs',
      wide: true,
      render: async () => {
        const read = await reader.get<ApiJobList>('/api/jobs?limit=12');
        if (!read.ok) return <Unavailable what="Jobs" read={read} />;
        return (
          <>
            <JobsTable jobs={read.data.jobs} now={now} base={base} />
            <p>
              <a href={`${base}/jobs`}>All {read.data.total} jobs →</a>
            </p>
          </>
        );
      },
    },
  ];
}

/** The "Trigger healing scan" button; the browser script calls the self-healer and fills in its result. */
function ScanControls() {
  return (
    <>
      <p class="muted">
        Scans every failed or stuck job and heals what it can, as the self-healer does on its own.
      </p>
      <button type="button" id="scan-button" data-function="mega-mind-self-healer">
        Trigger healing scan
      </button>
      <output id="scan-result" aria-live="polite" />
    </>
  );
}

async function statsRegion(reader: ApiReader, now: number) {
  const [stats, patterns, improvements] = await Promise.all([
    reader.get<ApiStats>('/api/stats'),
    reader.get<{ patterns: ApiPattern[] }>('/api/patterns?limit=500'),
    reader.get<{ improvements: ApiImprovement[] }>('/api/improvements?limit=500'),
  ]);
  const history = statsHistory(
    patterns.ok ? patterns.data.patterns : [],
    improvements.ok ? improvements.data.improvements : [],
  );
  return (
    <>
      {stats.ok ? (
        <dl class="cards">
          <Card
            label="Patterns learned"
            value={String(stats.data.patternsLearned)}
            name="patterns-learned"
          />
          <Card
            label="Successful heals"
            value={String(stats.data.successfulHeals)}
            name="successful-heals"
          />
          <Card
            label="Average confidence"
            value={percent(stats.data.averageConfidence)}
            name="average-confidence"
          />
          <Card label="Success rate" value={percent(stats.data.successRate)} name="success-rate" />
          {stats.data.selfHealedJobs !== undefined && (
            <Card
              label="Self-healed jobs"
              value={String(stats.data.selfHealedJobs)}
              name="self-healed-jobs"
            />
          )}
        </dl>
      ) : (
        <Unavailable what="Statistics" read={stats} />
      )}
      <StatsChart points={history} now={now} />
      {!improvements.ok && <Unavailable what="Healing history" read={improvements} />}
    </>
  );
}

function Card(props: { label: string; value: string; name: string }) {
  return (
    <div class="card" data-stat={props.name}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

async function monitorRegion(reader: ApiReader, now: number) {
  const [health, running] = await Promise.all([
    reader.get<unknown>('/api/monitor/health'),
    reader.get<ApiJobList>('/api/jobs?status=running&limit=500'),
  ]);
  return (
    <>
      {health.ok ? (
        <MonitorPanel health={health.data} now={now} />
      ) : (
        <Unavailable what="Monitor health" read={health} />
      )}
      {running.ok ? (
        <NodesList running={running.data.jobs} />
      ) : (
        <Unavailable what="Nodes" read={running} />
      )}
    </>
  );
}

async function categoriesRegion(reader: ApiReader) {
  const stats = await reader.get<ApiStats>('/api/stats');
  if (stats.ok && stats.data.byCategory) {
    const bars = [...stats.data.byCategory]
      .sort((a, b) => b.occurrences - a.occurrences)
      .map((c) => {
        const rate = successRate(c.successes, c.failures);
        return {
          label: categoryName(c.category),
          value: c.occurrences,
          detail: `${plural(c.patterns, 'pattern')}${rate === null ? '' : `, ${percent(rate)} healed`}`,
        };
      });
    return <BarChart bars={bars} label="Occurrences by pattern category" />;
  }
  const patterns = await reader.get<{ patterns: ApiPattern[] }>('/api/patterns?limit=500');
  if (!patterns.ok) return <Unavailable what="Pattern categories" read={patterns} />;
  const byCategory = new Map<string, { occurrences: number; patterns: number }>();
  for (const p of patterns.data.patterns) {
    const entry = byCategory.get(p.category) ?? { occurrences: 0, patterns: 0 };
    entry.occurrences += p.occurrenceCount;
    entry.patterns += 1;
    byCategory.set(p.category, entry);
  }
  const bars = [...byCategory]
    .sort((a, b) => b[1].occurrences - a[1].occurrences)
    .map(([category, c]) => ({
      label: categoryName(category),
      value: c.occurrences,
      detail: plural(c.patterns, 'pattern'),
    }));
  return <BarChart bars={bars} label="Occurrences by pattern category" />;
}

async function healsRegion(reader: ApiReader, base: string, now: number) {
  const read = await reader.get<{ improvements: ApiImprovement[] }>('/api/improvements?limit=15');
  if (!read.ok) return <Unavailable what="Healing actions" read={read} />;
  return <ImprovementsTable improvements={read.data.improvements} now={now} base={base} />;
}
