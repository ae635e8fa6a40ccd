import { describe, expect, it, vi } from 'vitest';
import type { Json } from '../../src/core/types.js';
import { WriteBatcher } from '../../src/orchestrator/write-batcher.js';
import type { CompletionWrite } from '../../src/store/store.js';
import { createTestEngine } from '../helpers/engines.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const cyclic: Record<string, unknown> = { name: 'loop' };
cyclic.self = cyclic;

// What a handler might return that no store can hold; each beside 49 innocent jobs.
const POISON: [string, unknown, string][] = [
  ['a BigInt', { total: 10n }, 'result.total is a BigInt'],
  ['a cycle', cyclic, 'result.self refers back to itself (a cycle)'],
  ['a \\u0000', { text: 'nul\u0000byte' }, 'result.text contains a \\u0000 character'],
  [
    'a lone surrogate',
    { text: 'half \ud83d emoji' },
    'result.text contains a lone UTF-16 surrogate',
  ],
  ['a Date', { at: new Date(0) }, 'result.at is a Date, not a plain object'],
];

describe.each(ENGINES)('poison results (%s)', (engine) => {
  it.each(POISON)(
    'one result with %s fails its own job once; the 49 finishing beside it complete',
    async (_what, poison, message) => {
      const { mm } = await createTestEngine(engine, { leaseMs: 2000 });
      mm.define('mixed', {
        concurrency: 10,
        run: (payload) => (payload === 'poison' ? poison : { ok: payload }) as Json,
      });
      const jobs = await mm.enqueueMany([
        ...Array.from({ length: 25 }, (_, i) => ({ type: 'mixed', payload: i })),
        { type: 'mixed', payload: 'poison' },
        ...Array.from({ length: 24 }, (_, i) => ({ type: 'mixed', payload: 25 + i })),
      ]);
      await mm.start();
      await vi.waitFor(
        async () =>
          expect(
            (await mm.store.countJobs({ status: 'queued' })) +
              (await mm.store.countJobs({ status: 'running' })),
          ).toBe(0),
        {
          timeout: 20_000,
        },
      );
      const poisoned = jobs[25]!;
      expect(await mm.getJob(poisoned.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        result: null,
        lastError: {
          code: 'ERR_RESULT_NOT_SERIALIZABLE',
          message: `job ${poisoned.id} returned a result that cannot be stored: ${message}; result must be plain JSON`,
        },
      });
      const innocent = jobs.filter((job) => job.id !== poisoned.id);
      for (const job of innocent)
        expect(await mm.getJob(job.id)).toMatchObject({ status: 'completed', attempts: 1 });
      expect(await mm.store.countJobs({ status: 'completed' })).toBe(49);
    },
  );

  it('stores an error whose message has \\u0000 and lone surrogates, cleaned, without failing its neighbours', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('throws', {
      concurrency: 10,
      maxAttempts: 1,
      run: (payload) => {
        if (payload === 'bad')
          throw Object.assign(new Error('upstream said \u0000 and \udc00'), { code: 'E\u0000X' });
        return payload;
      },
    });
    const jobs = await mm.enqueueMany([
      { type: 'throws', payload: 'bad' },
      ...Array.from({ length: 20 }, (_, i) => ({ type: 'throws', payload: i })),
    ]);
    await mm.start();
    await vi.waitFor(
      async () => expect(await mm.store.countJobs({ status: 'completed' })).toBe(20),
      { timeout: 20_000 },
    );
    await vi.waitFor(async () =>
      expect(await mm.getJob(jobs[0]!.id)).toMatchObject({
        status: 'failed',
        lastError: { message: 'upstream said \ufffd and \ufffd', code: 'E\ufffdX' },
      }),
    );
  });

  it('a batch the database refuses is split: each write lands or fails on its own', async () => {
    const { store } = await createTestStore(engine);
    await store.insertJobs(
      Array.from({ length: 10 }, (_, i) => ({
        type: 't',
        payload: i,
        priority: 0,
        runAt: 0,
        maxAttempts: 3,
        idempotencyKey: null,
        knobs: {},
      })),
      1,
    );
    const claimed = await store.claimJobs({
      types: ['t'],
      owner: 'w',
      leaseMs: 60_000,
      limit: 10,
      now: 1,
    });
    const errors: unknown[] = [];
    const batcher = new WriteBatcher<CompletionWrite>({
      send: (w) => store.completeJobs(w, 2),
      onError: (e) => errors.push(e),
      now: () => 2,
    });
    // The bad write is retried on its own until its lease "ends": after a few refusals.
    const leaseEnd = { deadline: () => (errors.length >= 3 ? 0 : 60_000) };
    // Past validation (as from a custom worker): a BigInt makes the whole statement throw on both engines.
    const results = await Promise.all(
      claimed.map((job, i) => {
        const result = (i === 3 ? { n: 1n } : i) as Json;
        return batcher.push(
          { id: job.id, token: job.leaseToken, result },
          i === 3 ? leaseEnd : { deadline: () => 60_000 },
        );
      }),
    );
    expect(results.filter(Boolean)).toHaveLength(9);
    expect(results[3]).toBe(false);
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(await store.countJobs({ status: 'completed' })).toBe(9);
  });
});
