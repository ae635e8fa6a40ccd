import { createClient, FunctionsHttpError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  HealReportSchema,
  MonitorAnswer,
  OrchestratorAnswer,
  TeacherAnswer,
} from '../../src/api/contracts.js';
import type { HealerPort, MonitorPort } from '../../src/api/ports.js';
import { ENGINES } from '../helpers/stores.js';
import { createApiEngine, createTestApp, KEYS, serveTestApp } from './api-helpers.js';

/** A healer standing in for the one built elsewhere: it records what it was asked. */
function fakeHealer(calls: unknown[]): HealerPort {
  return {
    heal: async (request) => {
      calls.push(request);
      return {
        scanned: 1,
        results: [
          {
            jobId: request.jobId ?? 'all',
            detected: 'failed',
            pattern: { id: 'p1', signature: 'abcdef0123456789', known: true },
            applied: 'retry_with_backoff',
            outcome: 'pending',
          },
        ],
      };
    },
    applyRemedy: async (request) => ({
      jobId: request.jobId,
      detected: 'manual',
      pattern: null,
      applied: request.action,
      outcome: 'pending',
    }),
    applyFixer: async (request) => ({
      jobId: request.jobId,
      detected: 'manual',
      pattern: null,
      applied: request.fixer,
      outcome: 'pending',
      message: 'fixer ran',
    }),
  };
}

const fakeMonitor: MonitorPort = {
  health: async () => ({ status: 'degraded', checkedAt: 1, details: { stuck: 1 } }),
  findings: async () => [
    {
      kind: 'stuck',
      jobId: null,
      severity: 'warning',
      message: 'job stuck at 25% with key sk-proj-abcdefghijklmnopqrstuvwxyz0123',
      detectedAt: 1,
    },
  ],
};

function supabaseFor(url: string, key: string) {
  return createClient(url, key, {
    realtime: { transport: WebSocket as never },
    auth: { persistSession: false },
  });
}

describe.each(ENGINES)('seed functions through supabase-js (%s)', (engine) => {
  it('invokes every seed function over a real socket, as the seed calls them', async () => {
    const { mm } = await createApiEngine(engine);
    const calls: unknown[] = [];
    const server = await serveTestApp(
      createTestApp(mm, { healer: fakeHealer(calls), monitor: fakeMonitor }),
    );
    const supabase = supabaseFor(server.url, KEYS.operate);

    const enqueued = await supabase.functions.invoke('smart-orchestrator', {
      body: { type: 'ok', payload: { app: 'blog' } },
    });
    expect(enqueued.error).toBeNull();
    const [job] = OrchestratorAnswer.parse(enqueued.data).jobs;

    const all = await supabase.functions.invoke('mega-mind-self-healer', {
      body: { mode: 'auto' },
    });
    expect(HealReportSchema.parse(all.data).results[0]).toMatchObject({
      applied: 'retry_with_backoff',
      outcome: 'pending',
    });
    const one = await supabase.functions.invoke('mega-mind-self-healer', {
      body: { mode: 'auto', jobId: job!.id },
    });
    expect(one.data.results[0].jobId).toBe(job!.id);
    expect(calls).toEqual([{}, { jobId: job!.id }]);

    const monitor = await supabase.functions.invoke('proactive-monitor', { body: {} });
    const report = MonitorAnswer.parse(monitor.data);
    expect(report.health.status).toBe('degraded');
    expect(report.findings[0]!.message).toContain('[REDACTED:openai_key]');

    const analysed = await supabase.functions.invoke('universal-error-teacher', {
      body: { mode: 'analyze', error: { message: '429 Too Many Requests', status: 429 } },
    });
    expect(TeacherAnswer.parse(analysed.data).analysis?.category).toBe('rate_limit');
    const learned = await supabase.functions.invoke('universal-error-teacher', {
      body: { mode: 'learn', error: { message: '429 Too Many Requests', status: 429 } },
    });
    expect(learned.data).toMatchObject({
      mode: 'learn',
      known: false,
      pattern: { occurrenceCount: 1 },
    });
    const again = await supabase.functions.invoke('universal-error-teacher', {
      body: { mode: 'learn', error: { message: '429 Too Many Requests', status: 429 } },
    });
    expect(again.data).toMatchObject({ known: true, pattern: { occurrenceCount: 2 } });

    const fixed = await supabase.functions.invoke('auto-fix-engine', {
      body: { jobId: job!.id, action: 'reduce_concurrency' },
    });
    expect(fixed.data).toMatchObject({ jobId: job!.id, applied: 'reduce_concurrency' });
    const healed = await supabase.functions.invoke('self-heal', {
      body: { jobId: job!.id, fixer: 'bump-timeout' },
    });
    expect(healed.data).toMatchObject({ applied: 'bump-timeout', message: 'fixer ran' });
  });

  it('turns 4xx and 501 answers into FunctionsHttpError with the error body', async () => {
    const { mm } = await createApiEngine(engine);
    const server = await serveTestApp(createTestApp(mm));
    const reader = supabaseFor(server.url, KEYS.read);
    const operator = supabaseFor(server.url, KEYS.operate);
    const stranger = supabaseFor(server.url, 'stranger-key-0123456789abcdef');

    const cases = [
      [operator, 'mega-mind-self-healer', { mode: 'auto' }, 501, 'ERR_NOT_IMPLEMENTED'],
      [operator, 'proactive-monitor', {}, 501, 'ERR_NOT_IMPLEMENTED'],
      [operator, 'auto-fix-engine', { jobId: 'x', action: 'retry' }, 501, 'ERR_NOT_IMPLEMENTED'],
      [operator, 'self-heal', { jobId: 'x' }, 400, 'ERR_INVALID_ARGUMENT'],
      [operator, 'mega-mind-self-healer', { mode: 'manual' }, 400, 'ERR_INVALID_ARGUMENT'],
      [
        operator,
        'smart-orchestrator',
        { jobs: [{ type: 'ok' }, { type: 'nope' }] },
        400,
        'ERR_UNKNOWN_JOB_TYPE',
      ],
      [
        operator,
        'universal-error-teacher',
        { mode: 'teach', pattern: 'abc', rootCause: 'x' },
        403,
        'ERR_FORBIDDEN',
      ],
      [reader, 'smart-orchestrator', { type: 'ok' }, 403, 'ERR_FORBIDDEN'],
      [
        reader,
        'universal-error-teacher',
        { mode: 'learn', error: { message: 'x' } },
        403,
        'ERR_FORBIDDEN',
      ],
      [stranger, 'proactive-monitor', {}, 401, 'ERR_UNAUTHORIZED'],
      [operator, 'no-such-function', {}, 404, 'ERR_NOT_FOUND'],
    ] as const;
    for (const [client, name, body, status, code] of cases) {
      const { data, error } = await client.functions.invoke(name, { body });
      expect(data, name).toBeNull();
      expect(error, name).toBeInstanceOf(FunctionsHttpError);
      const response = (error as FunctionsHttpError).context as Response;
      expect(response.status, `${name} ${JSON.stringify(body)}`).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    // The failed batch enqueued nothing.
    expect(await mm.listJobs()).toEqual([]);
  });
});
