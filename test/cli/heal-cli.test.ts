import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMegamind, type CliRun } from '../helpers/cli.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createMegaMind } from '../../src/app/mega-mind.js';

const dir = mkdtempSync(join(tmpdir(), 'megamind-cli-heal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function megamind(args: string[]): Promise<CliRun> {
  return runMegamind(dir, args);
}

describe('megamind improvements and heal', () => {
  it('lists the improvement log of a database, and heals its failed jobs', async () => {
    const database = join(dir, 'heal.db');
    let calls = 0;
    const mm = createMegaMind({
      database,
      pollIntervalMs: 50,
      heal: { backoff: { initialDelayMs: 5, maxDelayMs: 10 }, random: 1 },
    });
    mm.define('sync', {
      maxAttempts: 3,
      run: () => {
        calls += 1;
        if (calls === 1) throw new Error('503 Service Unavailable');
        return 'ok';
      },
    });
    const job = await mm.enqueue('sync');
    await mm.start();
    await vi.waitFor(
      async () => expect((await mm.improvements({ status: 'validated' })).length).toBe(1),
      { timeout: 10_000 },
    );
    // A second type that fails for good, with nobody healing it, for `megamind heal` to find.
    await mm.stop();
    const plain = createMegaMind({ database, pollIntervalMs: 50 });
    plain.define('sync', { run: () => 'ok' });
    plain.define('notify', {
      maxAttempts: 1,
      run: () => Promise.reject(new Error('503 Service Unavailable')),
    });
    const failing = await plain.enqueue('notify');
    await plain.start();
    await vi.waitFor(async () => expect((await plain.getJob(failing.id))!.status).toBe('failed'), {
      timeout: 10_000,
    });
    await plain.stop();

    const json = await megamind(['improvements', '--database', database, '--json']);
    expect(json.stderr).toBe('');
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows).toMatchObject([
      { jobId: job.id, validationStatus: 'validated', outcome: 'success' },
    ]);
    const text = await megamind(['improvements', '--database', database, '--status', 'failed']);
    expect(text.stdout.trim()).toBe('no improvements');

    const healed = await megamind(['heal', '--database', database, '--json']);
    expect(healed.stderr).toBe('');
    expect(
      healed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toMatchObject([
      {
        jobId: failing.id,
        detected: { category: 'api_failure' },
        pattern: { new: false },
        outcome: 'pending',
      },
    ]);
  });

  it('applies a named remedy with --remedy and --param to one job, and exits 2 naming a remedy it cannot apply', async () => {
    const database = join(dir, 'remedy.db');
    const plain = createMegaMind({ database, pollIntervalMs: 50 });
    plain.define('summarise', {
      maxAttempts: 1,
      knobs: { model: { kind: 'choice', default: 'small', options: ['small', 'large'] } },
      run: (_payload, ctx) => {
        if (ctx.knobs.model !== 'large') throw new Error('model small cannot summarise this');
        return 'summary';
      },
    });
    const job = await plain.enqueue('summarise');
    await plain.start();
    await vi.waitFor(async () => expect((await plain.getJob(job.id))!.status).toBe('failed'), {
      timeout: 10_000,
    });
    await plain.stop();

    const switchModel = (value: string) =>
      megamind([
        'heal',
        '--database',
        database,
        '--job',
        job.id,
        '--remedy',
        'switch_model',
        '--param',
        `value=${value}`,
        '--json',
      ]);
    const refused = await switchModel('huge');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/switch_model needs another of "small", "large"/);
    const alone = await megamind(['heal', '--database', database, '--remedy', 'retry']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--remedy needs --job <id>/);

    const applied = await switchModel('large');
    expect(applied.stderr).toBe('');
    expect(JSON.parse(applied.stdout)).toMatchObject({
      jobId: job.id,
      applied: { action: 'switch_model', params: { value: 'large' } },
      detected: { analysis: 'operator' },
      outcome: 'pending',
    });
    const reader = createMegaMind({ database });
    expect(await reader.getJob(job.id)).toMatchObject({
      status: 'queued',
      knobs: { model: 'large' },
    });
    await reader.stop();
  });

  it('exits 2 with one line for a bad option', async () => {
    const bad = await megamind([
      'improvements',
      '--database',
      join(dir, 'bad.db'),
      '--status',
      'great',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--status must be one of pending, validated, failed/);
    const limit = await megamind(['heal', '--database', join(dir, 'bad.db'), '--limit', '0']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit must be a whole number >= 1/);
  });
});
