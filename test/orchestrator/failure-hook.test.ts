import { describe, expect, it } from 'vitest';
import type { MegaMind } from '../../src/app/mega-mind.js';
import { NonRetryableError } from '../../src/core/errors.js';
import type { Job } from '../../src/core/types.js';
import type {
  FailureContext,
  FailureDecision,
  FailureHook,
} from '../../src/orchestrator/failure-hook.js';
import { ExponentialBackoff } from '../../src/orchestrator/retry-policy.js';
import { createTestEngine } from '../helpers/engines.js';
import { ENGINES } from '../helpers/stores.js';

// Retries come back at once so tests wait on conditions, not on backoff.
const immediateRetry = new ExponentialBackoff({ initialDelayMs: 1, maxDelayMs: 1 });

function settled(mm: MegaMind, id: string): Promise<Job> {
  return new Promise((resolve, reject) => {
    const check = () =>
      void mm.getJob(id).then((job) => {
        if (job && ['completed', 'failed', 'cancelled'].includes(job.status)) {
          mm.off('job:completed', check);
          mm.off('job:failed', check);
          resolve(job);
        }
      }, reject);
    mm.on('job:completed', check);
    mm.on('job:failed', check);
  });
}

function hook(
  decide: (
    context: FailureContext,
    next: () => Promise<FailureDecision>,
  ) => Promise<FailureDecision> | FailureDecision,
): FailureHook {
  return { onFailure: async (context, next) => decide(context, () => next(context)) };
}

describe.each(ENGINES)('failure hooks (%s)', (engine) => {
  it('changes a knob for the next attempt within the declared bounds and marks the job self-healed when it then completes', async () => {
    const contexts: FailureContext[] = [];
    const { mm } = await createTestEngine(engine, {
      retryPolicy: immediateRetry,
      learnPatterns: false,
      failureHooks: [
        hook((context) => {
          contexts.push(context);
          return {
            kind: 'retry',
            retryAt: context.now,
            knobs: { ...context.job.knobs, batchSize: 10 },
            healing: { patternId: 'pattern-1' },
          };
        }),
      ],
    });
    const seen: unknown[] = [];
    mm.define('import-rows', {
      knobs: { batchSize: { kind: 'number', default: 500, min: 1, max: 500, integer: true } },
      stages: [{ name: 'Importing', percent: 50 }],
      async run(_payload, ctx) {
        seen.push(ctx.knobs.batchSize);
        if ((ctx.knobs.batchSize as number) > 100)
          throw new Error('out of memory importing a batch');
        return 'imported';
      },
    });
    const job = await mm.enqueue('import-rows');
    const done = settled(mm, job.id);
    await mm.start();
    const final = await done;
    expect(seen).toEqual([500, 10]);
    expect(final.status).toBe('completed');
    expect(final.knobs).toEqual({ batchSize: 10 });
    expect(final.selfHealed).toBe(true);
    expect(final.healingPatternId).toBe('pattern-1');
    expect(final.healingTimestamp).toBeTypeOf('number');
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.definition).toMatchObject({
      type: 'import-rows',
      stages: [{ name: 'Importing', percent: 50 }],
    });
    expect(contexts[0]!.error.message).toBe('out of memory importing a batch');
  });

  it('waits without spending an attempt', async () => {
    let waits = 0;
    const { mm } = await createTestEngine(engine, {
      retryPolicy: immediateRetry,
      learnPatterns: false,
      failureHooks: [
        hook((context, next) =>
          waits < 3 ? (waits++, { kind: 'wait', retryAt: context.now }) : next(),
        ),
      ],
    });
    const attempts: number[] = [];
    mm.define('call-api', {
      maxAttempts: 1,
      run(_payload, ctx) {
        attempts.push(ctx.attempt);
        if (attempts.length <= 3) throw new Error('429 Too Many Requests');
        return 'ok';
      },
    });
    const job = await mm.enqueue('call-api');
    const done = settled(mm, job.id);
    await mm.start();
    const final = await done;
    // With maxAttempts 1, the job completes only because the three waits gave their attempt back.
    expect(final.status).toBe('completed');
    expect(attempts).toEqual([1, 1, 1, 1]);
    expect((await mm.listAttempts(job.id)).map((a) => a.outcome)).toEqual([
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('escalates: the job fails at once with the reason recorded', async () => {
    const decisions: FailureDecision[] = [];
    const { mm } = await createTestEngine(engine, {
      retryPolicy: immediateRetry,
      learnPatterns: false,
      failureHooks: [
        hook(() => ({ kind: 'escalate', reason: 'no remedy fixes a missing column' })),
      ],
    });
    mm.on('job:failed', (_job, _error, _retryAt, decision) => decisions.push(decision));
    mm.define('migrate-db', {
      maxAttempts: 5,
      run: () => Promise.reject(new Error('column "x" does not exist')),
    });
    const job = await mm.enqueue('migrate-db');
    const done = settled(mm, job.id);
    await mm.start();
    const final = await done;
    expect(final.status).toBe('failed');
    expect(final.attempts).toBe(1);
    expect(final.lastError?.escalation).toBe('no remedy fixes a missing column');
    expect(decisions).toEqual([{ kind: 'escalate', reason: 'no remedy fixes a missing column' }]);
  });

  it('runs hooks outermost first and ends the chain with the retry policy', async () => {
    const order: string[] = [];
    const { mm } = await createTestEngine(engine, {
      retryPolicy: immediateRetry,
      learnPatterns: false,
      failureHooks: [
        hook(async (_c, next) => (order.push('outer'), next())),
        hook(async (_c, next) => (order.push('inner'), next())),
      ],
    });
    mm.define('flaky', { maxAttempts: 2, run: () => Promise.reject(new Error('boom')) });
    const job = await mm.enqueue('flaky');
    const done = settled(mm, job.id);
    await mm.start();
    const final = await done;
    expect(order).toEqual(['outer', 'inner', 'outer', 'inner']);
    expect(final.attempts).toBe(2);
    expect(final.status).toBe('failed');
  });

  it('tells hooks about a NonRetryableError, and fails it at the end of the chain', async () => {
    const flags: boolean[] = [];
    const { mm } = await createTestEngine(engine, {
      retryPolicy: immediateRetry,
      learnPatterns: false,
      failureHooks: [hook((context, next) => (flags.push(context.nonRetryable), next()))],
    });
    mm.define('validate', {
      maxAttempts: 5,
      run: () => Promise.reject(new NonRetryableError('payload has no prompt')),
    });
    const job = await mm.enqueue('validate');
    const done = settled(mm, job.id);
    await mm.start();
    expect(await done).toMatchObject({ status: 'failed', attempts: 1 });
    expect(flags).toEqual([true]);
  });

  it('refuses a decision that sets an undeclared knob or throws, falling back to the retry policy and saying why', async () => {
    let calls = 0;
    const { mm } = await createTestEngine(engine, {
      retryPolicy: immediateRetry,
      learnPatterns: false,
      failureHooks: [
        hook((context) => {
          calls++;
          if (calls === 1)
            return { kind: 'retry', retryAt: context.now, knobs: { model: 'gpt-9' } };
          throw new Error('the healer crashed');
        }),
      ],
    });
    const errors: string[] = [];
    mm.on('worker:error', (error) => errors.push(error.message));
    mm.define('generate', {
      maxAttempts: 3,
      run: () => Promise.reject(new Error('503 Service Unavailable')),
    });
    const job = await mm.enqueue('generate');
    const done = settled(mm, job.id);
    await mm.start();
    const final = await done;
    expect(final).toMatchObject({ status: 'failed', attempts: 3, knobs: {} });
    expect(errors).toContain('job type "generate" declares no knob "model"');
    expect(errors).toContain('the healer crashed');
  });
});
