import type { Store } from '../../src/store/store.js';

type Overrides = {
  [K in keyof Store]?: Store[K] extends (...args: infer A) => infer R
    ? (real: Store, ...args: A) => R
    : never;
};

/**
 * A real store with some methods replaced, as a user could pass through the public `store` option:
 * each override gets the real store first, so it can slow, fail or count a call and then make it.
 */
export function faultyStore(real: Store, overrides: Overrides): Store {
  return new Proxy(real, {
    get(target, key, receiver) {
      const override = (
        overrides as Record<
          string | symbol,
          ((real: Store, ...args: unknown[]) => unknown) | undefined
        >
      )[key];
      if (override) return (...args: unknown[]) => override(target, ...args);
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
}

/** Resolves after `ms`. */
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
