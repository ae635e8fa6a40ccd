import PgBoss from 'pg-boss';
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

const SCHEMA = 'pgboss_bench';
const QUEUE = 'noop';
/** The shortest polling interval pg-boss 10 accepts (the default is 2 s). */
const POLL_SECONDS = 0.5;

function newBoss(options: PgBoss.ConstructorOptions): PgBoss {
  const boss = new PgBoss({ connectionString: PG_URL, schema: SCHEMA, ...options });
  boss.on('error', (err: Error) => console.error('pg-boss error:', err.message));
  return boss;
}

class PgBossProducer implements Producer {
  readonly #boss: PgBoss;
  readonly #pool = new pg.Pool({ connectionString: PG_URL, max: 1 });

  constructor(boss: PgBoss) {
    this.#boss = boss;
  }

  async enqueueMany(payloads: JobPayload[]): Promise<void> {
    await this.#boss.insert(payloads.map((data) => ({ name: QUEUE, data })));
  }

  async enqueueOne(payload: JobPayload, variant?: WorkerVariant): Promise<void> {
    // Expiry is a per-job setting in pg-boss 10, so the recovery variant puts it on the job.
    const expireInSeconds = variant?.options.expireInSeconds;
    await this.#boss.send(QUEUE, payload, expireInSeconds ? { expireInSeconds } : {});
  }

  async remaining(): Promise<number> {
    const { rows } = await this.#pool.query<{ n: string }>(
      `select count(*) as n from ${SCHEMA}.job where name = $1 and state <> 'completed'`,
      [QUEUE],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.#boss.stop({ graceful: false, wait: true });
    await this.#pool.end();
  }
}

export const pgbossAdapter: SystemAdapter = {
  name: 'pgboss',
  title: 'pg-boss 10.4.2 (PG)',
  reportsCompletions: false,

  async reset() {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists ${SCHEMA} cascade`);
    await client.end();
    const boss = newBoss({ supervise: false, schedule: false });
    await boss.start();
    await boss.createQueue(QUEUE);
    await boss.stop({ graceful: false, wait: true });
  },

  async createProducer() {
    const boss = newBoss({ supervise: false, schedule: false });
    await boss.start();
    return new PgBossProducer(boss);
  },

  async createWorker(variant: WorkerVariant, handler: JobHandler): Promise<WorkerHandle> {
    const { batchSize = 100, maintenanceIntervalSeconds } = variant.options;
    const boss = newBoss({
      schedule: false,
      max: variant.concurrency + 2,
      ...(maintenanceIntervalSeconds ? { maintenanceIntervalSeconds } : {}),
    });
    await boss.start();
    return {
      async start() {
        // pg-boss 10 has no per-worker concurrency: each work() is one fetch loop of batchSize jobs.
        for (let k = 0; k < variant.concurrency; k++) {
          await boss.work<JobPayload>(
            QUEUE,
            { batchSize, pollingIntervalSeconds: POLL_SECONDS },
            async (jobs) => {
              await Promise.all(jobs.map((job) => handler(job.data)));
            },
          );
        }
      },
      async stop() {
        await boss.stop({ graceful: false, wait: true });
      },
    };
  },

  drainVariants: [
    { label: 'c=10, batch 100', concurrency: 10, options: { batchSize: 100 } },
    { label: 'c=10, batch 1000', concurrency: 10, options: { batchSize: 1000 } },
    { label: 'c=1, batch 100', concurrency: 1, options: { batchSize: 100 } },
    { label: 'c=1, batch 1000', concurrency: 1, options: { batchSize: 1000 } },
  ],
  latencyVariant: {
    label: 'c=10, batch 100, 0.5 s poll',
    concurrency: 10,
    options: { batchSize: 100 },
  },
  recoveryVariants: [
    {
      label: 'defaults (expireIn 15 min, maintenance every 2 min)',
      kind: 'computed',
      text: '900–1020 (computed)',
      lowerBoundSeconds: 900,
      note: 'expiry after 15 min, found by the next maintenance run (every 2 min), then the next 2 s poll',
    },
    {
      label: 'expireInSeconds 1, maintenanceIntervalSeconds 1',
      kind: 'measured',
      worker: {
        label: 'aggressive',
        concurrency: 1,
        options: { batchSize: 1, expireInSeconds: 1, maintenanceIntervalSeconds: 1 },
      },
      timeoutMs: 30_000,
    },
  ],
};
