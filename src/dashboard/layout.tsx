/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';

/** A part of a page that the browser refreshes on its own when live events arrive. */
export interface Region {
  /** Also the element id and the `?region=` the browser asks for. */
  name: string;
  heading: string;
  /** Wide regions span both columns on a laptop. */
  wide?: boolean;
  /** False for a panel the browser must never swap (a form, a button and its result). @default true */
  live?: boolean;
  body: Child;
}

/** A region before its data is read: pages list these, and a refresh renders only the one asked for. */
export interface RegionSpec {
  name: string;
  heading: string;
  wide?: boolean;
  live?: boolean;
  render(): Promise<Child>;
}

/** Reads and renders a region. */
export async function renderRegion(spec: RegionSpec): Promise<Region> {
  return {
    name: spec.name,
    heading: spec.heading,
    wide: spec.wide,
    live: spec.live,
    body: await spec.render(),
  };
}

/** One region as a section; the browser swaps the whole element when it refreshes it. */
export function RegionSection(props: { region: Region }) {
  const { region } = props;
  return (
    <section
      class={`panel${region.wide ? ' wide' : ''}`}
      id={region.name}
      data-region={region.live === false ? undefined : region.name}
      aria-labelledby={`${region.name}-heading`}
    >
      <h2 id={`${region.name}-heading`}>{region.heading}</h2>
      {region.body}
    </section>
  );
}

/** The page around the regions: navigation, the live indicator and the key controls. */
export function Layout(props: { title: string; base: string; current: string; children: Child }) {
  const { base } = props;
  const nav = [
    { href: base, label: 'Overview' },
    { href: `${base}/patterns`, label: 'Patterns' },
    { href: `${base}/jobs`, label: 'Jobs' },
  ];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Mega Mind`}</title>
        <link rel="stylesheet" href={`${base}/assets/dashboard.css`} />
        <script src={`${base}/assets/dashboard.js`} defer />
      </head>
      <body data-base={base}>
        <header class="top">
          <a class="brand" href={base}>
            Mega Mind <span class="muted">self-healing</span>
          </a>
          <nav aria-label="Dashboard">
            {nav.map((item) => (
              <a href={item.href} aria-current={item.href === props.current ? 'page' : undefined}>
                {item.label}
              </a>
            ))}
          </nav>
          <span id="live" class="live" role="status" aria-live="polite">
            connecting…
          </span>
          <button type="button" id="forget-key" class="link" hidden>
            Forget API key
          </button>
        </header>
        <main>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Shown instead of a page when the server has API keys and this browser sent none (or a wrong one). */
export function KeyPrompt() {
  return (
    <section class="panel key-prompt" aria-labelledby="key-heading">
      <h2 id="key-heading">This server needs an API key</h2>
      <p>
        Enter an API key to see the dashboard. A <code>read</code> key shows everything; triggering
        scans needs an <code>operate</code> key and editing patterns an <code>admin</code> key. The
        key stays in this browser.
      </p>
      <form id="key-form">
        <label for="api-key">API key</label>
        <input id="api-key" name="key" type="password" autocomplete="off" required minlength={1} />
        <button type="submit">Use this key</button>
      </form>
    </section>
  );
}
