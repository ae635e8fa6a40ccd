/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { StatsPoint } from './stats-history.js';

const WIDTH = 600;
const HEIGHT = 180;
const PAD = { left: 36, right: 40, top: 12, bottom: 24 };

function path(values: { x: number; y: number }[]): string {
  return values
    .map((v, i) => `${i === 0 ? 'M' : 'L'}${v.x.toFixed(1)},${v.y.toFixed(1)}`)
    .join(' ');
}

/**
 * Patterns learned and successful heals (left axis, counts) and the success rate (right axis,
 * 0–100%) over time, as an inline SVG: no chart library, nothing loaded from elsewhere.
 */
export function StatsChart(props: { points: readonly StatsPoint[]; now: number }) {
  const { points, now } = props;
  if (points.length === 0)
    return (
      <p class="empty">
        No history yet: the chart fills in as patterns are learned and heals are validated.
      </p>
    );
  const start = points[0]!.at;
  const end = Math.max(now, start + 1000);
  const last = points.at(-1)!;
  // Extend each series to now, so a quiet period reads as flat rather than missing.
  const series = [...points, { ...last, at: end }];
  const top = Math.max(1, ...series.map((p) => Math.max(p.patternsLearned, p.successfulHeals)));
  const x = (at: number) =>
    PAD.left + ((at - start) / (end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) =>
    HEIGHT - PAD.bottom - (value / top) * (HEIGHT - PAD.top - PAD.bottom);
  const yRate = (rate: number) => HEIGHT - PAD.bottom - rate * (HEIGHT - PAD.top - PAD.bottom);
  // A step line: a count holds its value until the next event.
  const steps = (value: (p: StatsPoint) => number) =>
    series.flatMap((p, i) =>
      i === 0
        ? [{ x: x(p.at), y: y(value(p)) }]
        : [
            { x: x(p.at), y: y(value(series[i - 1]!)) },
            { x: x(p.at), y: y(value(p)) },
          ],
    );
  const rated = series.filter((p) => p.successRate !== null);
  const summary = `Over time: ${last.patternsLearned} patterns learned, ${last.successfulHeals} successful heals${
    last.successRate === null ? '' : `, success rate ${Math.round(last.successRate * 100)}%`
  }.`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="xMidYMid meet"
      >
        <title>{summary}</title>
        <line
          class="axis"
          x1={PAD.left}
          y1={HEIGHT - PAD.bottom}
          x2={WIDTH - PAD.right}
          y2={HEIGHT - PAD.bottom}
        />
        <text class="tick" x={PAD.left - 6} y={y(top) + 4} text-anchor="end">
          {top}
        </text>
        <text class="tick" x={PAD.left - 6} y={y(0) + 4} text-anchor="end">
          0
        </text>
        {rated.length > 0 && (
          <text class="tick" x={WIDTH - PAD.right + 6} y={yRate(1) + 4}>
            100%
          </text>
        )}
        <text class="tick" x={PAD.left} y={HEIGHT - 6}>
          {new Date(start).toLocaleTimeString('en-GB')}
        </text>
        <text class="tick" x={WIDTH - PAD.right} y={HEIGHT - 6} text-anchor="end">
          now
        </text>
        <path class="line patterns" d={path(steps((p) => p.patternsLearned))} />
        <path class="line heals" d={path(steps((p) => p.successfulHeals))} />
        {rated.length > 0 && (
          <path
            class="line rate"
            d={path(rated.map((p) => ({ x: x(p.at), y: yRate(p.successRate ?? 0) })))}
          />
        )}
      </svg>
      <figcaption class="legend">
        <span class="key patterns">patterns learned</span>{' '}
        <span class="key heals">successful heals</span>{' '}
        {rated.length > 0 && <span class="key rate">success rate (right axis)</span>}
      </figcaption>
    </figure>
  );
}

/** One bar of a {@link BarChart}. */
export interface Bar {
  label: string;
  value: number;
  /** Shown after the value, e.g. a success rate. */
  detail?: string;
}

/** Horizontal bars with their labels and values, readable on a phone. */
export function BarChart(props: { bars: readonly Bar[]; label: string }) {
  if (props.bars.length === 0) return <p class="empty">Nothing yet.</p>;
  const top = Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <ul class="bars" aria-label={props.label}>
      {props.bars.map((bar) => (
        <li>
          <span class="bar-label">{bar.label}</span>
          <span class="bar-track" aria-hidden="true">
            <span
              class="bar-fill"
              style={`width:${Math.max(2, (bar.value / top) * 100).toFixed(1)}%`}
            />
          </span>
          <span class="bar-value">
            {bar.value}
            {bar.detail ? ` · ${bar.detail}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A job's progress as a bar with its stage in words: "Setting up database foundation — 25%". */
export function ProgressBar(props: { stage: string | null; progress: number }) {
  const label = `${props.stage ?? 'Waiting'} — ${Math.round(props.progress)}%`;
  return (
    <div class="progress">
      <div class="progress-label">{label}</div>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(props.progress)}
      >
        <div class="progress-fill" style={`width:${Math.min(100, Math.max(0, props.progress))}%`} />
      </div>
    </div>
  );
}
