import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMegaMind } from '../../src/index.js';
import type { Json, MegaMind, MegaMindOptions } from '../../src/index.js';
import { PG_URL } from './adapter.js';
import type {
  JobHandler,
  JobPayload,
  Producer,
  SystemAdapter,
  SystemName,
  WorkerHandle,
  WorkerVariant,
} from './adapter.js';

const SCHEMA = 'mm_bench';
const TYPE = 'noop';
const SQLITE_FILE = process.env.BENCH_SQLITE_FILE ?? join(tmpdir(), 'megamind-bench.db');

// Payloads never hold `undefined` values (optional fields are absent), so they are valid Json.
const asJson = (payload: JobPayload): Json => payload as unknown as Json;

function openMegaMind(engine: 'pg' | 'sqlite', options: MegaMindOptions): MegaMind {
  const database =
    engine === 'pg' ? { database: PG_URL, schema: SCHEMA } : { database: SQLITE_FILE };
  return createMegaMind({ ...database, ...options });
}

class MegaMindProducer implements Producer {
  readonly #mm: MegaMind;

  constructor(mm: MegaMind) {
    this.#mm = mm;
  }

  async enqueueMany(payloads: JobPayload[]): Promise<void> {
    await this.#mm.enqueueMany(
      payloads.map((payload) => ({ type: TYPE, payload: asJson(payload) })),
    );
  }

  async enqueueOne(payload: JobPayload): Promise<void> {
    await this.#mm.enqueue(TYPE, asJson(payload));
  }

  async close(): Promise<void> {
    await this.#mm.stop();
  }
}

function megamindAdapter(engine: 'pg' | 'sqlite'): SystemAdapter {
  const name: SystemName = engine === 'pg' ? 'megamind-pg' : 'megamind-sqlite';
  return {
    name,
    title: engine === 'pg' ? 'Mega Mind (PG)' : 'Mega Mind (SQLite)',
    reportsCompletions: true,

    async reset() {
      if (engine === 'pg') {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop schema if exists ${SCHEMA} cascade`);
        await client.end();
      } else {
        await Promise.all(
          ['', '-wal', '-shm'].map((suffix) => rm(SQLITE_FILE + suffix, { force: true })),
        );
      }
    },

    async createProducer() {
      const mm = openMegaMind(engine, {});
      mm.define(TYPE, { run: async () => {} });
      await mm.ready(); // migrations are not part of any measurement
      return new MegaMindProducer(mm);
    },

    async createWorker(
      variant: WorkerVariant,
      handler: JobHandler,
      onCompleted: () => void,
    ): Promise<WorkerHandle> {
      const mm = openMegaMind(engine, variant.options);
      mm.define(TYPE, {
        concurrency: variant.concurrency,
        run: (payload) => handler(payload as unknown as JobPayload),
      });
      mm.on('job:completed', onCompleted);
      mm.on('worker:error', (err) => console.error(`megamind worker error: ${err.message}`));
      await mm.ready();
      return {
        start: () => mm.start(),
        stop: () => mm.stop(),
      };
    },

    drainVariants: [
      { label: 'c=10', concurrency: 10, options: {} },
      { label: 'c=1', concurrency: 1, options: {} },
    ],
    latencyVariant: { label: 'defaults', concurrency: 10, options: {} },
    recoveryVariants: [
      {
        label: 'defaults (leaseMs 10 s)',
        kind: 'measured',
        worker: { label: 'defaults', concurrency: 1, options: {} },
        timeoutMs: 60_000,
      },
      {
        label: 'leaseMs 1 s, pollIntervalMs 100',
        kind: 'measured',
        worker: {
          label: 'aggressive',
          concurrency: 1,
          options: { leaseMs: 1000, pollIntervalMs: 100 },
        },
        timeoutMs: 30_000,
      },
    ],
  };
}

export const megamindPgAdapter = megamindAdapter('pg');
export const megamindSqliteAdapter = megamindAdapter('sqlite');
