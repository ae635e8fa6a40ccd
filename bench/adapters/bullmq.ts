import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type {
  JobHandler,
  JobPayload,
  Producer,
  SystemAdapter,
  WorkerHandle,
  WorkerVariant,
} from './adapter.js';

/** A Redis database index the benchmark may flush; nothing else lives there. */
const REDIS_DB = Number(process.env.BENCH_REDIS_DB ?? 5);
const connection = {
  host: process.env.BENCH_REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_REDIS_PORT ?? 6379),
  db: REDIS_DB,
};
const QUEUE = 'noop';
const PREFIX = 'mmbench';

class BullmqProducer implements Producer {
  readonly #queue = new Queue<JobPayload>(QUEUE, { connection, prefix: PREFIX });

  async enqueueMany(payloads: JobPayload[]): Promise<void> {
    await this.#queue.addBulk(payloads.map((data) => ({ name: QUEUE, data })));
  }

  async enqueueOne(payload: JobPayload): Promise<void> {
    await this.#queue.add(QUEUE, payload);
  }

  async remaining(): Promise<number> {
    const counts = await this.#queue.getJobCounts(
      'wait',
      'active',
      'delayed',
      'prioritized',
      'waiting-children',
    );
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async close(): Promise<void> {
    await this.#queue.close();
  }
}

export const bullmqAdapter: SystemAdapter = {
  name: 'bullmq',
  title: 'BullMQ 6.7.0 (Redis)',
  // The worker's `completed` event fires after the job was moved to the completed set.
  reportsCompletions: true,

  async reset() {
    const redis = new Redis(connection);
    await redis.flushdb();
    redis.disconnect();
  },

  async createProducer() {
    return new BullmqProducer();
  },

  async createWorker(
    variant: WorkerVariant,
    handler: JobHandler,
    onCompleted: () => void,
  ): Promise<WorkerHandle> {
    const worker = new Worker<JobPayload>(QUEUE, async (job) => handler(job.data), {
      connection,
      prefix: PREFIX,
      concurrency: variant.concurrency,
      autorun: false,
      ...variant.options,
    });
    worker.on('completed', onCompleted);
    worker.on('error', (err) => console.error('bullmq worker error:', err.message));
    await worker.waitUntilReady();
    return {
      async start() {
        // run() resolves only when the worker closes.
        void worker.run();
      },
      async stop() {
        await worker.close(true);
      },
    };
  },

  drainVariants: [
    { label: 'c=10', concurrency: 10, options: {} },
    { label: 'c=1', concurrency: 1, options: {} },
  ],
  latencyVariant: { label: 'defaults', concurrency: 10, options: {} },
  recoveryVariants: [
    {
      label: 'defaults (lockDuration 30 s, stalledInterval 30 s)',
      kind: 'measured',
      worker: { label: 'defaults', concurrency: 1, options: {} },
      timeoutMs: 150_000,
    },
    {
      label: 'lockDuration 1 s, stalledInterval 0.5 s',
      kind: 'measured',
      worker: {
        label: 'aggressive',
        concurrency: 1,
        options: { lockDuration: 1000, stalledInterval: 500 },
      },
      timeoutMs: 30_000,
    },
  ],
};
