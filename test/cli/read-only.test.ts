import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMegaMind } from '../../src/app/mega-mind.js';
import { runCli } from '../../src/cli/cli.js';
import { redactUrl } from '../../src/store/database-target.js';
import { loadBetterSqlite3 } from '../../src/store/sqlite/load-better-sqlite3.js';
import { ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'megamind-readonly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function megamind(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk));
  const code = await runCli(argv, {
    out: (line) => (out += `${line}\n`),
    err: (line) => (err += `${line}\n`),
    stdin: new PassThrough(),
    stdout,
  });
  return { code, out, err };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function databaseWithWorker(name: string): Promise<string> {
  const database = join(dir, name);
  const mm = createMegaMind({ database });
  mm.define('send-email', { maxAttempts: 1, run: () => null });
  mm.schedule('weekly-report', { type: 'send-email', cron: '0 8 * * 1', timezone: 'Europe/Paris' });
  await mm.start(); // describes the type in the store, as a deployed worker would
  await mm.stop();
  return database;
}

describe('commands that only read', () => {
  it.each(['jobs', 'patterns', 'schedules'])(
    '%s: a typo in --database says there is no database, and creates no file or folder',
    async (command) => {
      const database = join(dir, 'no-such-folder', 'megamnid.db');
      const { code, err } = await megamind(command, '--database', database);
      expect(code).toBe(2);
      expect(err).toBe(
        `megamind: no Mega Mind database at ${database}: no such file (ERR_DATABASE_NOT_FOUND)\n`,
      );
      expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
    },
  );

  it('refuses a file that is not a SQLite database, and a SQLite file without Mega Mind tables, leaving both as they were', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database\n'.repeat(10));
    expect(await megamind('jobs', '--database', text)).toMatchObject({
      code: 2,
      err: expect.stringContaining('the file is not a SQLite database'),
    });
    const other = join(dir, 'other-app.db');
    const Database = loadBetterSqlite3();
    new Database(other).exec('CREATE TABLE notes (body TEXT)').close();
    const before = sha(other);
    expect(await megamind('jobs', '--database', other)).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        `no Mega Mind database at ${other}: it holds no Mega Mind tables`,
      ),
    });
    expect(sha(other)).toBe(before);
    expect(await megamind('jobs', '--database', dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining('it is a folder'),
    });
  });

  it('reads a read-only database file without writing to it', async () => {
    const database = await databaseWithWorker('readonly.db');
    const mm = createMegaMind({ database });
    const job = await mm.enqueue('send-email', { to: 'ada@example.com' });
    await mm.stop();
    chmodSync(database, 0o444);
    const before = sha(database);
    const { code, out } = await megamind('jobs', '--database', database, '--json');
    expect(code).toBe(0);
    expect(out).toContain(job.id);
    expect(sha(database)).toBe(before);
    expect(existsSync(`${database}-wal`)).toBe(false);
  });

  it('redacts a password given as a ?password= URL parameter, as one given as user:pass@', () => {
    expect(redactUrl('postgres://app@db:5432/prod?sslmode=require&password=hunter2')).toBe(
      'postgres://app@db:5432/prod?sslmode=require&password=***',
    );
    expect(redactUrl('postgres://app:hunter2@db/prod')).toBe('postgres://app:***@db/prod');
  });
});

describe.runIf(ENGINES.includes('postgres'))('commands that only read, on PostgreSQL', () => {
  it('says there is no database in a schema that does not exist, and does not create it', async () => {
    const schema = `mmt_absent_${process.pid}`;
    const { code, err } = await megamind(
      'jobs',
      '--database',
      TEST_DATABASE_URL,
      '--schema',
      schema,
    );
    expect(code).toBe(2);
    expect(err).toContain(
      `no Mega Mind database at ${redactUrl(TEST_DATABASE_URL)} (schema "${schema}"): it holds no Mega Mind tables`,
    );
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const found = await admin.query(
      'SELECT 1 FROM information_schema.schemata WHERE schema_name = $1',
      [schema],
    );
    await admin.end();
    expect(found.rowCount).toBe(0);
  });

  it('never prints a password given as a URL parameter', async () => {
    const { code, err } = await megamind(
      'jobs',
      '--database',
      'postgres://app@127.0.0.1:1/prod?password=hunter2',
    );
    expect(code).toBe(2);
    expect(err).toContain('password=***');
    expect(err).not.toContain('hunter2');
  });
});

describe('schedules', () => {
  it('lists the schedules workers declared, with their next run', async () => {
    const database = await databaseWithWorker('schedules.db');
    const { code, out } = await megamind('schedules', '--database', database);
    expect(code).toBe(0);
    expect(out).toMatch(
      /^weekly-report {2}send-email {2}cron "0 8 \* \* 1" Europe\/Paris {2}missed: once {2}next \d{4}-\d\d-\d\dT0[67]:00:00\.000Z {2}last -\n$/,
    );
  });
});

describe('enqueue, cancel and retry', () => {
  it('enqueues a described type with options, cancels it, and queues it again', async () => {
    const database = await databaseWithWorker('admin.db');
    const enqueued = await megamind(
      'enqueue',
      'send-email',
      '{"to":"ada@example.com"}',
      '--database',
      database,
      '--priority',
      '5',
      '--idempotency-key',
      'welcome-ada',
      '--json',
    );
    expect(enqueued.code).toBe(0);
    const job = JSON.parse(enqueued.out) as {
      id: string;
      priority: number;
      payload: unknown;
      status: string;
    };
    expect(job).toMatchObject({
      priority: 5,
      payload: { to: 'ada@example.com' },
      status: 'queued',
    });
    expect(await megamind('retry', job.id, '--database', database)).toMatchObject({
      code: 2,
      err: `megamind: job ${job.id} is queued; only a failed or cancelled job can be retried\n`,
    });
    expect(await megamind('cancel', job.id, '--database', database)).toMatchObject({
      code: 0,
      out: `cancelled: ${job.id} (send-email)\n`,
    });
    expect(await megamind('retry', job.id, '--database', database)).toMatchObject({
      code: 0,
      out: `queued again: ${job.id} (send-email)\n`,
    });
    const listed = await megamind('jobs', '--database', database, '--json');
    expect(JSON.parse(listed.out)).toMatchObject({ id: job.id, status: 'queued', attempts: 0 });
  });

  it.each([
    [['enqueue', 'send-emial', '{}'], 'unknown job type "send-emial" (known: send-email)'],
    [['enqueue', 'send-email', '{to:'], 'the payload must be JSON'],
    [
      ['enqueue', 'send-email', '{}', '--delay', 'soon'],
      '--delay must be a whole number >= 0, got "soon"',
    ],
    [
      ['cancel', 'f0f0f0f0-0000-4000-8000-000000000000'],
      'no job f0f0f0f0-0000-4000-8000-000000000000',
    ],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const database = await databaseWithWorker(`bad-${argv.join('-').replace(/\W/g, '')}.db`);
    const { code, err } = await megamind(...argv, '--database', database);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
