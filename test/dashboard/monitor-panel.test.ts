import { describe, expect, it } from 'vitest';
import { MonitorPanel } from '../../src/dashboard/monitor-panel.js';

const render = async (health: unknown) =>
  String(await MonitorPanel({ health, now: 100_000 }).toString());

describe('the monitor health panel', () => {
  it("reads the API contract's shape: status, check time and details", async () => {
    const html = await render({
      status: 'ok',
      checkedAt: 90_000,
      details: { leader: 'node-a:42', scanDurationMs: 12.4, queueDepth: 3 },
    });
    expect(html).toContain('<span class="badge health-ok">ok</span>');
    expect(html).toContain('node-a:42');
    expect(html).toContain('10 s ago');
    expect(html).toContain('took 12 ms');
    expect(html).toContain('<dt>queueDepth</dt><dd>3</dd>');
  });

  it("reads the monitor's own report: leader, last scan, findings by kind", async () => {
    const html = await render({
      leader: {
        name: 'monitor',
        owner: 'node-b:7',
        epoch: 3,
        acquiredAt: 0,
        expiresAt: 50_000,
        alive: false,
      },
      lastScan: {
        at: 40_000,
        durationMs: 3,
        candidates: 2,
        newFindings: {},
        leader: 'node-b:7',
        epoch: 3,
      },
      findings: { stuck: { handled: 2, open: 1 }, failed: 4 },
    });
    expect(html).toContain('node-b:7');
    expect(html).toContain('(lease ran out)');
    expect(html).toContain('health-degraded');
    expect(html).toContain('1 min ago');
    expect(html).toContain('stuck: 2 handled, 1 open · failed: 4');
  });
});
