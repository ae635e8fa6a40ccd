import { describe, expect, it } from 'vitest';
import { createMegaMind, type MegaMind } from '../../src/app/mega-mind.js';
import { HOUR, ManualClock } from '../../src/core/clock.js';
import { createTestDatabase, ENGINES, type TestDatabase } from '../helpers/stores.js';

/** An engine as a deployed worker runs it: the same schedules, its own connection, the shared clock. */
function worker(db: TestDatabase, clock: ManualClock): MegaMind {
  const mm = createMegaMind({ store: db.open(), clock, pollIntervalMs: 60_000 });
  mm.define('send-digest', { run: () => null });
  // 09:00 in Paris is 08:00 UTC in winter.
  mm.schedule('morning-digest', {
    type: 'send-digest',
    cron: '0 9 * * *',
    timezone: 'Europe/Paris',
    payload: { kind: 'morning' },
  });
  mm.schedule('catch-up-digest', {
    type: 'send-digest',
    cron: '0 9 * * *',
    timezone: 'Europe/Paris',
    payload: { kind: 'catch-up' },
    missed: 'all',
  });
  return mm;
}

async function stopAll(...engines: MegaMind[]): Promise<void> {
  for (const mm of engines) {
    await mm.stop();
    await mm.store.close();
  }
}

const runAts = async (mm: MegaMind, kind: string) =>
  (await mm.listJobs({ limit: 100 }))
    .filter((job) => (job.payload as { kind: string }).kind === kind)
    .map((job) => new Date(job.runAt).toISOString())
    .sort();

describe.each(ENGINES)('schedules (%s)', (engine) => {
  it('fire in their time zone, once per slot across processes, and after downtime by the missed-run policy', async () => {
    const db = await createTestDatabase(engine);
    const clock = new ManualClock(Date.parse('2026-01-05T07:00:00Z'));
    const a = worker(db, clock);
    const b = worker(db, clock);
    await a.start();
    await b.start();
    expect(await a.runDueSchedules()).toBe(0);
    expect(
      (await a.store.listSchedules()).map((s) => [s.name, new Date(s.nextRunAt).toISOString()]),
    ).toEqual([
      ['catch-up-digest', '2026-01-05T08:00:00.000Z'],
      ['morning-digest', '2026-01-05T08:00:00.000Z'],
    ]);

    // Two processes see the same slot due at the same moment: each slot is enqueued once.
    clock.set(Date.parse('2026-01-05T08:00:00Z'));
    const [fromA, fromB] = await Promise.all([a.runDueSchedules(), b.runDueSchedules()]);
    expect(fromA + fromB).toBe(2);
    expect(await runAts(a, 'morning')).toEqual(['2026-01-05T08:00:00.000Z']);
    await stopAll(a, b);

    // Down for three days; a new process starts with the same schedules.
    clock.set(Date.parse('2026-01-08T12:00:00Z'));
    const c = worker(db, clock);
    await c.start();
    expect(await c.runDueSchedules()).toBe(4);
    expect(await runAts(c, 'morning')).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-08T08:00:00.000Z',
    ]);
    expect(await runAts(c, 'catch-up')).toEqual([
      '2026-01-05T08:00:00.000Z',
      '2026-01-06T08:00:00.000Z',
      '2026-01-07T08:00:00.000Z',
      '2026-01-08T08:00:00.000Z',
    ]);
    expect(await c.runDueSchedules()).toBe(0);
    expect(new Date((await c.store.listSchedules())[1]!.nextRunAt).toISOString()).toBe(
      '2026-01-09T08:00:00.000Z',
    );
    clock.advance(24 * HOUR);
    expect(await c.runDueSchedules()).toBe(2);
    await stopAll(c);
  });

  it('repeat every interval, and refuse a bad definition naming the field', async () => {
    const db = await createTestDatabase(engine);
    const clock = new ManualClock(Date.parse('2026-01-05T07:00:00Z'));
    const mm = createMegaMind({ store: db.open(), clock, pollIntervalMs: 60_000 });
    mm.define('ping', { run: () => null });
    mm.schedule('heartbeat', { type: 'ping', everyMs: 60_000 });
    expect(() => mm.schedule('bad', { type: 'ping', cron: '61 * * * *' })).toThrow(
      'schedule "bad": CronPattern: Invalid value for minute: 61',
    );
    expect(() => mm.schedule('both', { type: 'ping', cron: '* * * * *', everyMs: 5000 })).toThrow(
      'schedule "both": give either cron or everyMs',
    );
    expect(() =>
      mm.schedule('tz', { type: 'ping', cron: '* * * * *', timezone: 'Mars/Olympus' }),
    ).toThrow(/schedule "tz": .*Mars\/Olympus/);
    await mm.start();
    clock.advance(150_000);
    expect(await mm.runDueSchedules()).toBe(1);
    clock.advance(30_000);
    expect(await mm.runDueSchedules()).toBe(1);
    expect(await mm.countJobs({ type: 'ping' })).toBe(2);
    await stopAll(mm);
  });
});
