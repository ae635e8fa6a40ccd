import { Logger, makeWorkerUtils, run, runMigrations } from 'graphile-worker';
import type { WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import { PG_URL } from './adapter.js';
import type {
  JobHandler,
  JobPayload,
  Producer,
  SystemAdapter,
  WorkerHandle,
  WorkerVariant,
} from './adapter.js';

const SCHEMA = 'graphile_bench';
const TASK = 'noop';
/** Every system runs silently: per-job log lines would cost the logging system, not the queue. */
const silent = new Logger(() => () => {});

class GraphileProducer implements Producer {
  readonly #utils: WorkerUtils;
  readonly #pool = new pg.Pool({ connectionString: PG_URL, max: 1 });

  constructor(utils: WorkerUtils) {
    this.#utils = utils;
  }

  async enqueueMany(payloads: JobPayload[]): Promise<void> {
    await this.#utils.addJobs(payloads.map((payload) => ({ identifier: TASK, payload })));
  }

  async enqueueOne(payload: JobPayload): Promise<void> {
    await this.#utils.addJob(TASK, payload);
  }

  async remaining(): Promise<number> {
    // graphile-worker deletes a job when it completes.
    const { rows } = await this.#pool.query<{ n: string }>(
      `select count(*) as n from ${SCHEMA}._private_jobs`,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async expireLocks(): Promise<void> {
    // Stands in for the 4 hours graphile-worker waits before it calls a lock stale.
    for (const table of ['_private_jobs', '_private_job_queues']) {
      await this.#pool.query(
        `update ${SCHEMA}.${table} set locked_at = locked_at - interval '4 hours 1 second'
          where locked_at is not null`,
      );
    }
  }

  async close(): Promise<void> {
    await this.#utils.release();
    await this.#pool.end();
  }
}

export const graphileAdapter: SystemAdapter = {
  name: 'graphile',
  title: 'graphile-worker 0.17.3 (PG)',
  reportsCompletions: false,

  async reset() {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${SCHEMA} cascade`);
    await client.end();
    await runMigrations({ connectionString: PG_URL, schema: SCHEMA, logger: silent });
  },

  async createProducer() {
    const utils = await makeWorkerUtils({
      connectionString: PG_URL,
      schema: SCHEMA,
      logger: silent,
    });
    return new GraphileProducer(utils);
  },

  async createWorker(variant: WorkerVariant, handler: JobHandler): Promise<WorkerHandle> {
    const {
      localQueueSize,
      completeJobBatchDelay,
      pollInterval,
      minResetLockedInterval,
      maxResetLockedInterval,
    } = variant.options;
    const pgPool = new pg.Pool({ connectionString: PG_URL, max: 10 });
    pgPool.on('error', (err) => console.error('graphile-worker pool error:', err.message));
    pgPool.on('connect', (client) =>
      client.on('error', (err) => console.error('graphile-worker client error:', err.message)),
    );
    // Connect up front so that connecting is not counted as draining.
    (await pgPool.connect()).release();
    let runner: Awaited<ReturnType<typeof run>> | undefined;
    return {
      async start() {
        runner = await run({
          pgPool,
          schema: SCHEMA,
          concurrency: variant.concurrency,
          noHandleSignals: true,
          logger: silent,
          ...(pollInterval ? { pollInterval } : {}),
          ...(minResetLockedInterval ? { minResetLockedInterval } : {}),
          ...(maxResetLockedInterval ? { maxResetLockedInterval } : {}),
          preset: {
            worker: {
              ...(localQueueSize ? { localQueue: { size: localQueueSize } } : {}),
              ...(completeJobBatchDelay !== undefined ? { completeJobBatchDelay } : {}),
            },
          },
          taskList: { [TASK]: async (payload) => handler(payload as JobPayload) },
        });
      },
      async stop() {
        await runner?.stop();
        await pgPool.end();
      },
    };
  },

  drainVariants: [
    { label: 'c=10, defaults', concurrency: 10, options: {} },
    {
      label: 'c=10, localQueue.size 100, completeJobBatchDelay 0',
      concurrency: 10,
      options: { localQueueSize: 100, completeJobBatchDelay: 0 },
    },
    { label: 'c=1, defaults', concurrency: 1, options: {} },
    {
      label: 'c=1, localQueue.size 100, completeJobBatchDelay 0',
      concurrency: 1,
      options: { localQueueSize: 100, completeJobBatchDelay: 0 },
    },
  ],
  latencyVariant: { label: 'defaults (LISTEN/NOTIFY)', concurrency: 10, options: {} },
  recoveryVariants: [
    {
      label: 'defaults (4 h stale-lock rule, scan every 8–10 min)',
      kind: 'computed',
      text: '≥ 14,400 (4 h, hard-coded)',
      lowerBoundSeconds: 4 * 3600,
      note: 'a lock is released only once it is 4 h old; the scan runs every 8–10 min',
    },
    {
      label: 'scan every 0.1–0.2 s, poll 0.1 s (after the 4 h rule)',
      kind: 'measured',
      worker: {
        label: 'aggressive',
        concurrency: 1,
        options: { minResetLockedInterval: 100, maxResetLockedInterval: 200, pollInterval: 100 },
      },
      timeoutMs: 30_000,
      note: 'locks backdated by 4 h at the kill; time from then',
    },
  ],
};
