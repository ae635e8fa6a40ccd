import { describe, expect, it, onTestFinished } from 'vitest';
import { callService } from '../../src/examples/call-service.js';
import {
  startDemoServices,
  type DemoServicesOptions,
  type FaultRates,
} from '../../src/examples/demo-services.js';
import { analyzeError } from '../../src/patterns/analyze-error.js';
import { SLOW_MACHINE } from '../helpers/wait.js';

const NONE: FaultRates = { overloaded: 0, truncated: 0, modelReset: 0, hang: 0, registryReset: 0 };

async function services(options: DemoServicesOptions = {}) {
  const started = await startDemoServices({ faults: NONE, ...options });
  onTestFinished(() => started.close());
  return started;
}

/** Calls a service and returns what it threw, analysed as the pattern book would. */
async function failure(call: Promise<unknown>) {
  const error = (await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )) as (Error & { code?: string }) | undefined;
  expect(error, 'the call should have failed').toBeInstanceOf(Error);
  return {
    error: error!,
    analysis: analyzeError({
      message: error!.message,
      name: error!.name,
      code: error!.code,
      stack: error!.stack,
    }),
  };
}

const model = (
  url: string,
  body: unknown = { files: 1 },
  timeoutMs?: number,
  signal = new AbortController().signal,
) =>
  callService({
    resource: 'model-api',
    method: 'POST',
    url: `${url}/v1/completions`,
    body,
    signal,
    timeoutMs,
  });

describe('the demo services misbehave like real ones', () => {
  it('rate-limits the model API with 429 and Retry-After, which reads as a rate limit', async () => {
    const { url, counts } = await services({ rateLimit: { requests: 2, windowMs: 60_000 } });
    await model(url);
    await model(url);
    const { error, analysis } = await failure(model(url));
    expect(error.message).toMatch(
      /^model-api answered 429 Too Many Requests: Rate limit reached.*\(retry-after: \d+\)$/,
    );
    expect(analysis.category).toBe('rate_limit');
    expect(analysis.facts.retryAfterMs).toBeGreaterThan(0);
    expect(counts['model:429']).toBe(1);
  });

  it('answers 503 when overloaded', async () => {
    const { url } = await services({ faults: { ...NONE, overloaded: 1 } });
    const { error, analysis } = await failure(model(url));
    expect(error.message).toContain('503 Service Unavailable');
    expect(analysis.transient).toBe(true);
    expect(analysis.remedies).toContain('retry_with_backoff');
  });

  it('cuts its JSON short, which the client fails to parse', async () => {
    const { url } = await services({ faults: { ...NONE, truncated: 1 } });
    const { error, analysis } = await failure(model(url));
    expect(error).toBeInstanceOf(SyntaxError);
    expect(analysis.ruleId).toBe('output.json_truncated');
  });

  it('drops the connection, which the client sees as ECONNRESET', async () => {
    const { url } = await services({ faults: { ...NONE, modelReset: 1 } });
    const { error, analysis } = await failure(model(url));
    expect(error.code).toBe('ECONNRESET');
    expect(analysis.category).toBe('network');
  });

  it('takes longer for large apps than the default timeout knob allows', async () => {
    const { url } = await services({ msPerFile: 25 });
    const { error, analysis } = await failure(model(url, { files: 60 }, 200));
    expect(error.name).toBe('TimeoutError');
    expect(analysis.remedies[0]).toBe('increase_timeout');
    await expect(model(url, { files: 60 }, 5_000)).resolves.toHaveProperty('choices');
  });

  it('runs the build out of heap unless the batch size is small enough', async () => {
    const { url } = await services({ heapBudget: 1000 });
    const build = (batchSize: number) =>
      callService({
        resource: 'build',
        method: 'POST',
        url: `${url}/build`,
        body: { files: 60, batchSize },
        signal: new AbortController().signal,
      });
    const { error, analysis } = await failure(build(32));
    expect(error.message).toContain('JavaScript heap out of memory');
    expect(analysis.remedies).toContain('reduce_batch_size');
    await expect(build(16)).resolves.toHaveProperty('artifact');
  });

  it('hangs a migration until the caller aborts it', async () => {
    const { url, counts } = await services({ faults: { ...NONE, hang: 1 } });
    const controller = new AbortController();
    const call = callService({
      resource: 'postgres',
      method: 'POST',
      url: `${url}/db/migrate`,
      body: {},
      signal: controller.signal,
    });
    await expect.poll(() => counts['db:hang'], SLOW_MACHINE).toBe(1);
    controller.abort(new Error('lease revoked'));
    await expect(call).rejects.toThrow('lease revoked');
  });

  it("hangs an app's first migration for sure when asked, and answers its next one", async () => {
    const { url, counts } = await services({ hangOnce: ['todo-app-1'] });
    const migrate = (app: string, signal = new AbortController().signal) =>
      callService({
        resource: 'postgres',
        method: 'POST',
        url: `${url}/db/migrate`,
        body: { app },
        signal,
      });
    const controller = new AbortController();
    const first = migrate('todo-app-1', controller.signal);
    await expect.poll(() => counts['db:hang'], SLOW_MACHINE).toBe(1);
    // Other apps are not held up, and the restarted migration goes through.
    await expect(migrate('blog-2')).resolves.toMatchObject({ applied: expect.any(Array) });
    controller.abort(new Error('restarted by the healer'));
    await expect(first).rejects.toThrow('restarted by the healer');
    await expect(migrate('todo-app-1')).resolves.toMatchObject({ applied: expect.any(Array) });
    expect(counts).toMatchObject({ 'db:hang': 1, 'db:ok': 2 });
  });

  it('repeats the same faults for the same seed', async () => {
    const run = async () => {
      const { url, counts } = await services({ seed: 7, faults: { ...NONE, overloaded: 0.5 } });
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++)
        outcomes.push(
          await model(url).then(
            () => 'ok',
            () => 'fail',
          ),
        );
      return { outcomes, counts: { ...counts } };
    };
    expect(await run()).toEqual(await run());
  });
});
