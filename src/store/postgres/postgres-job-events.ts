import type { Logger } from '../../core/logger.js';
import type { JobEventStore } from '../job-event-store.js';
import { JobListener } from './job-listener.js';

/** Finished jobs in PostgreSQL: LISTEN on the channel a statement trigger notifies. @internal */
export class PostgresJobEvents implements JobEventStore {
  #connectionString: string;
  #channel: string;
  #logger: Logger;
  #listener: JobListener | undefined;

  constructor(connectionString: string, storeChannel: string, logger: Logger) {
    this.#connectionString = connectionString;
    this.#channel = `${storeChannel.slice(0, 56)}_events`;
    this.#logger = logger;
  }

  async onJobsFinished(_since: number, listener: (ids: readonly string[]) => void): Promise<() => Promise<void>> {
    this.#listener ??= new JobListener(this.#connectionString, this.#channel, this.#logger);
    // A reconnect calls listeners with no ids: nothing to report then, the caller polls what it waits on.
    return this.#listener.subscribe((ids) => {
      if (ids.length > 0) listener(ids);
    });
  }

  async close(): Promise<void> {
    await this.#listener?.close();
  }
}
