/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ApiPattern } from './dashboard-data.js';
import { ago, categoryName, percent, successRate } from './format.js';

/** Learned patterns: template, category, occurrences, success rate, confidence, last used. */
export function PatternsTable(props: {
  patterns: readonly ApiPattern[];
  now: number;
  base: string;
  filtered?: boolean;
}) {
  if (props.patterns.length === 0) {
    return (
      <p class="empty">
        {props.filtered
          ? 'No patterns in this category.'
          : 'No patterns learned yet: they appear when jobs fail.'}
      </p>
    );
  }
  return (
    <div class="table-wrap">
      <table class="patterns">
        <thead>
          <tr>
            <th scope="col">Pattern</th>
            <th scope="col">Category</th>
            <th scope="col" class="num">
              Occurrences
            </th>
            <th scope="col" class="num">
              Success rate
            </th>
            <th scope="col" class="num">
              Confidence
            </th>
            <th scope="col">Last used</th>
          </tr>
        </thead>
        <tbody>
          {props.patterns.map((pattern) => {
            const rate = successRate(pattern.successCount, pattern.failureCount);
            return (
              <tr data-pattern-id={pattern.id}>
                <td class="template">
                  <a href={`${props.base}/patterns/${encodeURIComponent(pattern.id)}`}>
                    <code title={pattern.example ?? undefined}>{pattern.template}</code>
                  </a>
                  {pattern.disabled && <span class="badge">disabled</span>}
                </td>
                <td>
                  <span class={`badge category`}>{categoryName(pattern.category)}</span>
                </td>
                <td class="num">{pattern.occurrenceCount}</td>
                <td
                  class="num success-rate"
                  title={`${pattern.successCount} healed, ${pattern.failureCount} not`}
                >
                  {rate === null
                    ? 'no heals yet'
                    : `${percent(rate)} (${pattern.successCount}/${pattern.successCount + pattern.failureCount})`}
                </td>
                <td class="num">{percent(pattern.confidence)}</td>
                <td>{ago(pattern.lastUsed, props.now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
