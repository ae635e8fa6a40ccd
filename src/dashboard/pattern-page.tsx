/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ApiReader, Read } from './api-reader.js';
import type { ApiImprovement, ApiPatternDetail } from './dashboard-data.js';
import { ago, categoryName, compactJson, percent, shortId, successRate } from './format.js';
import type { RegionSpec } from './layout.js';
import { Unavailable } from './unavailable.js';

/** The regions of a pattern's page: what it is, its remedies, its occurrences and the jobs it healed. */
export function patternRegions(
  detail: Read<ApiPatternDetail>,
  reader: ApiReader,
  base: string,
  now: number,
): RegionSpec[] {
  if (!detail.ok)
    return [
      {
        name: 'pattern',
        heading: 'Pattern',
        wide: true,
        render: async () => <Unavailable what="This pattern" read={detail} />,
      },
    ];
  const { pattern, occurrences } = detail.data;
  const rate = successRate(pattern.successCount, pattern.failureCount);
  return [
    {
      name: 'pattern',
      heading: 'What it is',
      wide: true,
      render: async () => (
        <dl class="facts">
          <dt>Template</dt>
          <dd>
            <code class="template">{pattern.template}</code>
          </dd>
          <dt>Category</dt>
          <dd>
            <span class="badge category">{categoryName(pattern.category)}</span>{' '}
            {pattern.transient ? 'transient' : 'persistent'} · from {pattern.source}
          </dd>
          <dt>Root cause</dt>
          <dd data-field="rootCause">{pattern.rootCause ?? '—'}</dd>
          <dt>Solution</dt>
          <dd data-field="remedies">
            {pattern.remedies.length > 0 ? pattern.remedies.join(', ') : '—'}
          </dd>
          <dt>Prevention</dt>
          <dd data-field="prevention">{pattern.prevention ?? '—'}</dd>
          <dt>Occurrences</dt>
          <dd>{pattern.occurrenceCount}</dd>
          <dt>Success rate</dt>
          <dd class="success-rate">
            {rate === null
              ? 'no heals yet'
              : `${percent(rate)} (${pattern.successCount} healed, ${pattern.failureCount} not)`}
          </dd>
          <dt>Confidence</dt>
          <dd>{percent(pattern.confidence)}</dd>
          <dt>First seen · last seen · last used</dt>
          <dd>
            {ago(pattern.firstSeen, now)} · {ago(pattern.lastSeen, now)} ·{' '}
            {ago(pattern.lastUsed, now)}
          </dd>
          {pattern.example && (
            <>
              <dt>Example</dt>
              <dd>
                <code>{pattern.example}</code>
              </dd>
            </>
          )}
          {Object.keys(pattern.facts).length > 0 && (
            <>
              <dt>Facts</dt>
              <dd>
                <code>{compactJson(pattern.facts, 400)}</code>
              </dd>
            </>
          )}
        </dl>
      ),
    },
    {
      name: 'remedies',
      heading: 'Remedies and how they did',
      render: async () => {
        const statistics = detail.data.remedyStatistics;
        if (!statistics)
          return (
            <p class="unavailable">
              Per-remedy statistics: not available yet (the healer records them).
            </p>
          );
        if (statistics.length === 0)
          return <p class="empty">No remedy has been tried on this pattern yet.</p>;
        return (
          <table>
            <thead>
              <tr>
                <th scope="col">Remedy</th>
                <th scope="col" class="num">
                  Worked
                </th>
                <th scope="col" class="num">
                  Failed
                </th>
                <th scope="col" class="num">
                  Pending
                </th>
                <th scope="col" class="num">
                  Success rate
                </th>
              </tr>
            </thead>
            <tbody>
              {statistics.map((s) => (
                <tr>
                  <td>
                    <code>{s.action}</code>
                  </td>
                  <td class="num">{s.successes}</td>
                  <td class="num">{s.failures}</td>
                  <td class="num">{s.pending ?? '—'}</td>
                  <td class="num">{percent(successRate(s.successes, s.failures))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      },
    },
    {
      name: 'occurrences',
      heading: 'Recent occurrences',
      render: async () =>
        occurrences.length === 0 ? (
          <p class="empty">None recorded.</p>
        ) : (
          <ul class="occurrences">
            {occurrences.map((o) => (
              <li>
                <time datetime={new Date(o.at).toISOString()}>{ago(o.at, now)}</time>{' '}
                {o.jobId && (
                  <a href={`${base}/jobs/${encodeURIComponent(o.jobId)}`}>{shortId(o.jobId)}</a>
                )}
                {o.attempt !== null && <span class="muted"> attempt {o.attempt}</span>}{' '}
                <code>{o.message}</code>
              </li>
            ))}
          </ul>
        ),
    },
    {
      name: 'healed',
      heading: 'Jobs it healed',
      render: async () => {
        const read = await reader.get<{ improvements: ApiImprovement[] }>(
          `/api/improvements?patternId=${encodeURIComponent(pattern.id)}&limit=50`,
        );
        if (!read.ok) return <Unavailable what="Jobs it healed" read={read} />;
        if (read.data.improvements.length === 0)
          return <p class="empty">No heals with this pattern yet.</p>;
        return (
          <ul class="healed-jobs">
            {read.data.improvements.map((i) => (
              <li>
                {i.jobId ? (
                  <a href={`${base}/jobs/${encodeURIComponent(i.jobId)}`}>{shortId(i.jobId)}</a>
                ) : (
                  '—'
                )}{' '}
                <code>{i.action}</code>{' '}
                <span class={`badge validation-${i.validationStatus}`}>{i.validationStatus}</span>{' '}
                <span class="muted">{ago(i.createdAt, now)}</span>
              </li>
            ))}
          </ul>
        );
      },
    },
  ];
}

/** The admin's form to correct a pattern's root cause, solution and prevention (sent by the browser script). */
export function PatternEditForm(props: { detail: ApiPatternDetail }) {
  const { pattern } = props.detail;
  return (
    <section class="panel wide" id="edit" aria-labelledby="edit-heading">
      <details>
        <summary id="edit-heading">Edit root cause, solution and prevention (admin key)</summary>
        <form id="edit-pattern" data-pattern-id={pattern.id}>
          <label for="edit-root-cause">Root cause</label>
          <textarea id="edit-root-cause" name="rootCause" rows={3}>
            {pattern.rootCause ?? ''}
          </textarea>
          <label for="edit-remedies">
            Solution: remedy actions, best first, separated by commas
          </label>
          <input
            id="edit-remedies"
            name="remedies"
            type="text"
            value={pattern.remedies.join(', ')}
          />
          <label for="edit-prevention">Prevention</label>
          <textarea id="edit-prevention" name="prevention" rows={3}>
            {pattern.prevention ?? ''}
          </textarea>
          <button type="submit">Save changes</button>
          <output id="edit-result" aria-live="polite" />
        </form>
      </details>
    </section>
  );
}
