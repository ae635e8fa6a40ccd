import pg from 'pg';
import type { Logger } from '../../core/logger.js';

type Listener = (types: readonly string[]) => void;

const RECONNECT_DELAY_MS = 1000;

/**
 * One dedicated connection that LISTENs on the store's channel and fans notifications out to
 * subscribers. If the connection drops it reconnects; meanwhile the workers' poll finds the jobs.
 */
export class JobListener {
  #connectionString: string;
  #channel: string;
  #listeners = new Set<Listener>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #logger: Logger;
  // Set while the connection is down, so an outage is logged once and its end once.
  #lostAt: number | undefined;

  constructor(connectionString: string, channel: string, logger: Logger) {
    this.#connectionString = connectionString;
    this.#channel = channel;
    this.#logger = logger;
  }

  async subscribe(listener: Listener): Promise<() => Promise<void>> {
    this.#listeners.add(listener);
    await this.#ensureConnected();
    return async () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  #ensureConnected(): Promise<void> {
    if (this.#client || this.#closed) return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#connectionString });
    client.on('notification', (message) => {
      const types = message.payload ? message.payload.split(',') : [];
      for (const listener of this.#listeners) listener(types);
    });
    const lost = (error?: Error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      this.#lostAt = Date.now();
      this.#logger.warn({ channel: this.#channel, reason: error?.message }, 'lost the PostgreSQL LISTEN connection; reconnecting, polling meanwhile');
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
      if (this.#closed) {
        await client.end();
        return;
      }
      this.#client = client;
      if (this.#lostAt !== undefined) {
        this.#logger.info({ channel: this.#channel, downMs: Date.now() - this.#lostAt }, 'PostgreSQL LISTEN connection restored');
        this.#lostAt = undefined;
      }
      // Jobs inserted while we were disconnected produced no notification we could hear.
      for (const listener of this.#listeners) listener([]);
    } catch (error) {
      if (this.#lostAt === undefined) {
        this.#lostAt = Date.now();
        this.#logger.warn({ channel: this.#channel, reason: (error as Error).message }, 'cannot LISTEN on PostgreSQL; retrying, polling meanwhile');
      }
      await client.end().catch(() => {});
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#ensureConnected();
    }, RECONNECT_DELAY_MS);
    this.#retry.unref();
  }
}
