import { OrchestratorError } from './errors.js';
import type { Json } from './types.js';

/** Deepest nesting a stored JSON value may have; PostgreSQL's parser and our own checks stay far from their stack limits. */
export const MAX_JSON_DEPTH = 100;
/** Default limit on a payload, result or checkpoint, serialised: 1 MiB. */
export const DEFAULT_MAX_JSON_BYTES = 1024 * 1024;

/** How strict {@link assertJson} is beyond plain JSON. */
export interface JsonLimits {
  /** Largest serialised size in UTF-8 bytes. @default 1 MiB */
  maxBytes?: number;
}

/**
 * Checks that `value` survives a JSON round trip unchanged on both engines, and names the first
 * part that would not: a function, a Date, a BigInt, NaN, a cycle, nesting deeper than
 * {@link MAX_JSON_DEPTH}, a string with `\u0000` or a lone surrogate (PostgreSQL's jsonb refuses
 * both), or more than `maxBytes` in all. Properties that are `undefined` are dropped, as
 * JSON.stringify does.
 */
export function assertJson(
  value: unknown,
  what = 'payload',
  limits: JsonLimits = {},
): asserts value is Json {
  const problem = findProblem(value, what, new Set(), 0);
  if (problem)
    throw new OrchestratorError(
      'ERR_PAYLOAD_NOT_SERIALIZABLE',
      `${problem}; ${what} must be plain JSON`,
    );
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_JSON_BYTES;
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? 'null');
  if (bytes > maxBytes) {
    throw new OrchestratorError(
      'ERR_PAYLOAD_TOO_LARGE',
      `${what} is ${bytes} bytes as JSON, more than the limit of ${maxBytes} bytes`,
    );
  }
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function stringProblem(text: string, path: string): string | undefined {
  if (text.includes('\u0000')) return `${path} contains a \\u0000 character`;
  if (LONE_SURROGATE.test(text)) return `${path} contains a lone UTF-16 surrogate`;
  return undefined;
}

/** Replaces what {@link assertJson} refuses in a string (`\u0000`, lone surrogates) with U+FFFD. */
export function sanitizeText(text: string): string {
  return text
    .replaceAll('\u0000', '\ufffd')
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\ufffd');
}

function findProblem(
  value: unknown,
  path: string,
  seen: Set<object>,
  depth: number,
): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringProblem(value, path);
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : `${path} is ${value}, which JSON cannot represent`;
    case 'undefined':
      return `${path} is undefined`;
    case 'bigint':
      return `${path} is a BigInt`;
    case 'function':
      return `${path} is a function`;
    case 'symbol':
      return `${path} is a symbol`;
  }
  if (value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH} levels`;
  const object = value as object;
  if (seen.has(object)) return `${path} refers back to itself (a cycle)`;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const item: unknown = object[i];
        const problem =
          item === undefined
            ? `${path}[${i}] is undefined`
            : findProblem(item, `${path}[${i}]`, seen, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(object) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is a ${object.constructor?.name ?? 'class instance'}, not a plain object`;
    }
    for (const [key, item] of Object.entries(object)) {
      const keyProblem = stringProblem(key, `a key of ${path}`);
      if (keyProblem) return keyProblem;
      if (item === undefined) continue;
      const problem = findProblem(item, `${path}.${key}`, seen, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}
