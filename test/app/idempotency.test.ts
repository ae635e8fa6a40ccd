import { describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/core/clock.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

describe.each(ENGINES)('idempotency keys (%s)', (engine) => {
  it('are scoped per job type', async () => {
    const { mm } = await createTestEngine(engine);
    mm.define('send-email', { run: () => null }).define('charge-card', { run: () => null });
    const email = await mm.enqueue(
      'send-email',
      { to: 'ada@example.com' },
      { idempotencyKey: 'order-42' },
    );
    const charge = await mm.enqueue('charge-card', { cents: 900 }, { idempotencyKey: 'order-42' });
    expect(charge.id).not.toBe(email.id);
    expect(
      (await mm.enqueue('send-email', { to: 'other@example.com' }, { idempotencyKey: 'order-42' }))
        .id,
    ).toBe(email.id);
    expect(await mm.countJobs()).toBe(2);
  });

  it('stop deduplicating after their time-to-live, on the injected clock', async () => {
    const clock = new ManualClock();
    const { mm } = await createTestEngine(engine, { clock });
    mm.define('send-digest', { run: () => null });
    const first = await mm.enqueue('send-digest', null, {
      idempotencyKey: 'digest',
      idempotencyTtlMs: 10 * MINUTE,
    });
    clock.advance(10 * MINUTE - 1);
    expect(
      (
        await mm.enqueue('send-digest', null, {
          idempotencyKey: 'digest',
          idempotencyTtlMs: 10 * MINUTE,
        })
      ).id,
    ).toBe(first.id);
    clock.advance(1);
    const second = await mm.enqueue('send-digest', null, {
      idempotencyKey: 'digest',
      idempotencyTtlMs: 10 * MINUTE,
    });
    expect(second.id).not.toBe(first.id);
    expect(second.idempotencyKey).toBe('digest');
    expect(await mm.getJob(first.id)).toMatchObject({ idempotencyKey: null });
    await expect(mm.enqueue('send-digest', null, { idempotencyTtlMs: 5 })).rejects.toThrow(
      'idempotencyTtlMs needs an idempotencyKey',
    );
  });
});
