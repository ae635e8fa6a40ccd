import { onTestFinished } from 'vitest';
import { createApp, type AppDeps, type MegaMindApp } from '../../src/api/app.js';
import { serveApp, type RunningServer } from '../../src/api/serve-app.js';
import type { ApiKey } from '../../src/api/auth.js';
import type { EnginePort } from '../../src/api/ports.js';
import type { MegaMind } from '../../src/app/mega-mind.js';
import { NonRetryableError } from '../../src/core/errors.js';
import { createTestEngine } from '../helpers/engines.js';
import type { TestDatabase } from '../helpers/stores.js';

/** Keys of the auth matrix, one per role. */
export const KEYS = {
  read: 'read-key-0123456789abcdef',
  operate: 'operate-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef',
} as const;

export const API_KEYS: ApiKey[] = [
  { key: KEYS.read, role: 'read', name: 'reader' },
  { key: KEYS.operate, role: 'operate', name: 'operator' },
  { key: KEYS.admin, role: 'admin', name: 'admin' },
];

/**
 * An engine on a fresh database with two job types: `ok` completes, `boom` fails for good with a
 * message carrying a planted secret. Not started: tests start it when they need workers.
 */
export async function createApiEngine(
  engine: 'sqlite' | 'postgres',
): Promise<{ mm: MegaMind; db: TestDatabase }> {
  const { mm, db } = await createTestEngine(engine);
  mm.define('ok', { run: async () => ({ done: true }) });
  mm.define('boom', {
    maxAttempts: 1,
    run: async () => {
      throw new NonRetryableError(
        'upstream refused key sk-proj-abcdefghijklmnopqrstuvwxyz0123 for ops@example.com',
      );
    },
  });
  await mm.ready();
  return { mm, db };
}

/** The API over an engine, with the three keys configured unless `keys: []` is passed. */
export function createTestApp(mm: EnginePort, deps: Partial<AppDeps> = {}): MegaMindApp {
  const app = createApp({
    engine: mm,
    keys: API_KEYS,
    onError: (error) => {
      throw error;
    },
    ...deps,
  });
  onTestFinished(() => app.dispose());
  return app;
}

/** Serves the app on a free loopback port until the test ends. */
export async function serveTestApp(app: MegaMindApp, authenticated = true): Promise<RunningServer> {
  const server = await serveApp(app, { port: 0, host: '127.0.0.1', authenticated });
  onTestFinished(() => server.close());
  return server;
}

/** A request to the app with a role's key, a JSON body and JSON back. */
export async function call(
  app: MegaMindApp,
  method: string,
  path: string,
  options: {
    role?: keyof typeof KEYS | null;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers field by field
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...options.headers,
  };
  const role = options.role === undefined ? 'admin' : options.role;
  if (role !== null) headers.authorization = `Bearer ${KEYS[role]}`;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined)
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const response = await app.request(path, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text (metrics)
  }
  return { status: response.status, body, headers: response.headers };
}
