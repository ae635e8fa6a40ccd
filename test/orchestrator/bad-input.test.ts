import { describe, expect, it } from 'vitest';
import { isOrchestratorError } from '../../src/core/errors.js';
import { createMegaMind } from '../../src/app/mega-mind.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';
import type { Json } from '../../src/core/types.js';

describe('bad database options', () => {
  it.each([
    ['mysql://root@127.0.0.1/test', 'unsupported database "mysql://root@127.0.0.1/test"'],
    ['postgres://', 'database URL names no host'],
    ['postgres://user:hunter2@[bad/x', 'database URL is malformed: postgres://user:***@[bad/x'],
    ['   ', 'database must be a postgres:// URL or a SQLite file path'],
  ])('refuses %j with a clear error', (database, message) => {
    let thrown: unknown;
    try {
      createMegaMind({ database });
    } catch (error) {
      thrown = error;
    }
    expect(isOrchestratorError(thrown) && thrown.code).toBe('ERR_INVALID_DATABASE_URL');
    expect((thrown as Error).message).toContain(message);
    expect((thrown as Error).message).not.toContain('hunter2');
  });

  it('names the unreachable PostgreSQL server without its password', async () => {
    const mm = createMegaMind({ database: 'postgres://app:s3cret@127.0.0.1:1/nowhere' });
    mm.define('noop', { run: () => null });
    const error = await mm.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_DATABASE_UNREACHABLE' });
    expect((error as Error).message).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere/,
    );
    expect((error as Error).message).not.toContain('s3cret');
    await mm.stop();
  });

  it.each([
    [{ leaseMs: -5 }, 'leaseMs must be a number of milliseconds greater than 0, got -5'],
    [
      { leaseMs: 1000, heartbeatIntervalMs: 1000 },
      'heartbeatIntervalMs (1000) must be shorter than leaseMs (1000)',
    ],
    [{ leaseMS: 1000 }, 'unknown option "leaseMS" (known: database, schema, store, leaseMs,'],
    [{ maxPayloadBytes: 0 }, 'maxPayloadBytes must be a whole number of bytes > 0'],
  ])('refuses engine options %j', (options, message) => {
    expect(() => createMegaMind({ database: ':memory:', ...options })).toThrow(message);
  });
});

describe.each(ENGINES)('bad job input (%s)', (engine) => {
  it('refuses an unknown job type, naming the defined ones', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await expect(mm.enqueue('rendr', {})).rejects.toMatchObject({
      code: 'ERR_UNKNOWN_JOB_TYPE',
      message: 'unknown job type "rendr" (known: render)',
    });
  });

  it.each([
    [{ when: new Date(0) }, 'payload.when is a Date, not a plain object'],
    [{ run: () => 1 }, 'payload.run is a function'],
    [{ big: 10n }, 'payload.big is a BigInt'],
    [{ ratio: Number.NaN }, 'payload.ratio is NaN, which JSON cannot represent'],
    [[1, undefined], 'payload[1] is undefined'],
  ])('refuses a payload that is not JSON: %o', async (payload, message) => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await expect(mm.enqueue('render', payload as never)).rejects.toMatchObject({
      code: 'ERR_PAYLOAD_NOT_SERIALIZABLE',
      message: `${message}; payload must be plain JSON`,
    });
    expect(await mm.listJobs()).toEqual([]);
  });

  it('refuses a cyclic payload', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    await expect(mm.enqueue('render', cyclic as never)).rejects.toThrow(
      'payload.self refers back to itself (a cycle)',
    );
  });

  it('refuses negative delays and bad options, and stores none of a bad batch', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await expect(mm.enqueue('render', {}, { delayMs: -1 })).rejects.toThrow(
      'delayMs must be a number of milliseconds >= 0, got -1',
    );
    await expect(mm.enqueue('render', {}, { maxAttempts: 0 })).rejects.toThrow(
      'maxAttempts must be a whole number from 1 to 1000',
    );
    await expect(mm.enqueue('render', {}, { priority: 1.5 })).rejects.toThrow(
      'priority must be a whole number',
    );
    await expect(mm.enqueue('render', {}, { runAt: new Date('nope') })).rejects.toThrow(
      'runAt must be a valid Date',
    );
    await expect(
      mm.enqueueMany([
        { type: 'render', payload: 1 },
        { type: 'render', payload: 2, options: { idempotencyKey: '' } },
      ]),
    ).rejects.toThrow('item 1: idempotencyKey must be a non-empty string');
    expect(await mm.listJobs()).toEqual([]);
  });

  it('refuses bad job type definitions, naming the field', async () => {
    const { mm } = await createTestEngine(engine);
    expect(() => mm.define('x', { run: () => null, concurrency: 0 })).toThrow(
      'job type "x": concurrency must be a whole number greater than 0',
    );
    expect(() => mm.define('bad name!', { run: () => null })).toThrow(
      'job type must be 1-128 letters',
    );
    expect(() => mm.define('y', {} as never)).toThrow(
      'job type "y" needs a run(payload, ctx) function',
    );
    expect(() =>
      mm.define('z', {
        run: () => null,
        knobs: { model: { kind: 'choice', default: 'x', options: ['a'] } },
      }),
    ).toThrow('job type "z" knob "model": default "x" must be one of its options');
    mm.define('ok', { run: () => null });
    expect(() => mm.define('ok', { run: () => null })).toThrow('job type "ok" is already defined');
  });

  it.each([
    [{ text: 'nul\u0000' }, 'payload.text contains a \\u0000 character'],
    [{ text: 'half \ud83d' }, 'payload.text contains a lone UTF-16 surrogate'],
    [{ ['k\u0000']: 1 }, 'a key of payload contains a \\u0000 character'],
  ])(
    'refuses text PostgreSQL cannot store, the same way on both engines: %o',
    async (payload, message) => {
      const { mm } = await createTestEngine(engine);
      mm.define('render', { run: () => null });
      await expect(mm.enqueue('render', payload)).rejects.toMatchObject({
        code: 'ERR_PAYLOAD_NOT_SERIALIZABLE',
        message: `${message}; payload must be plain JSON`,
      });
      expect(await mm.listJobs()).toEqual([]);
    },
  );

  it('refuses 10,000-deep nesting with a clear error, not a RangeError', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    let deep: Json = 1;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    await expect(mm.enqueue('render', deep)).rejects.toMatchObject({
      code: 'ERR_PAYLOAD_NOT_SERIALIZABLE',
      message: `payload${'[0]'.repeat(100)} nests deeper than 100 levels; payload must be plain JSON`,
    });
  });

  it('refuses a payload over the size limit (1 MiB by default, configurable)', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    const big = 'x'.repeat(1024 * 1024);
    await expect(mm.enqueue('render', big)).rejects.toMatchObject({
      code: 'ERR_PAYLOAD_TOO_LARGE',
      message: 'payload is 1048578 bytes as JSON, more than the limit of 1048576 bytes',
    });
    const { mm: small } = await createTestEngine(engine, { maxPayloadBytes: 100 });
    small.define('render', { run: () => null });
    await expect(small.enqueue('render', 'y'.repeat(99))).rejects.toThrow(
      'payload is 101 bytes as JSON, more than the limit of 100 bytes',
    );
    expect(await small.enqueue('render', 'y'.repeat(98))).toMatchObject({ status: 'queued' });
  });

  it('refuses a due time no engine can store or reach', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await expect(mm.enqueue('render', {}, { runAt: 1e20 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message:
        'runAt must be a time from 1970 to 9999 (ms since the epoch), got 100000000000000000000',
    });
    await expect(mm.enqueue('render', {}, { delayMs: 1e300 })).rejects.toThrow(
      'runAt must be a time from 1970 to 9999',
    );
    await expect(mm.enqueue('render', {}, { runAt: -1 })).rejects.toThrow(
      'runAt must be a time from 1970 to 9999',
    );
    expect(await mm.listJobs()).toEqual([]);
  });

  it('refuses a misspelt option, naming it', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await expect(mm.enqueue('render', {}, { delay: 60_000 } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message:
        'unknown option "delay" (known: runAt, delayMs, priority, idempotencyKey, idempotencyTtlMs, db, maxAttempts, knobs)',
    });
    await expect(
      mm.enqueueMany([{ type: 'render', payload: 1, option: {} } as never]),
    ).rejects.toThrow('unknown option "option" (known: type, payload, options)');
    expect(await mm.listJobs()).toEqual([]);
  });

  it('refuses a list limit either engine would read differently', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await mm.enqueue('render');
    for (const limit of [-1, 0, 1.5, 10_001]) {
      await expect(mm.listJobs({ limit })).rejects.toMatchObject({
        code: 'ERR_INVALID_ARGUMENT',
        message: `limit must be a whole number from 1 to 10000, got ${limit}`,
      });
    }
    await expect(mm.listJobs({ offset: -1 })).rejects.toThrow(
      'offset must be a whole number >= 0, got -1',
    );
    await expect(mm.listJobs({ status: 'done' as never })).rejects.toThrow(
      'status must be one of queued, running, completed, failed, cancelled, got "done"',
    );
    expect(await mm.listJobs({ limit: 1 })).toHaveLength(1);
  });

  it('refuses a stage with progress outside 0-100 inside a handler', async () => {
    const { mm } = await createTestEngine(engine);
    let error: unknown;
    mm.define('render', {
      maxAttempts: 1,
      run: (_p, ctx) =>
        ctx.stage('Rendering', 140).catch((e: unknown) => {
          error = e;
        }),
    });
    await mm.enqueue('render');
    await mm.start();
    await expect.poll(() => error).toBeDefined();
    expect(error).toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: 'progress must be a number from 0 to 100, got 140',
    });
  });
});
