import { redactDeep } from '../patterns/redact.js';

// A lease token is the worker's fencing secret and not the caller's business.
const hidden = (key: string, value: unknown) => (key === 'leaseToken' ? undefined : value);

/** A value as the API may show it: plain JSON, lease tokens dropped, every secret redacted. */
export function publicJson(value: unknown): unknown {
  return redactDeep(JSON.parse(JSON.stringify(value, hidden)) as unknown);
}
