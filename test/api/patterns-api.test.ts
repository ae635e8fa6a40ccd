import { describe, expect, it } from 'vitest';
import {
  ImprovementList,
  PatternDetail,
  PatternList,
  PatternPackSchema,
  StatsAnswer,
  TeacherAnswer,
} from '../../src/api/contracts.js';
import { insertImprovements } from '../helpers/improvements.js';
import { ENGINES } from '../helpers/stores.js';
import { call, createApiEngine, createTestApp } from './api-helpers.js';

const T0 = Date.UTC(2026, 0, 1);
// Words no built-in knowledge names a domain by ("slot" would read as a replication slot).
const WIDGET = (tray: number) => ({
  message: `widget press jammed at tray ${tray} while folding sheet`,
  name: 'WidgetJam',
  code: 'E_WIDGET_JAM',
});

describe.each(ENGINES)('patterns API (%s)', (engine) => {
  it('lists patterns, shows one with per-remedy statistics, edits, disables and enables it', async () => {
    const { mm, db } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const { pattern } = await mm.patterns.record(
      { message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
      T0,
    );
    await insertImprovements(db, [
      {
        id: 'h1',
        patternId: pattern.id,
        action: 'reconnect',
        status: 'validated',
        at: T0 + 1,
        patternNew: true,
        detected: { message: 'connect ECONNREFUSED 10.0.0.7:5432', category: 'network' },
      },
      { id: 'h2', patternId: pattern.id, action: 'reconnect', status: 'validated', at: T0 + 2 },
      { id: 'h3', patternId: pattern.id, action: 'escalate', status: 'failed', at: T0 + 3 },
    ]);
    const list = await call(app, 'GET', '/api/patterns?orderBy=occurrences&limit=10', {
      role: 'read',
    });
    expect(PatternList.parse(list.body).patterns.map((p) => p.id)).toEqual([pattern.id]);
    const one = PatternDetail.parse(
      (
        await call(app, 'GET', `/api/patterns/${encodeURIComponent(pattern.signature)}`, {
          role: 'read',
        })
      ).body,
    );
    expect(one.pattern).toMatchObject({ id: pattern.id, disabled: false });
    expect(one.remedyStatistics[0]).toMatchObject({
      action: 'reconnect',
      successes: 2,
      failures: 0,
    });
    expect(one.occurrences).toHaveLength(1);

    const edited = await call(app, 'PATCH', `/api/patterns/${pattern.id}`, {
      body: {
        rootCause: 'The replica restarts nightly.',
        remedies: ['reconnect', 'escalate'],
        prevention: null,
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.pattern).toMatchObject({
      rootCause: 'The replica restarts nightly.',
      remedies: ['reconnect', 'escalate'],
      prevention: null,
    });
    expect(
      (await call(app, 'POST', `/api/patterns/${pattern.id}/disable`)).body.pattern.disabled,
    ).toBe(true);
    expect(
      (await call(app, 'GET', '/api/patterns', { role: 'read' })).body.patterns[0].disabled,
    ).toBe(true);
    expect(
      (await call(app, 'POST', `/api/patterns/${pattern.id}/enable`)).body.pattern.disabled,
    ).toBe(false);

    const stats = StatsAnswer.parse((await call(app, 'GET', '/api/stats', { role: 'read' })).body);
    expect(stats).toMatchObject({
      patternsLearned: 1,
      successfulHeals: 2,
      failedHeals: 1,
      jobs: { queued: 0 },
    });
    expect(stats.successRate).toBeCloseTo(2 / 3);
    const improvements = await call(
      app,
      'GET',
      `/api/improvements?patternId=${pattern.id}&status=validated`,
      { role: 'read' },
    );
    const healed = ImprovementList.parse(improvements.body).improvements;
    expect(healed.map((i) => i.id)).toEqual(['h2', 'h1']);
    // The healer's record, beside the seed's columns: what was detected and whether the pattern was new.
    expect(healed[1]).toMatchObject({
      patternId: pattern.id,
      patternNew: true,
      detected: { message: 'connect ECONNREFUSED 10.0.0.7:5432', category: 'network' },
      validationStatus: 'validated',
      validatedAt: T0 + 1,
    });
    expect(healed[0]!.patternNew).toBe(false);
    const byAction = await call(app, 'GET', '/api/improvements?action=escalate', { role: 'read' });
    expect(byAction.body.improvements.map((i: { id: string }) => i.id)).toEqual(['h3']);
  });

  it('answers 400 for a bad edit, 404 for an unknown pattern, and keeps the pattern unchanged', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const { pattern } = await mm.patterns.record(
      { message: 'connect ECONNREFUSED 10.0.0.7:5432', code: 'ECONNREFUSED' },
      T0,
    );
    for (const [body, message] of [
      [{}, /at least one/],
      [{ remedies: ['pray'] }, /"pray" is not a remedy action/],
      [{ category: 'weather' }, /category: must be one of/],
      [{ rootCause: 7 }, /body\.rootCause/],
      [{ solution: 'x' }, /solution/],
    ] as const) {
      const res = await call(app, 'PATCH', `/api/patterns/${pattern.id}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await mm.store.getPattern(pattern.id)).toEqual(pattern);
    expect(
      (await call(app, 'GET', '/api/patterns/0123456789abcdef', { role: 'read' })).status,
    ).toBe(404);
    expect(
      (await call(app, 'POST', '/api/patterns/0123456789abcdef/disable')).body.error.code,
    ).toBe('ERR_PATTERN_NOT_FOUND');
    expect((await call(app, 'GET', '/api/patterns?orderBy=random', { role: 'read' })).status).toBe(
      400,
    );
    expect(
      (await call(app, 'GET', '/api/improvements?status=maybe', { role: 'read' })).status,
    ).toBe(400);
  });

  it('exports a pack without planted secrets that warms up a fresh database', async () => {
    const { mm } = await createApiEngine(engine);
    const app = createTestApp(mm);
    const jobId = (await mm.enqueue('ok')).id;
    let patternId = '';
    for (const tray of [3, 17, 42]) {
      const { pattern } = await mm.patterns.record(
        { ...WIDGET(tray), jobId, attempt: 1 },
        T0 + tray,
      );
      patternId = pattern.id;
    }
    await mm.patterns.record(
      {
        message:
          'login to https://admin:hunter2pass@db.corp-7.example.com:5432/app failed for ops@example.com with key sk-proj-abcdefghijklmnopqrstuvwxyz0123 job ' +
          jobId,
      },
      T0,
    );
    const taught = await call(app, 'POST', '/functions/v1/universal-error-teacher', {
      body: {
        mode: 'teach',
        pattern: patternId,
        category: 'resource',
        rootCause: 'The press on build-7.corp.example.com jams; ask ops@example.com',
        remedies: ['reduce_batch_size'],
        prevention: 'Feed sheets one at a time.',
      },
    });
    expect(taught.status).toBe(200);

    const exported = await call(app, 'GET', '/api/pack', { role: 'read' });
    const pack = PatternPackSchema.parse(exported.body);
    const text = JSON.stringify(pack);
    for (const secret of [
      'hunter2pass',
      'sk-proj-',
      'ops@example.com',
      'corp-7.example.com',
      'build-7.corp.example.com',
      jobId,
      'tray 42',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(pack.patterns.find((p) => p.rootCause?.startsWith('The press on'))).toMatchObject({
      category: 'resource',
      remedies: ['reduce_batch_size'],
      facts: { name: 'WidgetJam', code: 'E_WIDGET_JAM' },
    });

    const fresh = await createApiEngine(engine);
    const freshApp = createTestApp(fresh.mm);
    const before = TeacherAnswer.parse(
      (
        await call(freshApp, 'POST', '/functions/v1/universal-error-teacher', {
          role: 'read',
          body: { mode: 'analyze', error: WIDGET(99) },
        })
      ).body,
    );
    expect(before.analysis?.category).toBe('other');
    expect(
      (await call(freshApp, 'POST', '/api/pack?weight=0.5', { role: 'operate', body: pack }))
        .status,
    ).toBe(403);
    const imported = await call(freshApp, 'POST', '/api/pack?weight=0.5', { body: pack });
    expect(imported.body).toEqual({ imported: true, created: pack.patterns.length, merged: 0 });
    expect((await call(freshApp, 'POST', '/api/pack', { body: pack })).body.imported).toBe(false);

    const learned = TeacherAnswer.parse(
      (
        await call(freshApp, 'POST', '/functions/v1/universal-error-teacher', {
          role: 'operate',
          body: { mode: 'learn', error: WIDGET(99) },
        })
      ).body,
    );
    expect(learned.analysis).toMatchObject({
      category: 'resource',
      remedies: ['reduce_batch_size'],
    });
    expect(learned.analysis?.rootCause).toContain('The press on');
    const tampered = { ...pack, patterns: pack.patterns.slice(1) };
    expect(
      (await call(freshApp, 'POST', '/api/pack', { body: tampered })).body.error.message,
    ).toMatch(/id does not match/);
  });
});
