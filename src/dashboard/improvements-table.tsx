/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ApiImprovement } from './dashboard-data.js';
import { ago, compactJson, percent, shortId } from './format.js';

/** What a heal was about, in one line: the category, the kind of problem, the error. */
function detectedText(improvement: ApiImprovement): string {
  const { detected } = improvement;
  const parts = [detected.category, detected.errorName, detected.error ?? detected.message].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length > 0 ? parts.join(' · ') : compactJson(detected);
}

/** Recent healing actions (`ai_improvement_logs`): detected, pattern, remedy, outcome, validation. */
export function ImprovementsTable(props: {
  improvements: readonly ApiImprovement[];
  now: number;
  base: string;
}) {
  if (props.improvements.length === 0) return <p class="empty">No healing actions yet.</p>;
  return (
    <div class="table-wrap">
      <table class="improvements">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Job</th>
            <th scope="col">Detected</th>
            <th scope="col">Pattern</th>
            <th scope="col">Remedy applied</th>
            <th scope="col">Validation</th>
            <th scope="col" class="num">
              Confidence
            </th>
          </tr>
        </thead>
        <tbody>
          {props.improvements.map((improvement) => {
            const isNew = improvement.patternNew;
            return (
              <tr data-improvement-id={improvement.id}>
                <td>
                  <time datetime={new Date(improvement.createdAt).toISOString()}>
                    {ago(improvement.createdAt, props.now)}
                  </time>
                </td>
                <td>
                  {improvement.jobId ? (
                    <a href={`${props.base}/jobs/${encodeURIComponent(improvement.jobId)}`}>
                      {shortId(improvement.jobId)}
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="detected">{detectedText(improvement) || '—'}</td>
                <td>
                  {improvement.patternId ? (
                    <a href={`${props.base}/patterns/${encodeURIComponent(improvement.patternId)}`}>
                      {shortId(improvement.patternId)}
                    </a>
                  ) : (
                    '—'
                  )}{' '}
                  {improvement.patternId && (
                    <span class={`badge ${isNew ? 'new' : 'known'}`}>
                      {isNew ? 'new' : 'known'}
                    </span>
                  )}
                </td>
                <td>
                  <code>{improvement.action}</code>{' '}
                  <span class="muted">{compactJson(improvement.changesApplied, 100)}</span>
                </td>
                <td>
                  <span class={`badge validation-${improvement.validationStatus}`}>
                    {improvement.validationStatus}
                  </span>
                  {improvement.outcome && improvement.outcome !== improvement.validationStatus && (
                    <span class="muted"> {improvement.outcome}</span>
                  )}
                  {improvement.validatedAt !== null && (
                    <div class="muted">{ago(improvement.validatedAt, props.now)}</div>
                  )}
                </td>
                <td class="num">{percent(improvement.confidence)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
