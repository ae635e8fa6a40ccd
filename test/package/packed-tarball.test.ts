import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, TEST_DATABASE_URL } from '../helpers/stores.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const dir = mkdtempSync(join(tmpdir(), 'megamind-pack-'));
const project = join(dir, 'consumer');
const schema = `mmt_pack_${process.pid}`;

// The same program as an ES module and as CommonJS: define a type, enqueue, run, print the job.
const program = (load: string) => `${load}
const [database, schema] = process.argv.slice(2);
(async () => {
  const mm = createMegaMind({ database, schema, pollIntervalMs: 50 });
  mm.define('double', { run: (payload) => ({ doubled: payload.n * 2 }) });
  const done = new Promise((resolve) => mm.on('job:completed', resolve));
  const job = await mm.enqueue('double', { n: 21 });
  await mm.start();
  await done;
  console.log(JSON.stringify(await mm.getJob(job.id)));
  await mm.stop();
})().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
`;

function node(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, args, { cwd: project }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({
      stdout: error.stdout,
      stderr: error.stderr,
      code: error.code,
    }),
  );
}

const bin = (...args: string[]) =>
  node([join(project, 'node_modules/megamind/bin/megamind.js'), ...args]);

beforeAll(async () => {
  // prepack builds dist/ once; the install takes dependencies from the npm cache where it can.
  await run('npm', ['pack', '--pack-destination', dir, '--silent'], {
    cwd: ROOT,
    maxBuffer: 16 * 2 ** 20,
  });
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'))!;
  cpSync(join(ROOT, 'test/fixtures/consumer'), project, { recursive: true });
  writeFileSync(join(project, 'esm.mjs'), program("import { createMegaMind } from 'megamind';"));
  writeFileSync(
    join(project, 'cjs.js'),
    program("const { createMegaMind } = require('megamind');"),
  );
  // --ignore-scripts: compiling better-sqlite3 again would take a minute; its binding, built by
  // this checkout's install of the very same version, is copied in instead.
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      join(dir, tarball),
    ],
    {
      cwd: project,
    },
  );
  cpSync(
    join(ROOT, 'node_modules/better-sqlite3/build'),
    join(project, 'node_modules/better-sqlite3/build'),
    { recursive: true },
  );
}, 180_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!ENGINES.includes('postgres')) return;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

describe('the packed package, installed in a fresh project', () => {
  it('ships compiled code, types, migrations, the category model and the licence, and no TypeScript sources or source maps', () => {
    const installed = join(project, 'node_modules/megamind');
    const files = readdirSync(installed, { recursive: true }).map(String);
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/store/migrations/0001_init.sql',
        'dist/store/sqlite/migrations/0002_claim_order_index.sql',
        'dist/store/postgres/migrations/0002_claim_order_index.sql',
        // The trained category model, which the classifier imports at load.
        'dist/knowledge/category-words.json',
      ]),
    );
    expect(
      files.filter(
        (file) => file.endsWith('.map') || (file.endsWith('.ts') && !file.endsWith('.d.ts')),
      ),
    ).toEqual([]);
  });

  it('classifies an error no rule knows with the shipped category model', async () => {
    writeFileSync(
      join(project, 'classify.mjs'),
      "import { analyzeError } from 'megamind';\nconsole.log(JSON.stringify(analyzeError({ message: process.argv[2] })));\n",
    );
    const { stdout, code } = await node([
      'classify.mjs',
      'cargo build: linking with cc failed for crate ring',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ruleId: null, category: 'build', transient: false });
  });

  it('prints its version', async () => {
    expect(await bin('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  describe.each(ENGINES)('on %s', (engine) => {
    const database = engine === 'sqlite' ? join(dir, 'jobs.db') : TEST_DATABASE_URL;

    it.each(['esm.mjs', 'cjs.js'])('runs a job from %s, and the bin lists it', async (consumer) => {
      const { stdout, stderr, code } = await node([consumer, database, schema]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const job = JSON.parse(stdout) as { id: string; status: string; result: unknown };
      expect(job).toMatchObject({ status: 'completed', result: { doubled: 42 } });
      const listed = await bin(
        'jobs',
        '--database',
        database,
        '--schema',
        schema,
        '--json',
        '--limit',
        '100',
      );
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(job.id);
    });
  });

  it('runs on PostgreSQL without better-sqlite3, and asking for SQLite names the missing package', async () => {
    const installed = join(project, 'node_modules/better-sqlite3');
    renameSync(installed, `${installed}.away`);
    try {
      if (ENGINES.includes('postgres'))
        expect((await node(['cjs.js', TEST_DATABASE_URL, schema])).code).toBe(0);
      const sqlite = await node(['cjs.js', join(dir, 'other.db')]);
      expect(sqlite.code).toBe(1);
      expect(sqlite.stderr).toContain('SQLite needs the package better-sqlite3');
      const cli = await bin('jobs', '--database', join(dir, 'jobs.db'));
      expect(cli.code).toBe(2);
      expect(cli.stderr).toContain('npm install better-sqlite3');
    } finally {
      renameSync(`${installed}.away`, installed);
    }
  });

  it('says a TypeScript jobs module needs tsx, which is an optional peer', async () => {
    writeFileSync(join(project, 'jobs.ts'), 'export function register() {}\n');
    const { code, stderr } = await bin(
      'worker',
      '--module',
      'jobs.ts',
      '--database',
      join(dir, 'jobs.db'),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('needs the package tsx');
  });
});
