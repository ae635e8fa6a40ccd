import { createHash, timingSafeEqual } from 'node:crypto';
import { OrchestratorError } from '../core/errors.js';

/** Roles of API keys, each allowing what the previous one does and more. */
export const ROLES = ['read', 'operate', 'admin'] as const;
/** `read` looks; `operate` enqueues, scans, heals and applies remedies; `admin` edits patterns and imports. */
export type Role = (typeof ROLES)[number];

/** One API key. */
export interface ApiKey {
  /** The secret the caller sends as `Authorization: Bearer …` or `apikey: …`. */
  key: string;
  role: Role;
  /** Shown in logs and used for rate limiting instead of the key. @default `key-<n>` */
  name?: string;
}

/** Who made a request. */
export interface Caller {
  name: string;
  role: Role;
}

/** Keys shorter than this are refused at start: they can be guessed. */
export const MIN_KEY_LENGTH = 16;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks API keys. Each presented key is compared with every configured key in constant time
 * (digests of equal length, no early exit), so the answer's timing says nothing about the keys.
 */
export class KeyRing {
  readonly #keys: { digest: Buffer; caller: Caller }[];

  constructor(keys: readonly ApiKey[]) {
    this.#keys = keys.map((entry, index) => {
      if (typeof entry.key !== 'string' || entry.key.length < MIN_KEY_LENGTH) {
        throw new OrchestratorError(
          'ERR_INVALID_ARGUMENT',
          `API key ${entry.name ?? index + 1} must be at least ${MIN_KEY_LENGTH} characters`,
        );
      }
      return {
        digest: digest(entry.key),
        caller: { name: entry.name ?? `key-${index + 1}`, role: entry.role },
      };
    });
  }

  /** True when keys are configured: requests must then present one. */
  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  /** The caller a presented key belongs to, or undefined. */
  identify(presented: string): Caller | undefined {
    const candidate = digest(presented);
    let found: Caller | undefined;
    for (const entry of this.#keys) {
      if (timingSafeEqual(entry.digest, candidate) && found === undefined) found = entry.caller;
    }
    return found;
  }
}

/** True when `role` may do what `needed` allows. */
export function allows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
