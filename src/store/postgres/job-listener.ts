import pg from 'pg';
import type { Logger } from '../../core/logger.js';

type Listener = (types: readonly string[]) => void;

const RECONNECT_DELAY_MS = 1000;

/** Options of {@link JobListener}. */
export interface JobListenerOptions {
  /** How often the connection must answer a `SELECT 1` within the client's query timeout. */
  healthCheckMs: number;
  /** Timeouts and keepalive for the connection. */
  clientConfig: pg.ClientConfig;
  /** Told when the connection drops and when it is back. */
  logger: Logger;
}

/**
 * One dedicated connection that LISTENs on the store's channel and fans notifications out to
 * subscribers. A connection that drops, or that stops answering (half-open: no error, no
 * notifications), is replaced; meanwhile the workers' poll finds the jobs.
 */
export class JobListener {
  #connectionString: string;
  #channel: string;
  #options: JobListenerOptions;
  #listeners = new Set<Listener>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #health: NodeJS.Timeout | undefined;
  // Set while the connection is down, so an outage is logged once and its end once.
  #lostAt: number | undefined;

  constructor(connectionString: string, channel: string, options: JobListenerOptions) {
    this.#connectionString = connectionString;
    this.#channel = channel;
    this.#options = options;
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
    clearInterval(this.#health);
    const client = this.#client;
    this.#client = undefined;
    await endQuickly(client);
  }

  #ensureConnected(): Promise<void> {
    if (this.#client || this.#closed) return Promise.resolve();
    this.#connecting ??= this.#connect().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#connectionString,
      ...this.#options.clientConfig,
    });
    client.on('notification', (message) => {
      const types = message.payload ? message.payload.split(',') : [];
      for (const listener of this.#listeners) listener(types);
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
      if (this.#closed) {
        await endQuickly(client);
        return;
      }
      this.#client = client;
      this.#watch(client);
      if (this.#lostAt !== undefined) {
        this.#options.logger.info(
          { channel: this.#channel, downMs: Date.now() - this.#lostAt },
          'PostgreSQL LISTEN connection restored',
        );
        this.#lostAt = undefined;
      }
      // Jobs inserted while we were disconnected produced no notification we could hear.
      for (const listener of this.#listeners) listener([]);
    } catch (error) {
      if (this.#lostAt === undefined) {
        this.#lostAt = Date.now();
        this.#options.logger.warn(
          { channel: this.#channel, reason: (error as Error).message },
          'cannot LISTEN on PostgreSQL; retrying, polling meanwhile',
        );
      }
      await endQuickly(client);
      this.#scheduleReconnect();
    }
  }

  // A half-open connection raises no error: only a query that gets no answer reveals it.
  #watch(client: pg.Client): void {
    clearInterval(this.#health);
    let checking = false;
    this.#health = setInterval(() => {
      if (checking || this.#client !== client) return;
      checking = true;
      client
        .query('SELECT 1')
        .catch(() => this.#lost(client))
        .finally(() => (checking = false));
    }, this.#options.healthCheckMs);
    this.#health.unref();
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    clearInterval(this.#health);
    this.#lostAt = Date.now();
    this.#options.logger.warn(
      { channel: this.#channel },
      'lost the PostgreSQL LISTEN connection; reconnecting, polling meanwhile',
    );
    void endQuickly(client);
    this.#scheduleReconnect();
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

// end() waits for the server's goodbye, which a half-open connection never sends.
async function endQuickly(client: pg.Client | undefined): Promise<void> {
  if (!client) return;
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection
    ?.stream;
  const timer = setTimeout(() => stream?.destroy(), 1000);
  await client.end().catch(() => {});
  clearTimeout(timer);
}
