import type { Json } from './types.js';

/** Named JSON documents of engine state (the template tree, breakers, leaders), kept in the store. */
export interface StateStore {
  /** A named JSON document of engine state, or undefined. */
  getState(key: string): Promise<Json | undefined>;
  /** Writes a named JSON document of engine state, replacing it whole. */
  setState(key: string, value: Json, now: number): Promise<void>;
}
