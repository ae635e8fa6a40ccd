import type { Json } from '../core/types.js';
import { isSecretKeyName, redact, redactionMarker } from '../patterns/redact.js';

// A lease token is the worker's fencing secret and not the caller's business.
const HIDDEN = 'leaseToken';
// A pattern's `signature` is the pattern book's key (rule:…, tpl:…, stuck:…), not a secret,
// though the name says otherwise; any other value under that name is treated as one.
const PATTERN_KEY = /^(?:rule|tpl|stuck):[\w:.@-]{1,300}$/;

/**
 * A value as the API may show it, in one walk: plain JSON (as `JSON.stringify` would write it),
 * lease tokens dropped, every string redacted, and every value under a secret-sounding name
 * (`password`, `apiKey`, …) replaced whole, as `redactDeep` does.
 */
export function publicJson(value: unknown): Json {
  return walk(value, '') ?? null;
}

function walk(value: unknown, key: string): Json | undefined {
  if (value === null) return null;
  if (typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return walk((value as { toJSON(): unknown }).toJSON(), key);
  }
  const secret = key !== '' && isSecretKeyName(key);
  switch (typeof value) {
    case 'string':
      if (secret && !(key === 'signature' && PATTERN_KEY.test(value)))
        return redactionMarker('secret');
      return redact(value);
    case 'number':
      if (secret) return redactionMarker('secret');
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return secret ? redactionMarker('secret') : value;
    case 'object':
      if (Array.isArray(value)) return value.map((item) => walk(item, '') ?? null);
      return walkObject(value as Record<string, unknown>);
    default:
      return undefined; // functions, symbols, undefined: left out, as JSON does
  }
}

function walkObject(value: Record<string, unknown>): Json {
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === HIDDEN) continue;
    const shown = walk(item, key);
    if (shown !== undefined) copy[key] = shown;
  }
  return copy;
}
