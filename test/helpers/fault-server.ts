import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** How the fault server answers one request; `hang` never answers. */
export type FaultReply =
  { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

/** A loopback HTTP server whose answers a test scripts per path; it counts and records requests. */
export interface FaultServer {
  url: string;
  /** Requests seen per path. */
  hits: Map<string, number>;
  /** Bodies of POST requests, in order. */
  posts: { path: string; body: string }[];
  /** Sets how a path answers; `reply` gets the request's number on that path (1-based) and its query. */
  route(path: string, reply: (n: number, query: URLSearchParams) => FaultReply): void;
}

/** Starts a fault server on 127.0.0.1, closed when the test ends. */
export async function startFaultServer(): Promise<FaultServer> {
  const routes = new Map<string, (n: number, query: URLSearchParams) => FaultReply>();
  const hits = new Map<string, number>();
  const posts: { path: string; body: string }[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const [path = '/', search = ''] = (request.url ?? '/').split('?');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      if (request.method === 'POST')
        posts.push({ path, body: Buffer.concat(chunks).toString('utf8') });
      const reply = routes.get(path)?.(n, new URLSearchParams(search)) ?? {
        status: 404,
        body: 'no route',
      };
      if (reply === 'hang') {
        hanging.add(response);
        return;
      }
      const send = () => {
        response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        response.end(reply.body ?? '');
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    posts,
    route: (path, reply) => void routes.set(path, reply),
  };
}

/** Fetches a URL and throws the error an HTTP client would, with the status and Retry-After in its text. */
export async function callUpstream(url: string, signal: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal });
  const body = await response.text();
  if (response.ok) return body;
  const retryAfter = response.headers.get('retry-after');
  const statusText =
    response.status === 429
      ? 'Too Many Requests'
      : response.status === 503
        ? 'Service Unavailable'
        : 'Error';
  throw Object.assign(
    new Error(
      `${response.status} ${statusText}${retryAfter ? ` (retry-after: ${retryAfter})` : ''}: ${body}`,
    ),
    { status: response.status },
  );
}
