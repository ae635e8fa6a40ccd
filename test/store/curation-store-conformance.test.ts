import { describe, expect, it } from 'vitest';
import type { PackPattern, PatternUpsert } from '../../src/store/store.js';
import { insertImprovements } from '../helpers/improvements.js';
import { createTestStore, ENGINES } from '../helpers/stores.js';

const T0 = Date.UTC(2026, 0, 1);

function upsert(overrides: Partial<PatternUpsert> = {}): PatternUpsert {
  return {
    patternKey: 'a1b2c3d4e5f60718',
    template: 'connect ECONNREFUSED <ip>:<port>',
    category: 'network',
    transient: true,
    rootCause: 'Nothing listens on the port.',
    remedies: ['retry_with_backoff'],
    prevention: null,
    facts: {},
    source: 'rule',
    confidence: 0.8,
    example: 'connect ECONNREFUSED 10.0.0.1:443',
    ...overrides,
  };
}

function packPattern(overrides: Partial<PackPattern> = {}): PackPattern {
  return {
    signature: 'ffff000011112222',
    template: 'quota exceeded for <*>',
    category: 'rate_limit',
    transient: true,
    rootCause: 'The provider quota ran out.',
    remedies: ['wait_for_reset'],
    prevention: 'Throttle below the quota.',
    facts: { code: 'quota' },
    source: 'rule',
    occurrences: 10,
    successes: 6,
    failures: 2,
    confidence: 0.7,
    remedyStatistics: [{ action: 'wait_for_reset', successes: 6, failures: 2 }],
    ...overrides,
  };
}

describe.each(ENGINES)('curation store conformance (%s)', (engine) => {
  it('edits root cause, remedies and prevention, and disables and enables a pattern', async () => {
    const { store } = await createTestStore(engine);
    const stored = await store.upsertPattern(upsert(), T0);
    const edited = await store.editPattern(
      stored.patternKey,
      {
        rootCause: 'The database is down.',
        remedies: ['escalate'],
        prevention: 'Add a health check.',
      },
      T0 + 1,
    );
    expect(edited).toMatchObject({
      id: stored.id,
      rootCause: 'The database is down.',
      remedies: ['escalate'],
      prevention: 'Add a health check.',
      category: 'network',
      source: 'operator',
      updatedAt: T0 + 1,
    });
    expect(await store.disabledPatternIds()).toEqual(new Set());
    await store.editPattern(stored.id, { disabled: true }, T0 + 2);
    expect(await store.disabledPatternIds()).toEqual(new Set([stored.id]));
    const cleared = await store.editPattern(
      stored.id,
      { disabled: false, prevention: null },
      T0 + 3,
    );
    expect(cleared).toMatchObject({ rootCause: 'The database is down.', prevention: null });
    expect(await store.disabledPatternIds()).toEqual(new Set());
    expect(await store.editPattern('no-such-pattern', { rootCause: 'x' }, T0)).toBeUndefined();
  });

  it('reads the improvement log with filters, remedy statistics and healing statistics', async () => {
    const { store, db } = await createTestStore(engine);
    const p = await store.upsertPattern(upsert(), T0);
    await store.upsertPattern(
      upsert({ patternKey: 'b'.repeat(16), category: 'database', confidence: 0.4 }),
      T0,
    );
    await insertImprovements(db, [
      {
        id: 'i1',
        jobId: 'j1',
        patternId: p.id,
        action: 'retry_with_backoff',
        status: 'validated',
        at: T0 + 1,
      },
      {
        id: 'i2',
        jobId: 'j2',
        patternId: p.id,
        action: 'retry_with_backoff',
        status: 'failed',
        at: T0 + 2,
      },
      { id: 'i3', jobId: 'j2', patternId: p.id, action: 'escalate', status: 'pending', at: T0 + 3 },
    ]);
    expect((await store.listImprovements()).map((i) => i.id)).toEqual(['i3', 'i2', 'i1']);
    expect(
      (await store.listImprovements({ jobId: 'j2', status: 'failed' })).map((i) => i.id),
    ).toEqual(['i2']);
    expect((await store.listImprovements({ limit: 1, offset: 1 })).map((i) => i.id)).toEqual([
      'i2',
    ]);
    const [first] = await store.listImprovements({ status: 'validated' });
    expect(first).toMatchObject({
      jobId: 'j1',
      patternId: p.id,
      changesApplied: { knobs: {} },
      beforeMetrics: { attempts: 1 },
      afterMetrics: null,
      validatedAt: T0 + 1,
    });
    expect(await store.remedyStatistics(p.id)).toEqual([
      {
        action: 'retry_with_backoff',
        successes: 1,
        failures: 1,
        pending: 0,
        priorSuccesses: 0,
        priorFailures: 0,
      },
      {
        action: 'escalate',
        successes: 0,
        failures: 0,
        pending: 1,
        priorSuccesses: 0,
        priorFailures: 0,
      },
    ]);
    const stats = await store.healingStatistics();
    expect(stats).toMatchObject({
      patternsLearned: 2,
      occurrences: 2,
      successfulHeals: 1,
      failedHeals: 1,
      pendingHeals: 1,
      successRate: 0.5,
      selfHealedJobs: 0,
    });
    expect(stats.averageConfidence).toBeCloseTo(0.6);
    expect(stats.byCategory.map((c) => c.category).sort()).toEqual(['database', 'network']);
  });

  it('answers empty statistics on an empty book', async () => {
    const { store } = await createTestStore(engine);
    expect(await store.healingStatistics()).toEqual({
      patternsLearned: 0,
      occurrences: 0,
      successfulHeals: 0,
      failedHeals: 0,
      pendingHeals: 0,
      averageConfidence: 0,
      successRate: null,
      selfHealedJobs: 0,
      byCategory: [],
    });
  });

  it('imports a pack once: new signatures become patterns, known ones gain weighted counts and keep their analysis', async () => {
    const { store } = await createTestStore(engine);
    const local = await store.upsertPattern(upsert(), T0);
    const pack = [
      packPattern(),
      packPattern({
        signature: local.patternKey,
        rootCause: 'Somebody else thinks otherwise.',
        occurrences: 4,
        successes: 2,
        failures: 2,
        remedyStatistics: [{ action: 'retry_with_backoff', successes: 2, failures: 2 }],
      }),
    ];
    const progress: number[] = [];
    expect(
      await store.importPatterns('pack-1', pack, 0.5, T0 + 10, (done) => progress.push(done)),
    ).toEqual({
      imported: true,
      created: 1,
      merged: 1,
    });
    expect(progress).toEqual([1, 2]);
    expect(await store.importPatterns('pack-1', pack, 0.5, T0 + 20)).toEqual({
      imported: false,
      created: 0,
      merged: 0,
    });
    const created = await store.getPattern('ffff000011112222');
    expect(created).toMatchObject({
      category: 'rate_limit',
      rootCause: 'The provider quota ran out.',
      remedies: ['wait_for_reset'],
      occurrenceCount: 5,
      successCount: 3,
      failureCount: 1,
      example: null,
      confidence: 0.7,
    });
    expect(await store.getPattern(local.id)).toMatchObject({
      rootCause: 'Nothing listens on the port.',
      occurrenceCount: 3,
      successCount: 1,
      failureCount: 1,
    });
    expect(await store.remedyStatistics(created!.id)).toEqual([
      {
        action: 'wait_for_reset',
        successes: 0,
        failures: 0,
        pending: 0,
        priorSuccesses: 3,
        priorFailures: 1,
      },
    ]);
  });

  it('writes nothing of a pack that fails half-way', async () => {
    const { store } = await createTestStore(engine);
    const broken = [
      packPattern(),
      packPattern({ signature: 'eeee000011112222', category: null as unknown as string }),
    ];
    await expect(store.importPatterns('pack-2', broken, 1, T0)).rejects.toThrow();
    expect(await store.getPattern('ffff000011112222')).toBeUndefined();
    expect(await store.importPatterns('pack-2', [packPattern()], 1, T0)).toMatchObject({
      imported: true,
      created: 1,
    });
  });
});
