import { describe, expect, it } from 'vitest';
import { MonitorAnswer } from '../../src/api/contracts.js';
import { enginePartsOf } from '../../src/api/engine-parts.js';
import { createMegaMindClient } from '../../src/app/client.js';
import { ENGINES } from '../helpers/stores.js';
import { createApiEngine, createTestApp, call } from './api-helpers.js';

describe.each(ENGINES)('the monitor through the API (%s)', (engine) => {
  it('reports what the monitors stored, from a server that runs no monitor itself', async () => {
    const { mm } = await createApiEngine(engine);
    const job = await mm.enqueue('ok');
    await mm.store.monitoring.insertFindings([
      {
        key: `stuck:${job.id}:1`,
        kind: 'stuck',
        jobId: job.id,
        jobType: 'ok',
        patternId: null,
        summary: "stuck at 'Setting up database foundation' (25%) for 5 min",
        evidence: { stage: 'Setting up database foundation', progress: 25 },
        detectedAt: 1_000,
        detectedBy: 'another-process',
      },
    ]);
    // A handler-less client behind the API, as `megamind start` runs one on another node.
    const client = createMegaMindClient({ store: mm.store });
    const app = createTestApp(client, enginePartsOf(client));
    const answer = await call(app, 'POST', '/functions/v1/proactive-monitor', {
      role: 'read',
      body: {},
    });
    expect(answer.status).toBe(200);
    const report = MonitorAnswer.parse(answer.body);
    // No monitor has scanned this database: degraded, not ok.
    expect(report.health.status).toBe('degraded');
    expect(report.findings).toEqual([
      expect.objectContaining({
        kind: 'stuck',
        jobId: job.id,
        severity: 'critical',
        message: "stuck at 'Setting up database foundation' (25%) for 5 min",
      }),
    ]);
  });
});
