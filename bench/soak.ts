/**
 * Soak: three worker processes SIGKILLed at random while jobs stream in, on one engine at a time,
 * with a per-attempt ledger. Reports lost jobs, duplicate completions, overlapping attempts and the
 * delay from a kill to the rerun of the jobs the killed process was running.
 *
 *   npx tsx soak.ts [--engines sqlite,postgres] [--minutes 10] [--lease-ms 2000] [--rate 30]
 *
 * PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/bench), schema mm_soak.
 * Writes the raw figures to bench/results/soak-<time>.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createMegaMindClient } from '../src/index.js';
import { PG_URL } from './adapters/adapter.js';

const { values } = parseArgs({
  options: {
    engines: { type: 'string', default: 'sqlite,postgres' },
    minutes: { type: 'string', default: '10' },
    'lease-ms': { type: 'string', default: '2000' },
    rate: { type: 'string', default: '30' },
  },
});
const minutes = Number(values.minutes);
const leaseMs = Number(values['lease-ms']);
const rate = Number(values.rate);
const WORKER = fileURLToPath(new URL('./soak-worker.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const SCHEMA = 'mm_soak';

interface Entry {
  event: 'start' | 'end' | 'completed';
  id: string;
  attempt: number;
  pid: number;
  at: number;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

async function soak(engine: 'sqlite' | 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), `megamind-soak-${engine}-`));
  const database = engine === 'sqlite' ? join(dir, 'soak.db') : PG_URL;
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await admin.end();
  }
  const client = createMegaMindClient({
    database,
    schema: engine === 'postgres' ? SCHEMA : undefined,
  });
  await client.ready();
  // A worker must have described the type before a client can enqueue it.
  const kills = new Map<number, number>();
  const children = new Set<ChildProcess>();
  const spawn = () =>
    new Promise<ChildProcess>((resolve) => {
      const child = fork(
        WORKER,
        [
          database,
          engine === 'postgres' ? SCHEMA : '-',
          String(leaseMs),
          join(dir, `ledger-${Date.now()}-${Math.random()}.jsonl`),
        ],
        {
          execArgv: ['--import', TSX],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        },
      );
      children.add(child);
      child.once('message', () => resolve(child));
      child.once('exit', () => children.delete(child));
    });
  const workers = await Promise.all([spawn(), spawn(), spawn()]);

  const enqueued: string[] = [];
  const endAt = Date.now() + minutes * 60_000;
  const enqueuer = (async () => {
    while (Date.now() < endAt) {
      const batch = Array.from({ length: Math.max(1, Math.round(rate / 10)) }, () => ({
        type: 'soak',
        payload: { ms: 20 + Math.floor(Math.random() * 480) },
      }));
      for (const job of await client.enqueueMany(batch)) enqueued.push(job.id);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  let killCount = 0;
  while (Date.now() < endAt) {
    await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 2000));
    const index = Math.floor(Math.random() * workers.length);
    const victim = workers[index] as ChildProcess;
    kills.set(victim.pid as number, Date.now());
    victim.kill('SIGKILL');
    killCount++;
    workers[index] = await spawn();
  }
  await enqueuer;
  // Drain: every job must complete once the kills stop.
  const drainDeadline = Date.now() + 5 * 60_000;
  while (
    Date.now() < drainDeadline &&
    (await client.countJobs({ status: 'completed' })) < enqueued.length
  ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (const child of children) child.kill('SIGTERM');
  const completedInStore = await client.countJobs({ status: 'completed' });
  await client.close();

  const entries: Entry[] = readdirSync(dir)
    .filter((name) => name.endsWith('.jsonl'))
    .flatMap((name) =>
      readFileSync(join(dir, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Entry),
    );
  rmSync(dir, { recursive: true, force: true });
  const byJob = new Map<string, Entry[]>();
  for (const entry of entries) byJob.set(entry.id, [...(byJob.get(entry.id) ?? []), entry]);

  let duplicateCompletions = 0;
  let overlapping = 0;
  const delays: number[] = [];
  for (const [, list] of byJob) {
    const completions = list.filter((e) => e.event === 'completed');
    if (completions.length > 1) duplicateCompletions += completions.length - 1;
    // One interval per attempt: from its start to its end, or to its process's kill.
    const starts = list.filter((e) => e.event === 'start').sort((a, b) => a.at - b.at);
    const intervals = starts.map((start) => {
      const end = list.find(
        (e) => e.event === 'end' && e.pid === start.pid && e.attempt === start.attempt,
      );
      const killedAt = kills.get(start.pid);
      return {
        start: start.at,
        end: end?.at ?? killedAt ?? Infinity,
        killed: !end && killedAt !== undefined,
        pid: start.pid,
      };
    });
    for (let i = 1; i < intervals.length; i++) {
      const previous = intervals[i - 1]!;
      const current = intervals[i]!;
      if (current.start < previous.end) overlapping++;
      if (previous.killed) delays.push(current.start - previous.end);
    }
  }
  const lost = enqueued.length - completedInStore;
  delays.sort((a, b) => a - b);
  return {
    engine,
    minutes,
    leaseMs,
    kills: killCount,
    enqueued: enqueued.length,
    completed: completedInStore,
    lost,
    duplicateCompletions,
    overlappingAttempts: overlapping,
    reruns: delays.length,
    killToRerunMs: {
      p50: percentile(delays, 50),
      p99: percentile(delays, 99),
      max: delays.at(-1) ?? null,
    },
    p99WithinLeasePlus1s: (percentile(delays, 99) ?? 0) <= leaseMs + 1000,
  };
}

const results = [];
for (const engine of values.engines.split(',') as ('sqlite' | 'postgres')[]) {
  const result = await soak(engine);
  console.log(JSON.stringify(result));
  results.push(result);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = new URL(
  `./results/soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  import.meta.url,
);
writeFileSync(
  file,
  JSON.stringify(
    { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, results },
    null,
    2,
  ),
);
console.log(`wrote ${fileURLToPath(file)}`);
