/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { JOB_STATUSES } from '../core/types.js';
import type { ApiReader } from './api-reader.js';
import type { ApiJobList } from './dashboard-data.js';
import { JobsTable } from './jobs-table.js';
import type { RegionSpec } from './layout.js';
import { Unavailable } from './unavailable.js';

/** The regions of `/self-healing/jobs`: the latest jobs, filtered by state. */
export function jobsRegions(
  reader: ApiReader,
  base: string,
  now: number,
  status: string | undefined,
): RegionSpec[] {
  return [
    {
      name: 'job-list',
      heading: status ? `Jobs: ${status}` : 'Latest jobs',
      wide: true,
      render: async () => {
        const query = new URLSearchParams({ limit: '100' });
        if (status) query.set('status', status);
        const read = await reader.get<ApiJobList>(`/api/jobs?${query}`);
        if (!read.ok) return <Unavailable what="Jobs" read={read} />;
        return (
          <>
            <form class="filter" method="get" action={`${base}/jobs`}>
              <label for="status-filter">State</label>
              <select id="status-filter" name="status" data-autosubmit>
                <option value="">All states</option>
                {JOB_STATUSES.map((s) => (
                  <option value={s} selected={s === status}>
                    {s}
                  </option>
                ))}
              </select>
              <button type="submit">Filter</button>
            </form>
            <p class="muted">
              Showing {read.data.jobs.length} of {read.data.total}.
            </p>
            <JobsTable jobs={read.data.jobs} now={now} base={base} />
          </>
        );
      },
    },
  ];
}
