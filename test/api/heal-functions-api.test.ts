import { createClient, FunctionsHttpError } from '@supabase/supabase-js';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { HealOutcomeSchema } from '../../src/api/contracts.js';
import { enginePartsOf } from '../../src/api/engine-parts.js';
import type { Job } from '../../src/core/types.js';
import { createTestEngine } from '../helpers/engines.js';
import { MODEL_KNOBS, summarise } from '../helpers/summariser.js';
import { ENGINES } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';
import { createTestApp, KEYS, serveTestApp } from './api-helpers.js';

const KNOBS = MODEL_KNOBS;

describe.each(ENGINES)('auto-fix-engine and self-heal through supabase-js (%s)', (engine) => {
  it('applies a remedy and runs a fixer on a real engine, and answers 400 naming what cannot be applied', async () => {
    // The job fails for good in an engine without the healer.
    const { mm: plain, db } = await createTestEngine(engine, {});
    plain.define('summarise', { maxAttempts: 1, knobs: KNOBS, run: summarise });
    const job = await plain.enqueue('summarise');
    await plain.start();
    await vi.waitFor(
      async () => expect((await plain.getJob(job.id))!.status).toBe('failed'),
      SLOW_MACHINE,
    );
    await plain.stop();

    const fixed: string[] = [];
    const { mm } = await createTestEngine(
      engine,
      {
        heal: {
          backoff: { initialDelayMs: 5, maxDelayMs: 20 },
          random: 2,
          fixers: [{ name: 'flush-cache', action: 'clear_cache', fix: () => void fixed.push('x') }],
        },
      },
      db,
    );
    mm.define('summarise', { maxAttempts: 1, knobs: KNOBS, run: summarise });
    const server = await serveTestApp(createTestApp(mm, enginePartsOf(mm)));
    const supabase = createClient(server.url, KEYS.operate, {
      realtime: { transport: WebSocket as never },
      auth: { persistSession: false },
    });

    const refusals = [
      ['auto-fix-engine', { jobId: job.id, action: 'switch_model', params: { value: 'huge' } }],
      ['auto-fix-engine', { jobId: job.id, action: 'make_it_work' }],
      ['auto-fix-engine', { jobId: job.id, action: 'increase_timeout' }],
      ['self-heal', { jobId: job.id, fixer: 'nope' }],
    ] as const;
    const messages: string[] = [];
    for (const [name, body] of refusals) {
      const { data, error } = await supabase.functions.invoke(name, { body });
      expect(data).toBeNull();
      expect(error).toBeInstanceOf(FunctionsHttpError);
      const response = (error as FunctionsHttpError).context as Response;
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('ERR_INVALID_ARGUMENT');
      messages.push(answer.error.message);
    }
    expect(messages[0]).toMatch(/knob "model" is "small"; switch_model needs another of/);
    expect(messages[1]).toMatch(/unknown action "make_it_work"/);
    expect(messages[2]).toMatch(/declare a "timeoutMs" knob on job type "summarise"/);
    expect(messages[3]).toMatch(/no fixer named "nope"; registered: "flush-cache"/);
    expect(await mm.getJob(job.id)).toMatchObject({ status: 'failed', knobs: {} });
    expect(await mm.improvements({ jobId: job.id })).toEqual([]);

    const healed = await supabase.functions.invoke('self-heal', {
      body: { jobId: job.id, fixer: 'flush-cache' },
    });
    expect(healed.error).toBeNull();
    expect(HealOutcomeSchema.parse(healed.data)).toMatchObject({
      jobId: job.id,
      applied: 'clear_cache {}',
      outcome: 'pending',
    });
    expect(fixed).toHaveLength(1);

    // An operator's remedy replaces the heal in flight, which is neither credited nor blamed.
    const remedied = await supabase.functions.invoke('auto-fix-engine', {
      body: { jobId: job.id, action: 'switch_model', params: { value: 'large' } },
    });
    expect(remedied.error).toBeNull();
    expect(HealOutcomeSchema.parse(remedied.data)).toMatchObject({
      jobId: job.id,
      pattern: { known: true },
      applied: 'switch_model {"value":"large"}',
      outcome: 'pending',
    });
    await mm.start();
    const done = await vi.waitFor(async () => {
      const current = await mm.getJob(job.id);
      if (current?.status !== 'completed') throw new Error(`job is ${current?.status}`);
      return current as Job;
    }, SLOW_MACHINE);
    expect(done.knobs).toEqual({ model: 'large' });
    await vi.waitFor(async () => {
      const rows = await mm.improvements({ jobId: job.id });
      expect(rows.map((row) => [row.action, row.outcome])).toEqual([
        ['switch_model', 'success'],
        ['clear_cache', 'changed'],
      ]);
    }, SLOW_MACHINE);
  });
});
