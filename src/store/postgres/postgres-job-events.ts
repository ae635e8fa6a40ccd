import type { JobEventStore } from '../job-event-store.js';
import type { JobListener } from './job-listener.js';

/** Finished jobs in PostgreSQL: LISTEN on the channel a statement trigger notifies. @internal */
export class PostgresJobEvents implements JobEventStore {
  #channel: string;
  #createListener: (channel: string) => JobListener;
  #listener: JobListener | undefined;

  constructor(storeChannel: string, createListener: (channel: string) => JobListener) {
    this.#channel = `${storeChannel.slice(0, 56)}_events`;
    this.#createListener = createListener;
  }

  async onJobsFinished(
    _since: number,
    listener: (ids: readonly string[]) => void,
  ): Promise<() => Promise<void>> {
    this.#listener ??= this.#createListener(this.#channel);
    // A reconnect calls listeners with no ids: nothing to report then, the caller polls what it waits on.
    return this.#listener.subscribe((ids) => {
      if (ids.length > 0) listener(ids);
    });
  }

  async close(): Promise<void> {
    await this.#listener?.close();
  }
}
