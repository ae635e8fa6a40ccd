/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Read } from './api-reader.js';
import { ProgressBar } from './charts.js';
import type { ApiJobDetail } from './dashboard-data.js';
import { ago, compactJson, shortId } from './format.js';
import { ImprovementsTable } from './improvements-table.js';
import { JobState } from './jobs-table.js';
import type { RegionSpec } from './layout.js';
import { Unavailable } from './unavailable.js';

/** The regions of a job's page: its state, attempts and errors, checkpoint, and heals. */
export function jobRegions(detail: Read<ApiJobDetail>, base: string, now: number): RegionSpec[] {
  // Every region of one request renders from the same read of the job.
  const region = (
    name: string,
    heading: string,
    body: (detail: ApiJobDetail) => Child,
    wide = false,
  ): RegionSpec => ({
    name,
    heading,
    wide,
    render: async () =>
      detail.ok ? body(detail.data) : <Unavailable what="This job" read={detail} />,
  });
  return [
    region(
      'job',
      'State',
      ({ job }) => (
        <dl class="facts">
          <dt>Type</dt>
          <dd>{job.type}</dd>
          <dt>State</dt>
          <dd>
            <JobState job={job} />
          </dd>
          <dt>Stage</dt>
          <dd>
            <ProgressBar stage={job.stage} progress={job.progress} />
          </dd>
          <dt>Attempts</dt>
          <dd>
            {job.attempts} of {job.maxAttempts}
          </dd>
          <dt>Knobs set</dt>
          <dd>
            {Object.keys(job.knobs).length === 0 ? (
              <span class="muted">none: the job type's defaults</span>
            ) : (
              <code>{compactJson(job.knobs, 400)}</code>
            )}
          </dd>
          <dt>Payload</dt>
          <dd>
            <code>{compactJson(job.payload, 400)}</code>
          </dd>
          {job.result !== null && (
            <>
              <dt>Result</dt>
              <dd>
                <code>{compactJson(job.result, 400)}</code>
              </dd>
            </>
          )}
          {job.healingPatternId && (
            <>
              <dt>Healed with pattern</dt>
              <dd>
                <a href={`${base}/patterns/${encodeURIComponent(job.healingPatternId)}`}>
                  {shortId(job.healingPatternId)}
                </a>{' '}
                {ago(job.healingTimestamp, now)}
              </dd>
            </>
          )}
          <dt>Created · started · finished</dt>
          <dd>
            {ago(job.createdAt, now)} · {ago(job.startedAt, now)} · {ago(job.finishedAt, now)}
          </dd>
        </dl>
      ),
      true,
    ),
    region(
      'attempts',
      'Attempts and errors',
      ({ attempts }) =>
        attempts.length === 0 ? (
          <p class="empty">No failed attempts.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Attempt
                  </th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Error</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr>
                    <td class="num">{a.attempt}</td>
                    <td>
                      <span class={`badge outcome-${a.outcome}`}>{a.outcome}</span>
                    </td>
                    <td>{a.error?.stage ?? '—'}</td>
                    <td>
                      <code>{a.error?.message ?? ''}</code>
                    </td>
                    <td>{ago(a.at, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ),
      true,
    ),
    region('checkpoint', 'Checkpoint', ({ job }) =>
      job.checkpoint === null ? (
        <p class="empty">No checkpoint saved.</p>
      ) : (
        <pre>{JSON.stringify(job.checkpoint, null, 2)}</pre>
      ),
    ),
    region(
      'job-heals',
      'Heals',
      ({ heals }) => <ImprovementsTable improvements={heals} now={now} base={base} />,
      true,
    ),
  ];
}
