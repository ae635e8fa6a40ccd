import { describe, expect, it } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import { ResourceBreakers } from '../../src/heal/guards/resource-breakers.js';
import type { HealerOptions } from '../../src/heal/healer-options.js';
import { createTestEngine, settledJob } from '../helpers/engines.js';
import { callUpstream, startFaultServer } from '../helpers/fault-server.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

describe.each(ENGINES)('healer limits shared by every process (%s)', (engine) => {
  it("counts a resource's failures in a row across processes, and a success in either starts them again", async () => {
    const { store, db } = await createTestStore(engine);
    const other = db.open();
    await other.migrate();
    const options = { threshold: 4 };
    const here = new ResourceBreakers(store, () => [], options);
    const there = new ResourceBreakers(other, () => [], options);
    // Two failures in each process: four in a row on the resource, so both may open its breaker.
    await here.failed('openai', T0);
    await there.failed('openai', T0 + 1);
    await here.failed('openai', T0 + 2);
    expect(here.tripped('openai')).toBe(false);
    await there.failed('openai', T0 + 3);
    expect(there.tripped('openai')).toBe(true);
    // A process that has not seen the fourth knows it at its next failure.
    await here.failed('openai', T0 + 4);
    expect(here.tripped('openai')).toBe(true);
    // A success in the other process ends the streak for both.
    await there.succeeded('openai', T0 + 5);
    await here.failed('openai', T0 + 6);
    expect(here.tripped('openai')).toBe(false);
    // A process that saw no streak still resets the shared one, at most once a second.
    await here.succeeded('openai', T0 + 7);
    for (let i = 0; i < 4; i++) await there.failed('openai', T0 + 8 + i);
    expect(there.tripped('openai')).toBe(true);
    await here.succeeded('openai', T0 + 500);
    await there.failed('openai', T0 + 501);
    expect(there.tripped('openai')).toBe(true);
    await here.succeeded('openai', T0 + 1100);
    await there.failed('openai', T0 + 1101);
    expect(there.tripped('openai')).toBe(false);
    await other.close();
  });

  it("escalates a pattern's first failure in a second engine once the first engine's failed heals exceed the intensity limit", async () => {
    const upstream = await startFaultServer();
    upstream.route('/down', () => ({ status: 503, body: 'down' }));
    const heal: HealerOptions = {
      backoff: { initialDelayMs: 5, maxDelayMs: 20 },
      random: 4,
      intensity: { maxFailures: 2, windowMs: 60_000 },
      giveUpAfter: 1000,
    };
    const define = (mm: MegaMind) =>
      mm.define('sync', {
        maxAttempts: 20,
        concurrency: 1,
        run: (_p, ctx) => callUpstream(`${upstream.url}/down`, ctx.signal),
      });
    const { mm: first, db } = await createTestEngine(engine, { heal });
    const { mm: second } = await createTestEngine(engine, { heal }, db);
    define(first);
    define(second);
    await first.ready();
    await second.ready();
    const one = await first.enqueue('sync');
    await first.start();
    expect((await settledJob(first, one.id)).lastError?.escalation).toMatch(/intensity window/);
    await first.stop();

    // The second engine never healed this pattern: it honours the failures the first one counted.
    const two = await second.enqueue('sync');
    await second.start();
    const done = await settledJob(second, two.id);
    expect(done.lastError?.escalation).toMatch(/intensity window/);
    expect(done.attempts).toBe(1);
    const rows = await second.improvements({ jobId: two.id });
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([['escalate', 'abandoned']]);
  });
});
