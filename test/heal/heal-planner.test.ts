import { describe, expect, it } from 'vitest';
import { HealPlanner, rankedOf } from '../../src/heal/heal-planner.js';
import { resolveHealerOptions } from '../../src/heal/healer-options.js';
import { HealerServices } from '../../src/heal/healer-services.js';
import { Neighbours } from '../../src/heal/learner/neighbours.js';
import { RemedyMemory } from '../../src/heal/learner/remedy-memory.js';
import { ThompsonPolicy } from '../../src/heal/learner/thompson-policy.js';
import { seededRandom } from '../../src/heal/learner/beta.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

describe.each(ENGINES)('the heal planner (%s)', (engine) => {
  it("forecasts a retry by how often it already failed on the job, from the repeat's own outcomes", async () => {
    const { store } = await createTestStore(engine);
    const pattern = await store.upsertPattern(
      {
        patternKey: 'rule:http-503',
        template: '503 Service Unavailable',
        category: 'api_failure',
        transient: true,
        rootCause: 'the upstream is overloaded',
        remedies: ['retry_with_backoff'],
        prevention: null,
        facts: {},
        source: 'rule',
        confidence: 0.6,
        example: '503 Service Unavailable',
      },
      T0,
    );
    const [inserted] = await store.insertJobs(
      [
        {
          type: 'sync',
          payload: null,
          priority: 0,
          runAt: T0,
          maxAttempts: 5,
          idempotencyKey: null,
          knobs: {},
        },
      ],
      T0,
    );
    const job = { ...inserted!.job, attempts: 1 };
    const options = resolveHealerOptions({ random: 1 });
    const memory = new RemedyMemory(store, options.refreshMs);
    // What was learned: a first retry of this 503 never worked, a second one always did.
    for (let i = 0; i < 20; i++) {
      memory.count(pattern.id, 'retry_with_backoff', false, 0);
      memory.count(pattern.id, 'retry_with_backoff', true, 1);
    }
    const planner = new HealPlanner(
      new ThompsonPolicy({ random: seededRandom(1) }),
      memory,
      new Neighbours(memory),
      new HealerServices(
        store,
        options,
        () => [],
        () => {},
      ),
      options,
    );
    const input = {
      job,
      pattern,
      jobType: { type: 'sync', knobs: {}, resources: [], maxAttempts: 5 },
      knobs: {},
      ranked: rankedOf(pattern),
      intense: false,
      spent: false,
    };
    const first = planner.choose({ ...input, history: [] });
    expect(first).toMatchObject({ kind: 'remedy', tries: 0 });
    expect(first.kind === 'remedy' && first.confidence).toBeLessThan(0.1);

    // The job's first retry failed: the second is forecast from the second tries.
    const logged = await store.insertImprovement(
      {
        jobId: job.id,
        jobType: 'sync',
        attempt: 1,
        patternId: pattern.id,
        patternNew: false,
        action: 'retry_with_backoff',
        remedy: 'retry_with_backoff',
        changesApplied: { params: {}, tries: 0 },
        detected: {},
        beforeMetrics: {},
        confidence: 0.05,
      },
      T0,
    );
    const settled = await store.settleImprovements(
      { jobId: job.id, outcome: 'failure', afterMetrics: {} },
      T0 + 1,
    );
    expect(settled.map((row) => row.id)).toEqual([logged.id]);
    const second = planner.choose({ ...input, history: settled });
    expect(second).toMatchObject({ kind: 'remedy', tries: 1 });
    expect(second.kind === 'remedy' && second.confidence).toBeGreaterThan(0.9);
  });
});
