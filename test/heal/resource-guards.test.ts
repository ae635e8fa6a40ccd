import { describe, expect, it } from 'vitest';
import { ConcurrencyLimits } from '../../src/heal/guards/concurrency-limits.js';
import { ResourceBreakers } from '../../src/heal/guards/resource-breakers.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

describe.each(ENGINES)(
  'resource breakers and concurrency limits, shared through the store (%s)',
  (engine) => {
    it('opens a breaker that holds queued jobs on the resource in every process, half-opens after the cool-down, and closes on a success', async () => {
      const { store, db } = await createTestStore(engine);
      const other = db.open();
      await other.migrate();
      const typesUsing = (resource: string) =>
        resource === 'payments' ? ['charge', 'refund'] : [];
      const here = new ResourceBreakers(store, typesUsing, {
        cooldownMs: 1000,
        maxCooldownMs: 4000,
      });
      const there = new ResourceBreakers(other, typesUsing, {
        cooldownMs: 1000,
        maxCooldownMs: 4000,
      });
      const row = (type: string) => ({
        type,
        payload: null,
        priority: 0,
        runAt: T0,
        maxAttempts: 3,
        idempotencyKey: null,
        knobs: {},
      });
      const [charge, , unrelated] = await store.insertJobs(
        [row('charge'), row('refund'), row('email')],
        T0,
      );

      const opened = await here.open('payments', T0, 'api_failure');
      expect(opened).toEqual({ state: 'open', until: T0 + 1000, trips: 1, reason: 'api_failure' });
      // Prevention: queued jobs on the resource wait out the cool-down instead of failing on it.
      expect((await other.getJob(charge!.job.id))!.runAt).toBe(T0 + 1000);
      expect((await other.getJob(unrelated!.job.id))!.runAt).toBe(T0);
      expect(
        await store.claimJobs({
          types: ['charge', 'refund'],
          owner: 'w',
          leaseMs: 1000,
          limit: 10,
          now: T0 + 500,
        }),
      ).toEqual([]);
      // Another process sees the same breaker; opening it again inside the cool-down changes nothing.
      expect((await there.state('payments', T0 + 500)).state).toBe('open');
      expect(await there.open('payments', T0 + 500, 'api_failure')).toEqual(opened);
      expect((await there.state('payments', T0 + 1000)).state).toBe('half-open');
      // Failing again after the cool-down re-opens it for twice as long.
      expect(await there.open('payments', T0 + 1200, 'api_failure')).toMatchObject({
        state: 'open',
        until: T0 + 3200,
        trips: 2,
      });
      await here.state('payments', T0 + 3300);
      await here.succeeded('payments', T0 + 3300);
      expect(await there.state('payments', T0 + 3301)).toEqual({
        state: 'closed',
        until: 0,
        trips: 0,
        reason: null,
      });
      await other.close();
    });

    it('cuts a concurrency limit in half at once and grows it back by one per success (AIMD), for every process', async () => {
      const { store, db } = await createTestStore(engine);
      const other = db.open();
      await other.migrate();
      const limits = new ConcurrencyLimits(store);
      expect(await limits.get('crawl', 'openai')).toBeUndefined();
      expect(await limits.decrease('crawl', 'openai', 16, { floor: 1, ceiling: 16 }, T0)).toEqual({
        limit: 8,
        floor: 1,
        ceiling: 16,
      });
      expect(
        (await limits.decrease('crawl', 'openai', 16, { floor: 1, ceiling: 16 }, T0)).limit,
      ).toBe(4);
      expect((await limits.increase('crawl', 'openai', T0))!.limit).toBe(5);
      expect(await new ConcurrencyLimits(other).get('crawl', 'openai')).toEqual({
        limit: 5,
        floor: 1,
        ceiling: 16,
      });
      for (let i = 0; i < 20; i++) await limits.increase('crawl', 'openai', T0);
      expect((await limits.get('crawl', 'openai'))!.limit).toBe(16);
      expect(
        (await limits.decrease('crawl', 'openai', 1, { floor: 1, ceiling: 16 }, T0)).limit,
      ).toBe(1);
      await other.close();
    });
  },
);
