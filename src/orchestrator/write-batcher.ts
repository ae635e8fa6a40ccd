/**
 * Collects fenced writes made in the same tick and sends them to the store as one batch, so that
 * ten jobs finishing together cost one round trip. A batch that fails (the database dropped the
 * connection) is retried with backoff until each write's deadline — the end of its lease — passes;
 * after that the write is moot, since another worker may already own the job.
 */
export class WriteBatcher<W extends { id: string }> {
  readonly #send: (writes: W[]) => Promise<Set<string>>;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  readonly #maxBatch: number;
  #pending: { write: W; deadline: number; resolve: (accepted: boolean) => void }[] = [];
  #scheduled = false;
  #inFlight: Promise<void> | undefined;
  #retryDelayMs = 0;

  constructor(options: {
    send: (writes: W[]) => Promise<Set<string>>;
    onError: (error: unknown) => void;
    now: () => number;
    maxBatch?: number;
  }) {
    this.#send = options.send;
    this.#onError = options.onError;
    this.#now = options.now;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /** Queues a write; resolves true if the store accepted it, false if it was stale or too late. */
  push(write: W, deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.#pending.push({ write, deadline, resolve });
      this.#schedule(0);
    });
  }

  /** Resolves once everything queued so far has been sent (or given up on). */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#inFlight) {
      if (this.#inFlight) await this.#inFlight;
      else await this.#flush();
    }
  }

  #schedule(delayMs: number): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      void this.#flush();
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  async #flush(): Promise<void> {
    if (this.#inFlight || this.#pending.length === 0) return;
    const now = this.#now();
    const expired = this.#pending.filter((item) => item.deadline < now);
    for (const item of expired) item.resolve(false);
    const batch = this.#pending.filter((item) => item.deadline >= now).slice(0, this.#maxBatch);
    const inBatch = new Set(batch);
    this.#pending = this.#pending.filter((item) => item.deadline >= now && !inBatch.has(item));
    if (batch.length === 0) return;
    this.#inFlight = this.#send(batch.map((item) => item.write)).then(
      (accepted) => {
        this.#retryDelayMs = 0;
        for (const item of batch) item.resolve(accepted.has(item.write.id));
      },
      (error: unknown) => {
        this.#onError(error);
        this.#pending.unshift(...batch);
        this.#retryDelayMs = Math.min(2000, Math.max(50, this.#retryDelayMs * 2));
      },
    );
    await this.#inFlight;
    this.#inFlight = undefined;
    if (this.#pending.length > 0) this.#schedule(this.#retryDelayMs);
  }
}
