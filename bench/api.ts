/**
 * HTTP API benchmark: requests/s and p99 latency of `GET /api/jobs` and of the
 * `mega-mind-self-healer` function, beside a bare Hono hello-world, measured in one run on loopback.
 *
 *   npx tsx api.ts [--runs 3] [--duration 10] [--connections 20]
 *
 * The servers run in a child process (this file with --serve), so autocannon and the servers do not
 * share an event loop. Results go to stdout (a Markdown table) and bench/results/api-<time>.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { createApp } from '../src/api/app.js';
import type { HealerPort } from '../src/api/ports.js';
import { createMegaMind } from '../src/app/mega-mind.js';
import { summarize, type Summary } from './lib/stats.js';

const KEY = 'bench-operate-key-0123456789';
const SEEDED_JOBS = 1000;

const { values } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
  },
});

/** Child mode: the hello-world and the Mega Mind API on two free ports; prints them as JSON. */
async function runServers(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'megamind-bench-api-'));
  const mm = createMegaMind({ database: join(dir, 'api.db') });
  mm.define('bench.job', { run: async () => null });
  await mm.ready();
  for (let i = 0; i < SEEDED_JOBS; i += 100) {
    await mm.enqueueMany(
      Array.from({ length: 100 }, (_, j) => ({
        type: 'bench.job',
        payload: { n: i + j, note: 'x'.repeat(64) },
      })),
    );
  }
  // Until the healer lands, a stand-in that does what any scan does first: read the jobs to look at.
  const healer: HealerPort = {
    heal: async ({ jobId }) => {
      const jobs = jobId
        ? [await mm.getJob(jobId)]
        : await mm.listJobs({ status: 'failed', limit: 100 });
      return { scanned: jobs.length, results: [] };
    },
  };
  const app = createApp({
    engine: mm,
    healer,
    keys: [{ key: KEY, role: 'operate' }],
    rateLimit: { limit: 1_000_000_000 },
  });
  const hello = new Hono().get('/', (c) => c.json({ hello: 'world' }));
  const listen = (fetch: (r: Request) => Response | Promise<Response>) =>
    new Promise<number>((resolve) => {
      const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
      process.once('SIGTERM', () => server.close());
    });
  const ports = { hello: await listen(hello.fetch), api: await listen(app.fetch) };
  process.stdout.write(`${JSON.stringify(ports)}\n`);
  process.once('SIGTERM', () => {
    void mm.stop().then(() => rmSync(dir, { recursive: true, force: true }));
  });
}

interface Target {
  name: string;
  url: (ports: { hello: number; api: number }) => string;
  method?: string;
  body?: string;
}

const TARGETS: Target[] = [
  { name: 'Hono hello-world (peer)', url: (p) => `http://127.0.0.1:${p.hello}/` },
  {
    name: 'GET /api/jobs (50 of 1000 jobs, auth, redaction)',
    url: (p) => `http://127.0.0.1:${p.api}/api/jobs`,
  },
  {
    name: 'POST /functions/v1/mega-mind-self-healer {mode:"auto"}',
    url: (p) => `http://127.0.0.1:${p.api}/functions/v1/mega-mind-self-healer`,
    method: 'POST',
    body: '{"mode":"auto"}',
  },
];

async function main(): Promise<void> {
  if (values.serve) return runServers();
  const runs = Number(values.runs);
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ports = await new Promise<{ hello: number; api: number }>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) =>
      resolve(JSON.parse(chunk.toString()) as { hello: number; api: number }),
    );
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  const samples = new Map<
    string,
    { rps: number[]; p99: number[]; p50: number[]; non2xx: number }
  >();
  try {
    for (let run = 0; run < runs; run++) {
      // Interleaved, so a change in the machine's load hits every target alike.
      for (const target of TARGETS) {
        const result = await autocannon({
          url: target.url(ports),
          method: target.method ?? 'GET',
          body: target.body,
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          connections,
          duration,
        });
        const entry = samples.get(target.name) ?? { rps: [], p99: [], p50: [], non2xx: 0 };
        entry.rps.push(result.requests.average);
        entry.p99.push(result.latency.p99);
        entry.p50.push(result.latency.p50);
        entry.non2xx += result.non2xx + result.errors + result.timeouts;
        samples.set(target.name, entry);
        process.stderr.write(
          `run ${run + 1}/${runs} ${target.name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms\n`,
        );
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  const fmt = (s: Summary, digits = 0) =>
    `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
  console.log(
    `\n${runs} runs × ${duration} s, ${connections} connections, loopback; median (min–max)\n`,
  );
  console.log('| target | requests/s | p50 ms | p99 ms | non-2xx |');
  console.log('|---|---|---|---|---|');
  for (const [name, s] of samples)
    console.log(
      `| ${name} | ${fmt(summarize(s.rps))} | ${fmt(summarize(s.p50), 1)} | ${fmt(summarize(s.p99), 1)} | ${s.non2xx} |`,
    );
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  const file = new URL(
    `./results/api-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    import.meta.url,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        runs,
        duration,
        connections,
        seededJobs: SEEDED_JOBS,
        samples: Object.fromEntries(samples),
      },
      null,
      2,
    ),
  );
}

await main();
