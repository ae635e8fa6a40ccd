import { describe, expect, it, vi } from 'vitest';
import { isOrchestratorError } from '../../src/core/errors.js';
import type { Job } from '../../src/core/types.js';
import type { HealerOptions } from '../../src/heal/healer-options.js';
import { createTestEngine, settledHeals, settledJob } from '../helpers/engines.js';
import { MODEL_KNOBS, summarise } from '../helpers/summariser.js';
import { ENGINES, type TestDatabase } from '../helpers/stores.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

const HEAL: HealerOptions = { backoff: { initialDelayMs: 5, maxDelayMs: 20 }, random: 5 };

const KNOBS = MODEL_KNOBS;

/** A job that failed for good in an engine without the healer, on a database of its own. */
async function failedJob(
  engine: 'sqlite' | 'postgres',
  run: (payload: unknown, ctx: { knobs: Readonly<Record<string, unknown>> }) => string,
): Promise<{ db: TestDatabase; job: Job }> {
  const { mm, db } = await createTestEngine(engine, {});
  mm.define('summarise', { maxAttempts: 1, knobs: KNOBS, run });
  const job = await mm.enqueue('summarise');
  await mm.start();
  expect((await settledJob(mm, job.id)).status).toBe('failed');
  await mm.stop();
  return { db, job };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(isOrchestratorError(error) && error.code).toBe('ERR_INVALID_ARGUMENT');
  return (error as Error).message;
}

describe.each(ENGINES)('applyRemedy and applyFixer by hand (%s)', (engine) => {
  it('applies a named remedy with parameters; the re-run validates it and the statistics count it', async () => {
    const { db, job } = await failedJob(engine, summarise);
    const { mm } = await createTestEngine(engine, { heal: HEAL }, db);
    mm.define('summarise', { maxAttempts: 1, knobs: KNOBS, run: summarise });
    const report = await mm.applyRemedy({
      jobId: job.id,
      action: 'switch_model',
      params: { value: 'large' },
    });
    expect(report).toMatchObject({
      jobId: job.id,
      detected: { analysis: 'operator' },
      applied: { action: 'switch_model', params: { value: 'large' } },
      decision: 'retry',
      outcome: 'pending',
    });
    expect(await mm.getJob(job.id)).toMatchObject({
      status: 'queued',
      knobs: { model: 'large' },
      healingPatternId: report.pattern.id,
    });
    await mm.start();
    expect(await settledJob(mm, job.id)).toMatchObject({ status: 'completed', selfHealed: true });
    expect(await settledHeals(mm, job.id)).toMatchObject([
      { action: 'switch_model', validationStatus: 'validated', outcome: 'success' },
    ]);
    // The success is counted just after the row is settled: wait for it.
    await vi.waitFor(async () => {
      const stats = await mm.store.listRemedyStats([report.pattern.id]);
      expect(stats).toMatchObject([
        { remedy: 'switch_model{"value":"large"}', successCount: 1, failureCount: 0 },
      ]);
    }, SLOW_MACHINE);
    expect(await mm.patterns.get(report.pattern.id)).toMatchObject({ successCount: 1 });
  });

  it('refuses, naming what was wrong and changing nothing, a remedy it cannot apply', async () => {
    const { db, job } = await failedJob(engine, summarise);
    const { mm } = await createTestEngine(
      engine,
      { heal: { ...HEAL, fixers: [{ name: 'warm-cache', action: 'clear_cache', fix: () => {} }] } },
      db,
    );
    mm.define('summarise', { maxAttempts: 1, knobs: KNOBS, run: summarise });
    const before = await mm.getJob(job.id);
    const asks = [
      [{ action: 'make_it_work' }, /unknown action "make_it_work"; the catalogue has retry, /],
      [{ action: 'increase_memory' }, /declare a "memoryMb" knob on job type "summarise"/],
      [{ action: 'switch_model', params: { value: 'huge' } }, /another of "small", "large"/],
      [{ action: 'switch_model', params: { temperature: 2 } }, /parameters of switch_model/],
      [{ action: 'reduce_batch_size', params: { factor: -1 } }, /factor: Too small/],
      [{ action: 'escalate' }, /ends a job's healing/],
      [{ action: 'reconnect' }, /name the resources|reset hook/],
    ] as const;
    for (const [ask, message] of asks)
      expect(await refusal(mm.applyRemedy({ jobId: job.id, ...ask }))).toMatch(message);
    expect(await refusal(mm.applyFixer({ jobId: job.id, fixer: 'nope' }))).toMatch(
      /no fixer named "nope"; registered: "warm-cache"/,
    );
    expect(
      await refusal(mm.applyRemedy({ jobId: job.id, action: 'retry', patternId: 'no-such' })),
    ).toMatch(/no pattern with id or signature "no-such"/);
    expect(await refusal(mm.applyRemedy({ jobId: job.id, action: '' }))).toMatch(
      /action must be a non-empty string/,
    );
    // Nothing was applied: the job is as it was and no heal was logged.
    expect(await mm.getJob(job.id)).toEqual(before);
    expect(await mm.improvements({ jobId: job.id })).toEqual([]);
    // A finished job cannot be healed.
    mm.define('ok', { run: () => 'done' });
    const done = await mm.enqueue('ok');
    await mm.start();
    await settledJob(mm, done.id);
    expect(await refusal(mm.applyRemedy({ jobId: done.id, action: 'retry' }))).toMatch(
      /job .* is completed; a remedy is applied to a failed or queued job/,
    );
  });

  it('runs a fixer by name: a change the re-run does not pass with is reverted, one it passes with is kept', async () => {
    const config = { version: 'v1' };
    const run = () => {
      if (config.version !== 'v3')
        throw new Error(`template ${config.version} renders an empty page`);
      return 'rendered';
    };
    const { db, job } = await failedJob(engine, run);
    const patch = (version: string) => ({
      name: `patch-${version}`,
      action: 'rollback_deployment' as const,
      fix: () => {
        const from = config.version;
        config.version = version;
        return { changes: { from, to: version }, revert: () => void (config.version = from) };
      },
    });
    const { mm } = await createTestEngine(
      engine,
      // One heal per job: after the first fixer fails, the healer escalates instead of trying the other itself.
      { heal: { ...HEAL, maxHealsPerJob: 1, fixers: [patch('v2'), patch('v3')] } },
      db,
    );
    mm.define('summarise', { maxAttempts: 1, knobs: KNOBS, run });
    await mm.start();

    const bad = await mm.applyFixer({ jobId: job.id, fixer: 'patch-v2' });
    expect(bad).toMatchObject({
      applied: { action: 'rollback_deployment', changes: { fixer: 'patch-v2', to: 'v2' } },
      outcome: 'pending',
    });
    await vi.waitFor(async () => {
      const [row] = await mm.improvements({ jobId: job.id, action: 'rollback_deployment' });
      expect(row).toMatchObject({ validationStatus: 'failed', outcome: 'failure' });
    }, SLOW_MACHINE);
    expect(await settledJob(mm, job.id)).toMatchObject({ status: 'failed' });
    expect(config.version).toBe('v1');

    const good = await mm.applyFixer({ jobId: job.id, fixer: 'patch-v3' });
    expect(good.outcome).toBe('pending');
    expect(await settledJob(mm, job.id)).toMatchObject({ status: 'completed', result: 'rendered' });
    expect(config.version).toBe('v3');
    await vi.waitFor(async () => {
      const [stat] = await mm.store.listRemedyStats([good.pattern.id]);
      expect(stat).toMatchObject({
        remedy: 'rollback_deployment',
        successCount: 1,
        failureCount: 1,
      });
    }, SLOW_MACHINE);
  });
});
