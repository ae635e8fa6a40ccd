/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
// These pragmas (in every .tsx here) make tsx compile the JSX for hono/jsx even where it finds no
// tsconfig, as when `npx megamind start` runs from another folder.
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { systemClock, type Clock } from '../core/clock.js';
import { ApiReader, keyFromCookie, type ApiFetch } from './api-reader.js';
import { CLIENT_SCRIPT } from './client-script.js';
import type { ApiJobDetail, ApiPatternDetail } from './dashboard-data.js';
import { DASHBOARD_STYLES } from './dashboard-styles.js';
import { shortId } from './format.js';
import { jobRegions } from './job-page.js';
import { jobsRegions } from './jobs-page.js';
import { KeyPrompt, Layout, RegionSection, renderRegion, type RegionSpec } from './layout.js';
import { overviewRegions } from './overview-page.js';
import { PatternEditForm, patternRegions } from './pattern-page.js';
import { patternsRegions } from './patterns-page.js';

/** Where the dashboard lives. */
export const DASHBOARD_PATH = '/self-healing';

/** What {@link dashboardRoutes} needs. */
export interface DashboardDeps {
  /**
   * Calls the API in-process, e.g. `(path, init) => api.request(path, init)`. The dashboard reads
   * only through it, presenting the browser's API key, so the API's authentication, redaction and
   * "501 not available yet" answers hold for the pages too.
   */
  api: ApiFetch;
  /** Source of time for "12 s ago". @default the wall clock */
  clock?: Clock;
}

// Everything the pages load comes from this server: a CSP makes that a rule, not a habit.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface PageParts {
  title: string;
  regions: RegionSpec[];
  /** A panel after the regions that the browser never swaps (the edit form). */
  after?: Child;
  status?: 200 | 404;
}

/**
 * The `/self-healing` dashboard as a Hono app: server-rendered pages (overview, patterns, a
 * pattern, jobs, a job) with their script and stylesheet. Mount it in the API's app with
 * `app.route('/', dashboardRoutes({ api: (path, init) => app.request(path, init) }))`.
 * `?region=<name>` on a page answers only that region's HTML, which the browser script uses to
 * refresh what live events changed.
 */
export function dashboardRoutes(deps: DashboardDeps): Hono {
  const clock = deps.clock ?? systemClock;
  const base = DASHBOARD_PATH;
  const app = new Hono();
  const readerFor = (c: Context) => new ApiReader(deps.api, keyFromCookie(c.req.header('cookie')));

  app.get(`${base}/assets/dashboard.js`, (c) =>
    c.body(CLIENT_SCRIPT, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  );
  app.get(`${base}/assets/dashboard.css`, (c) =>
    c.body(DASHBOARD_STYLES, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  );
  app.get(`${base}/`, (c) => c.redirect(base));

  app.get(base, (c) => {
    const reader = readerFor(c);
    return respond(c, reader, base, base, {
      title: 'Self-healing',
      regions: overviewRegions(reader, base, clock.now()),
    });
  });

  app.get(`${base}/patterns`, (c) => {
    const reader = readerFor(c);
    const category = c.req.query('category') || undefined;
    return respond(c, reader, base, `${base}/patterns`, {
      title: 'Learned patterns',
      regions: patternsRegions(reader, base, clock.now(), category),
    });
  });

  app.get(`${base}/patterns/:id`, async (c) => {
    const reader = readerFor(c);
    const id = c.req.param('id');
    const detail = await reader.get<ApiPatternDetail>(`/api/patterns/${encodeURIComponent(id)}`);
    const title = detail.ok
      ? `Pattern ${shortId(detail.data.pattern.id)}: ${detail.data.pattern.category.replace(/_/g, ' ')}`
      : `Pattern ${id}`;
    return respond(c, reader, base, `${base}/patterns`, {
      title,
      regions: patternRegions(detail, reader, base, clock.now()),
      after: detail.ok ? <PatternEditForm detail={detail.data} /> : undefined,
      status: !detail.ok && detail.status === 404 ? 404 : 200,
    });
  });

  app.get(`${base}/jobs`, (c) => {
    const reader = readerFor(c);
    const status = c.req.query('status') || undefined;
    return respond(c, reader, base, `${base}/jobs`, {
      title: 'Jobs',
      regions: jobsRegions(reader, base, clock.now(), status),
    });
  });

  app.get(`${base}/jobs/:id`, async (c) => {
    const reader = readerFor(c);
    const id = c.req.param('id');
    const detail = await reader.get<ApiJobDetail>(`/api/jobs/${encodeURIComponent(id)}`);
    const title = detail.ok ? `Job ${shortId(id)} · ${detail.data.job.type}` : `Job ${id}`;
    return respond(c, reader, base, `${base}/jobs`, {
      title,
      regions: jobRegions(detail, base, clock.now()),
      status: !detail.ok && detail.status === 404 ? 404 : 200,
    });
  });

  return app;
}

async function respond(
  c: Context,
  reader: ApiReader,
  base: string,
  current: string,
  page: PageParts,
): Promise<Response> {
  c.header('cache-control', 'no-store');
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  const only = c.req.query('region');
  if (only !== undefined) {
    const spec = page.regions.find((region) => region.name === only);
    if (!spec) return c.text(`no region "${only}" on this page`, 404);
    const rendered = await renderRegion(spec);
    if (reader.unauthorized) return c.text('API key required', 401);
    return c.html(await html(<RegionSection region={rendered} />));
  }
  const regions = await Promise.all(page.regions.map(renderRegion));
  if (reader.unauthorized) {
    return c.html(
      `<!DOCTYPE html>${await html(
        <Layout title="API key needed" base={base} current={current}>
          <KeyPrompt />
        </Layout>,
      )}`,
      401,
    );
  }
  const body = (
    <Layout title={page.title} base={base} current={current}>
      <div class="grid">
        {regions.map((region) => (
          <RegionSection region={region} />
        ))}
        {page.after}
      </div>
    </Layout>
  );
  return c.html(`<!DOCTYPE html>${await html(body)}`, page.status ?? 200);
}

async function html(element: Child): Promise<string> {
  return String(await (element as { toString(): string | Promise<string> }).toString());
}
