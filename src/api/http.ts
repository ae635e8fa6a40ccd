import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { invalidArgument, OrchestratorError } from '../core/errors.js';
import { publicJson } from './public-json.js';
import { allows, type Caller, type KeyRing, type Role } from './auth.js';
import type { RateLimiter } from './rate-limiter.js';

/** Hono environment of the API: the authenticated caller of the request. */
export interface ApiEnv {
  Variables: { caller: Caller };
}

/** Parses `value` with `schema`, or throws a 400 naming the first wrong field: "body.type: expected string". */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `${where}.${issue.path.map(String).join('.')}` : where;
  throw invalidArgument(`${path}: ${issue?.message ?? 'invalid'}`);
}

/** The request body as JSON; an empty body is `{}`, anything else that is not JSON a 400. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidArgument('body: not valid JSON');
  }
}

/** Answers JSON, redacted: nothing the API returns may carry a secret. */
export function answer(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  return c.json(publicJson(body) as object, status);
}

/** Parsed query string (last value of a repeated key). */
export function query(c: Context): Record<string, string> {
  return c.req.query();
}

/**
 * Authenticates the caller (when keys are configured), checks the role, and for mutating requests
 * counts the request against the caller's rate limit. Throws 401, 403 or 429.
 */
export function authorize(
  c: Context,
  keys: KeyRing,
  limiter: RateLimiter,
  needed: Role,
  mutating: boolean,
): Caller {
  const caller = identify(c, keys);
  if (!allows(caller.role, needed)) {
    throw new OrchestratorError(
      'ERR_FORBIDDEN',
      `this needs a key with role "${needed}"; yours has "${caller.role}"`,
    );
  }
  if (mutating) {
    const waitMs = limiter.take(caller.name);
    if (waitMs > 0) {
      c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
      throw new OrchestratorError(
        'ERR_RATE_LIMITED',
        `rate limit of ${limiter.limit} requests per ${limiter.windowMs / 1000} s reached; retry later`,
      );
    }
  }
  return caller;
}

/** Route middleware running {@link authorize}. */
export function guard(
  keys: KeyRing,
  limiter: RateLimiter,
  needed: Role,
  mutating: boolean,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('caller', authorize(c, keys, limiter, needed, mutating));
    await next();
  };
}

/** The caller of a request; without configured keys everyone is an admin (the server is on loopback then). */
export function identify(c: Context, keys: KeyRing): Caller {
  if (!keys.enabled) {
    // Without keys, any page a local browser opens could post to this server: refuse other origins.
    const origin = c.req.header('origin');
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
      throw new OrchestratorError(
        'ERR_FORBIDDEN',
        `requests from ${origin} are refused while no API key is configured`,
      );
    }
    return { name: 'local', role: 'admin' };
  }
  const presented = presentedKeyOf(c);
  if (presented === undefined)
    throw new OrchestratorError(
      'ERR_UNAUTHORIZED',
      'send an API key as "Authorization: Bearer <key>" or "apikey: <key>"',
    );
  const caller = keys.identify(presented);
  if (caller === undefined) throw new OrchestratorError('ERR_UNAUTHORIZED', 'unknown API key');
  return caller;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

function presentedKeyOf(c: Context): string | undefined {
  const authorization = c.req.header('authorization');
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const apikey = c.req.header('apikey');
  // supabase-js sends the anon key in both headers; either is accepted.
  return bearer ?? (apikey !== undefined && apikey.length > 0 ? apikey : undefined);
}
