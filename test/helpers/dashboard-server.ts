import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createMegaMind, type EngineOptions, type MegaMind } from '../../src/app/mega-mind.js';
import { dashboardRoutes } from '../../src/dashboard/dashboard-routes.js';
import { prepareDemo, type Demo, type DemoOptions } from '../../src/examples/demo.js';
import { standInApi } from './stand-in-api.js';

/** A running server: the demo's engine, the API and the dashboard on a loopback port. */
export interface DashboardServer {
  url: string;
  mm: MegaMind;
  demo: Demo;
  close(): Promise<void>;
}

/**
 * Starts what `megamind start` starts, in this process: an engine on `database` running the demo
 * pipeline, the API and the dashboard mounted in it, served over HTTP on 127.0.0.1.
 */
export async function startDashboardServer(
  database: string,
  demo: DemoOptions,
  engine: EngineOptions = {},
  keys?: Record<string, 'read' | 'operate' | 'admin'>,
): Promise<DashboardServer> {
  const mm = createMegaMind({ database, pollIntervalMs: 50, shutdownGraceMs: 1000, ...engine });
  const prepared = await prepareDemo(mm, demo);
  const app = standInApi(mm, { keys, monitor: mm.monitor });
  app.route('/', dashboardRoutes({ api: (path, init) => app.request(path, init) }));
  await mm.start();
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  await prepared.run();
  return {
    url: `http://127.0.0.1:${port}`,
    mm,
    demo: prepared,
    async close() {
      await prepared.stop();
      // Event streams stay open until their browser leaves: end them with the server.
      (server as unknown as { closeAllConnections(): void }).closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mm.stop();
    },
  };
}
