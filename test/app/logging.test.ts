import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/app/create-logger.js';
import type { Logger } from '../../src/core/logger.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { createTestDatabase, ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';

/** A pino logger writing into an array, so a test reads exactly what an operator would. */
function captured(level: 'debug' | 'info' | 'warn' = 'debug'): {
  logger: Logger;
  lines: Array<Record<string, unknown>>;
} {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level,
    destination: {
      write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>),
    },
  });
  return { logger, lines };
}

const TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;

describe('the default logger', () => {
  it('writes one JSON object per line with a level, redacting secrets in the message and in fields', () => {
    const { logger, lines } = captured('info');
    logger.debug({}, 'not at info');
    logger.warn(
      { database: 'postgres://app:hunter2@db/prod', password: 'hunter2', note: `token ${TOKEN}` },
      `pushed with ${TOKEN}`,
    );
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 40,
      name: 'megamind',
      msg: 'pushed with [REDACTED:github_token]',
      password: '[REDACTED:secret]',
    });
    expect(JSON.stringify(line)).not.toContain('hunter2');
    expect(JSON.stringify(line)).not.toContain(TOKEN);
  });

  it('refuses an unknown level, naming the levels', () => {
    expect(() => createLogger({ level: 'loud' as 'info' })).toThrow(
      'log level must be one of debug, info, warn, error, silent, got "loud"',
    );
  });
});

describe.each(ENGINES)('engine logs (%s)', (engine) => {
  it('sends a worker:error nobody listens for to the log instead of dropping it', async () => {
    const { logger, lines } = captured();
    const { mm } = await createTestEngine(engine, {
      logger,
      failureHooks: [
        { onFailure: () => Promise.reject(new Error(`healer crashed reading ${TOKEN}`)) },
      ],
    });
    mm.define('flaky', { maxAttempts: 1, run: () => Promise.reject(new Error('boom')) });
    const failed = waitForEvents(mm, 'job:failed');
    await mm.enqueue('flaky', {});
    await mm.start();
    await failed;
    const error = lines.find((line) => line.msg === 'worker error');
    expect(error).toMatchObject({
      level: 50,
      err: { message: 'healer crashed reading [REDACTED:github_token]' },
    });
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        'worker flaky started',
        expect.stringMatching(/^job flaky \S+ failed for good: boom$/),
      ]),
    );
  });

  it('logs a job recovered from a dead worker’s expired lease', async () => {
    const { logger, lines } = captured();
    const { mm, db } = await createTestEngine(engine, { logger, leaseMs: 3000 });
    mm.define('report', { run: () => null });
    const job = await mm.enqueue('report', {});
    const dead = db.open();
    const [claimed] = await dead.claimJobs({
      types: ['report'],
      owner: 'dead-worker',
      leaseMs: 1,
      limit: 1,
      now: Date.now(),
    });
    // Its handler started (the attempt is charged), then the process died.
    await dead.heartbeat(
      [{ id: job.id, token: claimed!.leaseToken, leaseMs: 1, started: true }],
      Date.now(),
    );
    await dead.close();
    const completed = waitForEvents(mm, 'job:completed');
    await mm.start();
    await completed;
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        jobId: job.id,
        msg: `recovered job report ${job.id} from an expired lease (queued again)`,
      }),
    );
  });
});

describe.runIf(ENGINES.includes('postgres'))('PostgreSQL reconnection', () => {
  it('logs when the LISTEN connection is lost and when it is back', async () => {
    const { logger, lines } = captured();
    const db = await createTestDatabase('postgres');
    // A store the engine opens itself gets the engine's logger; one passed in takes its own.
    const store = new PostgresStore({ connectionString: db.database, schema: db.schema, logger });
    const { mm } = await createTestEngine('postgres', { logger }, { ...db, open: () => store });
    mm.define('report', { run: () => null });
    await mm.start();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const channel = (mm.store as unknown as { channel: string }).channel;
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1',
        [`LISTEN "${channel}"`],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await vi.waitFor(
      () =>
        expect(lines.map((line) => line.msg)).toContain('PostgreSQL LISTEN connection restored'),
      { timeout: 10_000 },
    );
    expect(lines.map((line) => line.msg)).toContain(
      'lost the PostgreSQL LISTEN connection; reconnecting, polling meanwhile',
    );
  });
});
