/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Job } from '../core/types.js';
import { plural } from './format.js';

/**
 * The nodes at work: the lease owners of the running jobs (a worker process holds a lease on each
 * job it runs), with how many jobs each runs and at which stages. An idle node holds no lease, so
 * it is not listed: the heading says "running jobs" for that reason.
 */
export function NodesList(props: { running: readonly Job[] }) {
  const byOwner = new Map<string, Job[]>();
  for (const job of props.running) {
    const owner = job.leaseOwner ?? 'unknown';
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), job]);
  }
  return (
    <>
      <h3>Nodes running jobs</h3>
      {byOwner.size === 0 ? (
        <p class="empty">No job is running.</p>
      ) : (
        <ul class="nodes">
          {[...byOwner]
            .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
            .map(([owner, jobs]) => (
              <li data-node={owner}>
                <code>{owner}</code> · {plural(jobs.length, 'job')}
              </li>
            ))}
        </ul>
      )}
    </>
  );
}
