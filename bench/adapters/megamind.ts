import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
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

/** The slice of Mega Mind's public API the benchmark uses. */
interface MegaMindLike {
  define(type: string, spec: { concurrency?: number; run: (payload: JobPayload) => Promise<void> }): void;
  enqueue(type: string, payload: JobPayload): Promise<unknown>;
  enqueueMany(jobs: { type: string; payload: JobPayload }[]): Promise<unknown>;
  start(): Promise<void>;
  stop(): Promise<void>;
  on(event: 'job:completed', listener: () => void): unknown;
}
type CreateMegaMind = (options: Record<string, unknown>) => MegaMindLike;

// Imported lazily so the peers can be measured on a branch where Mega Mind does not exist yet.
async function createMegaMind(engine: 'pg' | 'sqlite', options: Record<string, number>): Promise<MegaMindLike> {
  const mod = (await import('../../src/index.js' as string)) as { createMegaMind: CreateMegaMind };
  const database = engine === 'pg' ? { database: PG_URL, schema: SCHEMA } : { database: SQLITE_FILE };
  return mod.createMegaMind({ ...database, ...options });
}

class MegaMindProducer implements Producer {
  readonly #mm: MegaMindLike;

  constructor(mm: MegaMindLike) {
    this.#mm = mm;
  }

  async enqueueMany(payloads: JobPayload[]): Promise<void> {
    await this.#mm.enqueueMany(payloads.map((payload) => ({ type: TYPE, payload })));
  }

  async enqueueOne(payload: JobPayload): Promise<void> {
    await this.#mm.enqueue(TYPE, payload);
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
        await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(SQLITE_FILE + suffix, { force: true })));
      }
    },

    async createProducer() {
      const mm = await createMegaMind(engine, {});
      mm.define(TYPE, { run: async () => {} });
      return new MegaMindProducer(mm);
    },

    async createWorker(variant: WorkerVariant, handler: JobHandler, onCompleted: () => void): Promise<WorkerHandle> {
      const mm = await createMegaMind(engine, variant.options);
      mm.define(TYPE, { concurrency: variant.concurrency, run: handler });
      mm.on('job:completed', onCompleted);
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
        worker: { label: 'aggressive', concurrency: 1, options: { leaseMs: 1000, pollIntervalMs: 100 } },
        timeoutMs: 30_000,
      },
    ],
  };
}

export const megamindPgAdapter = megamindAdapter('pg');
export const megamindSqliteAdapter = megamindAdapter('sqlite');
