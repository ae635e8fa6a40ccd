import { describe, expect, it } from 'vitest';
import { clearClockTimeout, clockTimeout, ManualClock } from '../src/core/clock.js';

describe('ManualClock', () => {
  it('fires timers as time passes, in due order, with the clock at each due time', () => {
    const clock = new ManualClock(1000);
    const fired: [string, number][] = [];
    clockTimeout(clock, () => fired.push(['b', clock.now()]), 200);
    clockTimeout(
      clock,
      () => {
        fired.push(['a', clock.now()]);
        // A timer set by a timer fires in the same advance when it falls due within it.
        clockTimeout(clock, () => fired.push(['c', clock.now()]), 150);
      },
      100,
    );
    const cancelled = clockTimeout(clock, () => fired.push(['x', clock.now()]), 50);
    clearClockTimeout(clock, cancelled);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(500);
    expect(fired).toEqual([
      ['a', 1100],
      ['b', 1200],
      ['c', 1250],
    ]);
    expect(clock.now()).toBe(1599);
    expect(clock.pendingTimers).toBe(0);
  });

  it('falls back to real timers for a clock with only now()', async () => {
    const clock = { now: () => Date.now() };
    const fired = await new Promise<boolean>((resolve) =>
      clockTimeout(clock, () => resolve(true), 1),
    );
    expect(fired).toBe(true);
  });
});
