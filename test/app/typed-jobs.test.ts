import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createMegaMind, type MegaMind } from '../../src/app/mega-mind.js';
import { createMegaMindClient, type MegaMindClient } from '../../src/app/client.js';
import type { Job } from '../../src/core/types.js';
import { createTestEngine, waitForEvents } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

// An interface, as applications write them: no index signature, so not assignable to `Json`.
interface GenerateApp {
  prompt: string;
  pages?: number;
}

interface Jobs {
  'generate-app': {
    payload: GenerateApp;
    result: { url: string };
    knobs: { model: 'gpt-4o' | 'gpt-4o-mini' };
  };
  'send-email': { payload: { to: string } };
  cleanup: { payload: null };
}

describe('typed jobs (checked by tsc in npm test)', () => {
  // Compile-time only: tsc (npm run typecheck) fails on any line below that stops compiling, and on
  // any @ts-expect-error line that starts compiling. The functions are never called.
  it('checks payloads, knobs and results of a job map at compile time', () => {
    expectTypeOf(typedChecks).toBeFunction();
  });

  it('infers the payload from a zod schema, and keeps untyped engines as they were', () => {
    expectTypeOf(untypedChecks).toBeFunction();
  });
});

function typedChecks(mm: MegaMind<Jobs>, client: MegaMindClient<Jobs>): void {
  mm.define('generate-app', {
    run: (payload, ctx) => {
      expectTypeOf(payload).toEqualTypeOf<GenerateApp>();
      expectTypeOf(ctx.knobs.model).toEqualTypeOf<'gpt-4o' | 'gpt-4o-mini'>();
      return { url: `https://apps.example.com/${payload.prompt}` };
    },
  });
  // @ts-expect-error -- the handler must return the declared result
  mm.define('generate-app', { run: () => ({ link: 'x' }) });

  expectTypeOf(
    mm.enqueue('generate-app', { prompt: 'todo app' }, { knobs: { model: 'gpt-4o-mini' } }),
  ).resolves.toEqualTypeOf<Job<GenerateApp, { url: string }>>();
  // @ts-expect-error -- a wrong payload does not compile
  void mm.enqueue('generate-app', { prompt: 42 });
  // @ts-expect-error -- neither does a missing one
  void mm.enqueue('send-email');
  // @ts-expect-error -- nor an unknown type
  void mm.enqueue('send-emial', { to: 'ada@example.com' });
  // @ts-expect-error -- nor a knob value outside the declared ones
  void mm.enqueue('generate-app', { prompt: 'x' }, { knobs: { model: 'gpt-5' } });
  // A type whose payload is null needs none.
  void mm.enqueue('cleanup');
  void mm.enqueueMany([
    { type: 'send-email', payload: { to: 'ada@example.com' } },
    // @ts-expect-error -- items are checked one by one
    { type: 'send-email', payload: { to: 7 } },
  ]);

  // @ts-expect-error -- the client without handlers checks the same map
  void client.enqueue('generate-app', { pages: 3 });
  expectTypeOf(createMegaMind<Jobs>).returns.toEqualTypeOf<MegaMind<Jobs>>();
  expectTypeOf(createMegaMindClient<Jobs>).returns.toEqualTypeOf<MegaMindClient<Jobs>>();
}

function untypedChecks(mm: MegaMind): void {
  mm.define('resize', {
    payloadSchema: z.object({ url: z.url(), width: z.number().int().positive() }),
    run: (payload) => {
      expectTypeOf(payload).toEqualTypeOf<{ url: string; width: number }>();
      return null;
    },
  });
  mm.define<{ to: string }>('send-email', { run: (payload) => ({ sentTo: payload.to }) });
  void mm.enqueue('anything', { free: ['form', 1, null] });
}

describe.each(ENGINES)('payload schemas (%s)', (engine) => {
  const schema = z.object({
    prompt: z.string().min(1),
    pages: z.array(z.object({ title: z.string() })).default([]),
  });

  it('refuses a payload that does not fit at enqueue, naming the path, and stores nothing', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('generate-app', { payloadSchema: schema, run: () => null });
    await expect(
      mm.enqueue('generate-app', {
        prompt: 'todo',
        pages: [{ title: 'Home' }, { title: 7 }],
      } as never),
    ).rejects.toMatchObject({
      code: 'ERR_INVALID_PAYLOAD',
      message:
        'payload of "generate-app" does not fit its schema: payload.pages[1].title: Invalid input: expected string, received number',
    });
    await expect(
      mm.enqueueMany([
        { type: 'generate-app', payload: { prompt: 'ok' } },
        { type: 'generate-app', payload: { prompt: '' } },
      ]),
    ).rejects.toThrow(
      /^item 1: payload of "generate-app" does not fit its schema: payload\.prompt: /,
    );
    expect(await mm.countJobs()).toBe(0);
  });

  it('gives the handler the parsed payload, and fails at once a stored payload that does not fit', async () => {
    const { mm, db } = await createTestEngine(engine);
    const seen: unknown[] = [];
    mm.define('generate-app', {
      payloadSchema: schema,
      maxAttempts: 3,
      run: (payload) => void seen.push(payload),
    });
    const good = await mm.enqueue('generate-app', { prompt: 'todo' });
    // Written by something that skipped the schema: another service, an older version, SQL.
    const other = db.open();
    const [bad] = await other.insertJobs(
      [
        {
          type: 'generate-app',
          payload: { prompt: 3 },
          priority: 0,
          runAt: Date.now(),
          maxAttempts: 3,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      Date.now(),
    );
    await other.close();
    const done = Promise.all([waitForEvents(mm, 'job:completed'), waitForEvents(mm, 'job:failed')]);
    await mm.start();
    await done;
    expect(seen).toEqual([{ prompt: 'todo', pages: [] }]);
    expect(await mm.getJob(good.id)).toMatchObject({ status: 'completed' });
    expect(await mm.getJob(bad!.job.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: {
        message: expect.stringContaining(
          'payload.prompt: Invalid input: expected string, received number',
        ),
      },
    });
  });
});
