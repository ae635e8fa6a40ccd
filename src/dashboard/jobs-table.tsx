/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Job } from '../core/types.js';
import { ProgressBar } from './charts.js';
import { ago, shortId } from './format.js';

/** A job's state as a badge, with the self-healed badge beside it. */
export function JobState(props: { job: Job }) {
  const { job } = props;
  return (
    <span class="states">
      <span class={`badge state-${job.status}`}>{job.status}</span>
      {job.selfHealed && (
        <span class="badge healed" title="completed after a heal">
          self-healed
        </span>
      )}
      {job.lastError?.escalation && (
        <span class="badge escalated" title={job.lastError.escalation}>
          escalated
        </span>
      )}
    </span>
  );
}

/** Jobs with their state, stage and progress, attempts and whether they were healed. */
export function JobsTable(props: { jobs: readonly Job[]; now: number; base: string }) {
  if (props.jobs.length === 0) return <p class="empty">No jobs yet.</p>;
  return (
    <div class="table-wrap">
      <table class="jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">State</th>
            <th scope="col">Stage and progress</th>
            <th scope="col">Attempts</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((job) => (
            <tr data-job-id={job.id} data-status={job.status}>
              <td>
                <a
                  href={`${props.base}/jobs/${encodeURIComponent(job.id)}`}
                  aria-label={`job ${job.id}`}
                >
                  {shortId(job.id)}
                </a>{' '}
                <span class="muted">{job.type}</span>
              </td>
              <td>
                <JobState job={job} />
              </td>
              <td>
                <ProgressBar stage={job.stage} progress={job.progress} />
                {job.status !== 'completed' && job.lastError && (
                  <div class="last-error" title={job.lastError.message}>
                    {job.lastError.message}
                  </div>
                )}
              </td>
              <td class="num">
                {job.attempts}/{job.maxAttempts}
              </td>
              <td>
                <time datetime={new Date(job.updatedAt).toISOString()}>
                  {ago(job.updatedAt, props.now)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
