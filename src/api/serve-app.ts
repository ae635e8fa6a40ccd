import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { invalidArgument } from '../core/errors.js';
import type { MegaMindApp } from './app.js';

/** Options of {@link serveApp}. */
export interface ServeOptions {
  /** 0 picks a free port. @default 3000 */
  port?: number;
  /** Address to listen on. @default 0.0.0.0 with API keys, 127.0.0.1 without */
  host?: string;
  /** Whether API keys are configured; without them only loopback is allowed. */
  authenticated: boolean;
}

/** A listening API server. */
export interface RunningServer {
  url: string;
  port: number;
  host: string;
  /** One line for people: where it listens and whether it is open to the network. */
  notice: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves the app over HTTP. Without API keys anyone who can connect is an admin, so the server
 * then listens on loopback only and refuses another address.
 */
export async function serveApp(app: MegaMindApp, options: ServeOptions): Promise<RunningServer> {
  const port = options.port ?? 3000;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
    throw invalidArgument(`port must be a whole number from 0 to 65535, got ${port}`);
  const host = options.host ?? (options.authenticated ? '0.0.0.0' : '127.0.0.1');
  if (!options.authenticated && !LOOPBACK.has(host)) {
    throw invalidArgument(
      `refusing to listen on ${host} without an API key: set MEGAMIND_API_KEYS or listen on 127.0.0.1`,
    );
  }
  // Listening means live: a job another process finishes from now on reaches /api/events.
  await app.watching;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shown.includes(':') ? `[${shown}]` : shown}:${bound}`;
  const notice = options.authenticated
    ? `API on ${url} (listening on ${host}:${bound}, API keys required)`
    : `API on ${url} — no API key configured, so it listens on loopback only (set MEGAMIND_API_KEYS to open it)`;
  return {
    url,
    port: bound,
    host,
    notice,
    close: () =>
      new Promise<void>((resolve) => {
        app.dispose();
        // SSE streams stay open until their clients leave: end them too.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
