import { performance } from 'node:perf_hooks';
import { sleep, withDeadline } from './deadline.js';

/** The end of a write's lease, read when it is sent: a renewed lease moves it. */
export interface WriteDeadline {
  deadline(): number;
}

interface Pending<W> {
  write: W;
  lease: WriteDeadline;
  resolve: (accepted: boolean) => void;
  /** Sent on its own: it was in a batch that failed, and must not take its neighbours down again. */
  alone: boolean;
}

/** Sends that may be in flight at once, so one write waiting on a lost reply holds no other back. */
const MAX_IN_FLIGHT = 4;
/**
 * A send unanswered this long is presumed stalled (a lost reply, a locked file), and the next batch
 * goes out beside it. Before that, writes wait for the send in flight and go out together: on a
 * database whose commit costs more than a row, fewer, larger batches are what makes a drain fast.
 */
const STALL_MS = 50;

/**
 * Collects fenced writes made in the same tick and sends them to the store as one batch, so that
 * ten jobs finishing together cost one round trip. A batch that fails is split: each write is sent
 * on its own, so one bad row never fails its neighbours. A write that fails is retried with backoff
 * until its deadline — the end of its lease — passes; a send that does not answer by then is
 * abandoned: the write is moot, since another worker may already own the job.
 */
export class WriteBatcher<W extends { id: string }> {
  readonly #send: (writes: W[]) => Promise<Set<string>>;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;
  readonly #maxBatch: number;
  #pending: Pending<W>[] = [];
  #timer: { cancel: () => void; at: number } | undefined;
  /** Sends in flight, with when each left (real time: a stall is real time, whatever the clock). */
  readonly #inFlight = new Map<Promise<void>, number>();
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
  push(write: W, lease: WriteDeadline): Promise<boolean> {
    return new Promise((resolve) => {
      this.#pending.push({ write, lease, resolve, alone: false });
      this.#schedule(0);
    });
  }

  /** Resolves once everything queued so far has been sent or given up on. */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#inFlight.size > 0) {
      if (this.#inFlight.size > 0) {
        await Promise.race(this.#inFlight.keys());
      } else {
        if (this.#retryDelayMs > 0) await sleep(this.#retryDelayMs);
        this.#flush();
      }
    }
  }

  // One timer at a time, the earliest asked for: a flush due now replaces one due later.
  #schedule(delayMs: number): void {
    const at = performance.now() + delayMs;
    if (this.#timer && this.#timer.at <= at) return;
    this.#timer?.cancel();
    const run = () => {
      this.#timer = undefined;
      this.#flush();
    };
    if (delayMs > 0) {
      const timeout = setTimeout(run, delayMs);
      timeout.unref();
      this.#timer = { at, cancel: () => clearTimeout(timeout) };
    } else {
      const immediate = setImmediate(run);
      this.#timer = { at, cancel: () => clearImmediate(immediate) };
    }
  }

  // Another send may go out beside those in flight once the oldest of them looks stalled, or when
  // a full batch is waiting.
  #maySend(): boolean {
    if (this.#inFlight.size === 0) return true;
    if (this.#inFlight.size >= MAX_IN_FLIGHT) return false;
    if (this.#pending.length >= this.#maxBatch) return true;
    const oldest = Math.min(...this.#inFlight.values());
    return performance.now() - oldest >= STALL_MS;
  }

  #flush(): void {
    const now = this.#now();
    const live: Pending<W>[] = [];
    for (const item of this.#pending) {
      if (item.lease.deadline() < now) item.resolve(false);
      else live.push(item);
    }
    this.#pending = live;
    while (this.#pending.length > 0 && this.#maySend()) {
      const first = this.#pending[0] as Pending<W>;
      const size = first.alone
        ? 1
        : this.#pending.findIndex((item, i) => i >= this.#maxBatch || item.alone);
      const batch = this.#pending.splice(0, size === -1 ? this.#pending.length : Math.max(1, size));
      this.#track(this.#sendBatch(batch, now));
    }
    // Held back behind a send in flight: look again when it would count as stalled.
    if (this.#pending.length > 0 && this.#inFlight.size > 0 && this.#inFlight.size < MAX_IN_FLIGHT)
      this.#schedule(STALL_MS);
  }

  #track(flight: Promise<void>): void {
    const done = flight.finally(() => {
      this.#inFlight.delete(done);
      if (this.#pending.length > 0) this.#schedule(this.#retryDelayMs);
    });
    this.#inFlight.set(done, performance.now());
  }

  async #sendBatch(batch: Pending<W>[], now: number): Promise<void> {
    let latest = -Infinity;
    for (const item of batch) latest = Math.max(latest, item.lease.deadline());
    try {
      const accepted = await withDeadline(
        this.#send(batch.map((item) => item.write)),
        latest - now,
        'write',
      );
      this.#retryDelayMs = 0;
      for (const item of batch) item.resolve(accepted.has(item.write.id));
    } catch (error) {
      this.#onError(error);
      if (batch.length > 1) {
        // Which row failed is unknown: send each on its own, at once.
        for (const item of batch) item.alone = true;
      } else {
        this.#retryDelayMs = Math.min(2000, Math.max(50, this.#retryDelayMs * 2));
      }
      this.#pending.unshift(...batch);
    }
  }
}
