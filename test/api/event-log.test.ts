import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/api/event-log.js';

describe('EventLog', () => {
  it('numbers events, keeps the newest, and replays what came after an id', () => {
    const log = new EventLog(3);
    for (let i = 1; i <= 5; i++) log.append('job:started', i, { data: { i } });
    expect(log.lastId).toBe(5);
    expect(log.since(3).map((e) => e.id)).toEqual([4, 5]);
    expect(log.since(0).map((e) => e.id)).toEqual([3, 4, 5]);
  });

  it('replays the whole ring to an id from a previous run of the server', () => {
    const log = new EventLog(10);
    log.append('a', 1);
    log.append('b', 2);
    expect(log.since(999).map((e) => e.type)).toEqual(['a', 'b']);
  });

  it('redacts what it is given once, when it is appended', () => {
    const log = new EventLog();
    const seen: unknown[] = [];
    log.subscribe((event) => seen.push(event));
    const event = log.append('job:failed', 1, {
      data: { error: 'token=abc123secret for ops@example.com' },
    });
    expect(JSON.stringify(event)).not.toMatch(/abc123secret|ops@example\.com/);
    expect(seen).toEqual([event]);
  });
});
