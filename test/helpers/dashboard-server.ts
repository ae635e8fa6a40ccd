import { createMegaMind, type EngineOptions, type MegaMind } from '../../src/app/mega-mind.js';
import { prepareDemo, type Demo, type DemoOptions } from '../../src/examples/demo.js';
import { createApp } from '../../src/api/app.js';
import { enginePartsOf } from '../../src/api/engine-parts.js';
import { serveApp } from '../../src/api/serve-app.js';

/** A running server: the demo's engine and the API, which serves the dashboard, on a loopback port. */
export interface DashboardServer {
  url: string;
  mm: MegaMind;
  demo: Demo;
  close(): Promise<void>;
}

/**
 * Starts what `megamind start` starts, in this process: an engine on `database` running the demo
 * pipeline and its monitor, and the API with the dashboard, served over HTTP on 127.0.0.1. With
 * `runDemo: false` no job is enqueued until the test calls `demo.run()`.
 */
export async function startDashboardServer(
  database: string,
  demo: DemoOptions,
  engine: EngineOptions = {},
  keys?: Record<string, 'read' | 'operate' | 'admin'>,
  { runDemo = true }: { runDemo?: boolean } = {},
): Promise<DashboardServer> {
  const mm = createMegaMind({ database, pollIntervalMs: 50, shutdownGraceMs: 1000, ...engine });
  const prepared = await prepareDemo(mm, demo);
  const app = createApp({
    engine: mm,
    ...enginePartsOf(mm),
    keys: Object.entries(keys ?? {}).map(([key, role]) => ({ key, role })),
    onError: (error) => console.error(error),
  });
  await mm.start();
  const server = await serveApp(app, {
    port: 0,
    host: '127.0.0.1',
    authenticated: keys !== undefined,
  });
  if (runDemo) await prepared.run();
  return {
    url: server.url,
    mm,
    demo: prepared,
    async close() {
      await prepared.stop();
      await server.close();
      await mm.stop();
    },
  };
}
