import { createServer, connect, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/** A loopback TCP proxy that can withhold traffic, to make PostgreSQL connections half-open. */
export interface TcpProxy {
  readonly port: number;
  /** Rewrites a postgres:// URL to go through the proxy. */
  url(databaseUrl: string): string;
  /** Every open connection silently stops carrying data both ways (a half-open outage); new ones still work. */
  freezeOpen(): void;
  /** New and open connections carry nothing until `heal()`; nothing is closed, nothing errors. */
  blackhole(): void;
  /** New connections work again; frozen ones stay frozen, as after a real outage. */
  heal(): void;
  readonly connections: number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket;
  frozen: boolean;
}

/** Starts a proxy to `target` on a free loopback port; closed when the test ends. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let holding = false;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, server: upstream, frozen: holding };
    pairs.add(pair);
    client.on('data', (chunk) => void (pair.frozen || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (pair.frozen || client.write(chunk)));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const proxy: TcpProxy = {
    port,
    url(databaseUrl) {
      const parsed = new URL(databaseUrl);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    freezeOpen() {
      for (const pair of pairs) pair.frozen = true;
    },
    blackhole() {
      holding = true;
      for (const pair of pairs) pair.frozen = true;
    },
    heal() {
      holding = false;
    },
    get connections() {
      return pairs.size;
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.server.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  onTestFinished(() => proxy.close());
  return proxy;
}
