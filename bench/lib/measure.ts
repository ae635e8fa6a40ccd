import { setTimeout as sleep } from 'node:timers/promises';
import { now } from '../adapters/adapter.js';
import type {
  JobPayload,
  RecoveryVariant,
  SystemAdapter,
  WorkerVariant,
} from '../adapters/adapter.js';
import { percentile } from './stats.js';
import { WorkerProcess } from './worker-process.js';

/** Add → start latency: 200 jobs/s for 5 s. */
const LATENCY_RATE_PER_S = 200;
const LATENCY_JOBS = 1000;

function payloads(n: number): JobPayload[] {
  return Array.from({ length: n }, (_, i) => ({ i }));
}

/** Bulk enqueue of `n` jobs in one call; jobs/s. */
export async function measureBulkEnqueue(adapter: SystemAdapter, n: number): Promise<number> {
  await adapter.reset();
  const producer = await adapter.createProducer();
  const batch = payloads(n);
  const t0 = now();
  await producer.enqueueMany(batch);
  const seconds = (now() - t0) / 1000;
  await producer.close();
  return n / seconds;
}

/** `n` enqueues, each awaited before the next; jobs/s. */
export async function measureSingleEnqueue(adapter: SystemAdapter, n: number): Promise<number> {
  await adapter.reset();
  const producer = await adapter.createProducer();
  await producer.enqueueOne({ i: -1 }); // warm up the connection and prepared statements
  const t0 = now();
  for (let i = 0; i < n; i++) await producer.enqueueOne({ i });
  const seconds = (now() - t0) / 1000;
  await producer.close();
  return n / seconds;
}

export interface DrainResult {
  /** Up to the last durable completion. */
  jobsPerSecond: number;
  /** Up to the last handler's return (the same as above when the worker reports completions). */
  handlerJobsPerSecond: number;
  maxRssMb: number;
}

/**
 * Pre-fill `n` jobs, then time from the worker's start to the last durable completion.
 * Bounded: gives up after `timeoutMs`.
 */
export async function measureDrain(
  adapter: SystemAdapter,
  variant: WorkerVariant,
  n: number,
  timeoutMs: number,
): Promise<DrainResult> {
  await adapter.reset();
  const producer = await adapter.createProducer();
  await producer.enqueueMany(payloads(n));
  const worker = await WorkerProcess.spawn(adapter.name, variant, n);
  try {
    worker.send({ type: 'go' });
    const { t: started } = await worker.next('going', 60_000);
    const { t: lastHandled } = await worker.next('done', timeoutMs);
    let finished = lastHandled;
    if (!adapter.reportsCompletions && producer.remaining) {
      // The handlers are done; the last completion is when the store says nothing is left.
      while ((await producer.remaining()) > 0) {
        if (now() - started > timeoutMs) throw new Error('drain did not finish in time');
        await sleep(2);
      }
      finished = now();
    }
    worker.send({ type: 'report' });
    const { maxRssMb } = await worker.next('report', 10_000);
    return {
      jobsPerSecond: n / ((finished - started) / 1000),
      handlerJobsPerSecond: n / ((lastHandled - started) / 1000),
      maxRssMb,
    };
  } finally {
    await worker.stop();
    await producer.close();
  }
}

export interface LatencyResult {
  p50: number;
  p99: number;
}

/** An idle worker; jobs enqueued one at a time at 200 jobs/s for 5 s; add() → handler start. */
export async function measureLatency(
  adapter: SystemAdapter,
  variant: WorkerVariant,
): Promise<LatencyResult> {
  await adapter.reset();
  const producer = await adapter.createProducer();
  const worker = await WorkerProcess.spawn(adapter.name, variant, LATENCY_JOBS);
  try {
    worker.send({ type: 'go' });
    await worker.next('going', 60_000);
    await sleep(1000); // let the worker settle into its idle state
    const t0 = now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < LATENCY_JOBS; i++) {
      const due = t0 + (i * 1000) / LATENCY_RATE_PER_S;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      sends.push(producer.enqueueOne({ i, t: now() }));
    }
    await Promise.all(sends);
    await worker.next('done', 60_000);
    worker.send({ type: 'report' });
    const { latencies } = await worker.next('report', 10_000);
    return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) };
  } finally {
    await worker.stop();
    await producer.close();
  }
}

/**
 * Worker A takes a job that never finishes; B idles beside it; A is SIGKILLed.
 * Returns seconds from the kill until B starts the job, or Infinity past the variant's bound.
 */
export async function measureRecovery(
  adapter: SystemAdapter,
  recovery: Extract<RecoveryVariant, { kind: 'measured' }>,
): Promise<number> {
  await adapter.reset();
  const producer = await adapter.createProducer();
  // Both connect first, so B can start taking jobs the moment A has its job.
  const [a, b] = await Promise.all([
    WorkerProcess.spawn(adapter.name, recovery.worker, 0),
    WorkerProcess.spawn(adapter.name, recovery.worker, 0),
  ]);
  try {
    a.send({ type: 'go' });
    await a.next('going', 60_000);
    await producer.enqueueOne({ i: 0, hang: true }, recovery.worker);
    await a.next('hung', 30_000);
    b.send({ type: 'go' });
    await b.next('going', 60_000);
    a.kill();
    const killedAt = now();
    await a.exited(5_000);
    await producer.expireLocks?.();
    try {
      const { t } = await b.next('hung', recovery.timeoutMs);
      return (t - killedAt) / 1000;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  } finally {
    // A is dead already unless a step before the kill failed.
    a.kill();
    b.kill();
    await Promise.all([a.exited(5_000), b.exited(5_000)]);
    await producer.close();
  }
}
