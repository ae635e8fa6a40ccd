/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ApiReader } from './api-reader.js';
import type { ApiPattern, ApiStats } from './dashboard-data.js';
import { categoryName } from './format.js';
import type { RegionSpec } from './layout.js';
import { PatternsTable } from './patterns-table.js';
import { Unavailable } from './unavailable.js';

/** The regions of `/self-healing/patterns`: every learned pattern, filtered by category. */
export function patternsRegions(
  reader: ApiReader,
  base: string,
  now: number,
  category: string | undefined,
): RegionSpec[] {
  return [
    {
      name: 'pattern-list',
      heading: category ? `Patterns in ${categoryName(category)}` : 'All learned patterns',
      wide: true,
      render: async () => {
        const query = new URLSearchParams({ limit: '200', orderBy: 'last_seen' });
        if (category) query.set('category', category);
        const [read, all] = await Promise.all([
          reader.get<{ patterns: ApiPattern[] }>(`/api/patterns?${query}`),
          reader.get<ApiStats>('/api/stats'),
        ]);
        if (!read.ok) return <Unavailable what="Patterns" read={read} />;
        // Categories for the filter: from the statistics when the API has them, else from this list.
        const categories =
          all.ok && all.data.byCategory
            ? all.data.byCategory.map((c) => c.category)
            : [...new Set(read.data.patterns.map((p) => p.category))];
        if (category && !categories.includes(category)) categories.push(category);
        return (
          <>
            <form class="filter" method="get" action={`${base}/patterns`}>
              <label for="category-filter">Category</label>
              <select id="category-filter" name="category" data-autosubmit>
                <option value="">All categories</option>
                {categories.sort().map((c) => (
                  <option value={c} selected={c === category}>
                    {categoryName(c)}
                  </option>
                ))}
              </select>
              <button type="submit">Filter</button>
            </form>
            <PatternsTable
              patterns={read.data.patterns}
              now={now}
              base={base}
              filtered={category !== undefined}
            />
          </>
        );
      },
    },
  ];
}
