import type { Json } from '../core/types.js';
import { publicJson } from './public-json.js';

/** One event as `/api/events` sends it; `id` grows by one per event. */
export interface LoggedEvent {
  id: number;
  type: string;
  at: number;
  [key: string]: Json | undefined;
}

/**
 * The recent events of this server, numbered, for server-sent events with resume: a client that
 * reconnects with `Last-Event-ID: n` gets every event after `n` still in the ring, then live ones.
 * Events are redacted once, when they are appended.
 */
export class EventLog {
  readonly capacity: number;
  readonly #ring: LoggedEvent[] = [];
  readonly #listeners = new Set<(event: LoggedEvent) => void>();
  #lastId = 0;

  constructor(capacity = 1000) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError(`event buffer size must be a whole number >= 1, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Id of the newest event, 0 before the first. */
  get lastId(): number {
    return this.#lastId;
  }

  append(type: string, at: number, fields: Record<string, unknown> = {}): LoggedEvent {
    const event = {
      ...(publicJson(fields) as Record<string, Json>),
      id: ++this.#lastId,
      type,
      at,
    } as LoggedEvent;
    this.#ring.push(event);
    if (this.#ring.length > this.capacity) this.#ring.shift();
    for (const listener of this.#listeners) listener(event);
    return event;
  }

  /**
   * Events after `lastId` still held. An id from the future (a previous run of the server, whose
   * numbering restarted) replays the whole ring rather than nothing.
   */
  since(lastId: number): LoggedEvent[] {
    if (lastId > this.#lastId) return [...this.#ring];
    return this.#ring.filter((event) => event.id > lastId);
  }

  /** Calls `listener` for every new event; returns the unsubscribe function. */
  subscribe(listener: (event: LoggedEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
