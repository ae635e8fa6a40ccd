import { describe, expect, it } from 'vitest';
import { isOrchestratorError } from '../../src/core/errors.js';
import { createMegaMind } from '../../src/app/mega-mind.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

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
    expect((error as Error).message).toMatch(/cannot connect to PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/nowhere/);
    expect((error as Error).message).not.toContain('s3cret');
    await mm.stop();
  });

  it.each([
    [{ leaseMs: -5 }, 'leaseMs must be a number of milliseconds greater than 0, got -5'],
    [{ leaseMs: 1000, heartbeatIntervalMs: 1000 }, 'heartbeatIntervalMs (1000) must be shorter than leaseMs (1000)'],
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
    await expect(mm.enqueue('render', payload as never)).rejects.toMatchObject({ code: 'ERR_PAYLOAD_NOT_SERIALIZABLE', message: `${message}; payload must be plain JSON` });
    expect(await mm.listJobs()).toEqual([]);
  });

  it('refuses a cyclic payload', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    await expect(mm.enqueue('render', cyclic as never)).rejects.toThrow('payload.self refers back to itself (a cycle)');
  });

  it('refuses negative delays and bad options, and stores none of a bad batch', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('render', { run: () => null });
    await expect(mm.enqueue('render', {}, { delayMs: -1 })).rejects.toThrow('delayMs must be a number of milliseconds >= 0, got -1');
    await expect(mm.enqueue('render', {}, { maxAttempts: 0 })).rejects.toThrow('maxAttempts must be a whole number from 1 to 1000');
    await expect(mm.enqueue('render', {}, { priority: 1.5 })).rejects.toThrow('priority must be a whole number');
    await expect(mm.enqueue('render', {}, { runAt: new Date('nope') })).rejects.toThrow('runAt must be a valid Date');
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
    expect(() => mm.define('x', { run: () => null, concurrency: 0 })).toThrow('job type "x": concurrency must be a whole number greater than 0');
    expect(() => mm.define('bad name!', { run: () => null })).toThrow('job type must be 1-128 letters');
    expect(() => mm.define('y', {} as never)).toThrow('job type "y" needs a run(payload, ctx) function');
    expect(() =>
      mm.define('z', { run: () => null, knobs: { model: { kind: 'choice', default: 'x', options: ['a'] } } }),
    ).toThrow('job type "z" knob "model": default "x" must be one of its options');
    mm.define('ok', { run: () => null });
    expect(() => mm.define('ok', { run: () => null })).toThrow('job type "ok" is already defined');
  });

  it('refuses a stage with progress outside 0-100 inside a handler', async () => {
    const { mm } = await createTestEngine(engine);
    let error: unknown;
    mm.define('render', { maxAttempts: 1, run: (_p, ctx) => ctx.stage('Rendering', 140).catch((e: unknown) => { error = e; }) });
    await mm.enqueue('render');
    await mm.start();
    await expect.poll(() => error).toBeDefined();
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: 'progress must be a number from 0 to 100, got 140' });
  });
});
