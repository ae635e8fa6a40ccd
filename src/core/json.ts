import { OrchestratorError } from './errors.js';
import type { Json } from './types.js';

/**
 * Checks that `value` survives a JSON round trip unchanged, and names the first part that would
 * not (a function, a Date, a BigInt, NaN, a cycle…). Properties that are `undefined` are dropped,
 * as JSON.stringify does.
 */
export function assertJson(value: unknown, what = 'payload'): asserts value is Json {
  const problem = findProblem(value, what, new Set());
  if (problem) throw new OrchestratorError('ERR_PAYLOAD_NOT_SERIALIZABLE', `${problem}; ${what} must be plain JSON`);
}

function findProblem(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot represent`;
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
  const object = value as object;
  if (seen.has(object)) return `${path} refers back to itself (a cycle)`;
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const item: unknown = object[i];
        const problem = item === undefined ? `${path}[${i}] is undefined` : findProblem(item, `${path}[${i}]`, seen);
        if (problem) return problem;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(object) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is a ${object.constructor?.name ?? 'class instance'}, not a plain object`;
    }
    for (const [key, item] of Object.entries(object)) {
      if (item === undefined) continue;
      const problem = findProblem(item, `${path}.${key}`, seen);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    seen.delete(object);
  }
}
