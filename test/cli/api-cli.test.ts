import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMegaMind } from '../../src/app/mega-mind.js';

const BIN = fileURLToPath(new URL('../../bin/megamind.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'megamind-api-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'operate-key-0123456789abcdef';

/**
 * Runs the CLI; with `whileRunning`, waits for the URL it prints, runs the callback against it,
 * then stops the process with SIGINT.
 */
function megamind(
  args: string[],
  options: { env?: Record<string, string>; whileRunning?: (url: string) => Promise<void> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; failure?: unknown }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: '', PORT: '', MEGAMIND_API_KEYS: '', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    let failure: unknown;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const url = /running at (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url && !started && options.whileRunning) {
        started = true;
        options
          .whileRunning(url)
          .catch((error: unknown) => (failure = error))
          .finally(() => child.kill('SIGINT'));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr, failure }));
  });
}

describe('megamind start, heal, stats, export, import, migrate', () => {
  it('start serves the API on loopback without keys, prints the URL, and stops on SIGINT', async () => {
    const database = join(dir, 'start.db');
    const run = await megamind(['start', '--database', database, '--port', '0', '--no-demo'], {
      whileRunning: async (url) => {
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        const bad = await fetch(`${url}/api/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"type":"nope"}',
        });
        expect(bad.status).toBe(400);
        expect((await fetch(`${url}/api/jobs`)).status).toBe(200);
      },
    });
    expect(run.failure).toBeUndefined();
    expect(run.stdout).toMatch(/no API key configured, so it listens on loopback only/);
    expect(run.stdout).toMatch(/Mega Mind is running at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stdout).toContain('job types: none (--no-demo)');
    expect(run.code).toBe(0);
  });

  it('start requires keys once MEGAMIND_API_KEYS is set, and runs the demo pipeline', async () => {
    const run = await megamind(
      [
        'start',
        '--database',
        join(dir, 'keys.db'),
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--no-demo-jobs',
      ],
      {
        env: { MEGAMIND_API_KEYS: `operate:${KEY}` },
        whileRunning: async (url) => {
          expect((await fetch(`${url}/api/jobs`)).status).toBe(401);
          const enqueued = await fetch(`${url}/functions/v1/smart-orchestrator`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'generate-app', payload: { app: 'blog', files: 10 } }),
          });
          expect(enqueued.status).toBe(201);
        },
      },
    );
    expect(run.failure).toBeUndefined();
    expect(run.stdout).toMatch(/API keys required/);
    expect(run.code).toBe(0);
  });

  writeFileSync(join(dir, 'bad-config.json'), JSON.stringify({ port: 'eighty' }));
  writeFileSync(join(dir, 'not-a-pack.json'), JSON.stringify({ format: 'zip' }));
  it.each([
    [['start', '--port', 'eighty'], /--port must be a whole number/, {}],
    [['start', '--config', 'bad-config.json'], /bad-config\.json: port: /, {}],
    [['start', '--config', 'nowhere.json'], /nowhere\.json: no such file/, {}],
    [
      ['start', '--port', '0'],
      /MEGAMIND_API_KEYS entry 1 must be role:key/,
      { MEGAMIND_API_KEYS: 'root:short' },
    ],
    [['stats', '--database', 'missing.db'], /no database at .*missing\.db/, {}],
    [['export', '--database', 'missing.db'], /no database at/, {}],
    [['import', 'nowhere.json'], /nowhere\.json: no such file/, {}],
    [['import', 'not-a-pack.json'], /not-a-pack\.json: format: /, {}],
    [['import', 'not-a-pack.json', '--weight', '2'], /--weight must be a number from 0 to 1/, {}],
    [['stats', '--bogus'], /unknown option/, {}],
  ] as [string[], RegExp, Record<string, string>][])(
    'exits 2 with one line for %j and creates no database',
    async (args, message, env) => {
      const run = await megamind(args, { env });
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
      expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    },
  );

  it('migrates, exports a pack, imports it into a fresh database, and reports stats as JSON', async () => {
    const source = join(dir, 'source.db');
    const mm = createMegaMind({ database: source });
    await mm.patterns.record(
      { message: 'connect ECONNREFUSED 10.1.2.3:5432 for admin@example.com', code: 'ECONNREFUSED' },
      Date.UTC(2026, 0, 1),
    );
    await mm.patterns.record(
      { message: '429 Too Many Requests', status: 429 },
      Date.UTC(2026, 0, 1),
    );
    await mm.stop();

    const exported = await megamind(['export', '--database', source, '--out', 'pack.json']);
    expect(exported.code).toBe(0);
    // stderr is no terminal here: no progress unless asked for.
    expect(exported.stderr).toBe('exported 2 patterns to pack.json\n');
    const pack = readFileSync(join(dir, 'pack.json'), 'utf8');
    expect(pack).not.toMatch(/admin@example\.com|10\.1\.2\.3/);
    expect(JSON.parse(pack).patterns).toHaveLength(2);
    // With --progress the pack on stdout stays exactly the pack; the progress goes to stderr.
    const piped = await megamind(['export', '--database', source, '--progress']);
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout)).toEqual({
      ...JSON.parse(pack),
      createdAt: expect.any(Number),
    });
    expect(piped.stderr.trim().split('\n').at(-1)).toBe(
      'exporting [########################] 100% 2/2 patterns',
    );

    const target = join(dir, 'target.db');
    const migrated = await megamind(['migrate', '--database', target, '--json']);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout).applied).toContain('0025_curation');
    const imported = await megamind([
      'import',
      'pack.json',
      '--database',
      target,
      '--json',
      '--progress',
    ]);
    expect(JSON.parse(imported.stdout)).toEqual({ imported: true, created: 2, merged: 0 });
    expect(imported.stderr).toBe(
      [
        'importing [------------------------] 0% 0/2 patterns',
        'importing [############------------] 50% 1/2 patterns',
        'importing [########################] 100% 2/2 patterns',
        '',
      ].join('\n'),
    );
    const again = await megamind(['import', 'pack.json', '--database', target]);
    expect(again.stdout).toContain('imported before');
    const stats = await megamind(['stats', '--database', target, '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ patternsLearned: 2, jobs: { queued: 0 } });
    const human = await megamind(['stats', '--database', target]);
    expect(human.stdout).toMatch(/patterns learned\s+2/);
  }, 120_000); // seven CLI processes in a row, each loading TypeScript sources through tsx

  it('heal says clearly when the engine carries no healer, and names an unknown job', async () => {
    const database = join(dir, 'heal.db');
    await megamind(['migrate', '--database', database]);
    const engine = createMegaMind({ database });
    const wired = typeof (engine as unknown as { heal?: unknown }).heal === 'function';
    await engine.stop();
    const run = await megamind(['heal', '--database', database, '--json']);
    if (wired) expect(run.code).toBe(0);
    else {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/healing is not available in this build/);
    }
  });
});
