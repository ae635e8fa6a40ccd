/**
 * One worker of the soak (see soak.ts): runs "soak" jobs and appends every attempt's start, end and
 * accepted completion to its own ledger file with a synchronous write, so a SIGKILL loses nothing
 * that happened before it.
 */
import { appendFileSync } from 'node:fs';
import { createMegaMind } from '../src/index.js';

const [database, schema, leaseMs, ledger] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const log = (entry: Record<string, unknown>) =>
  appendFileSync(ledger, `${JSON.stringify({ ...entry, pid: process.pid, at: Date.now() })}\n`);

const mm = createMegaMind({
  database,
  schema: schema === '-' ? undefined : schema,
  leaseMs: Number(leaseMs),
  learnPatterns: false,
});
mm.on('worker:error', () => {});
mm.define('soak', {
  concurrency: 8,
  maxAttempts: 1000,
  async run(payload, ctx) {
    const { ms } = payload as { ms: number };
    log({ event: 'start', id: ctx.id, attempt: ctx.attempt });
    await new Promise((resolve) => setTimeout(resolve, ms / 2));
    await ctx.stage('half', 50);
    await new Promise((resolve) => setTimeout(resolve, ms / 2));
    log({ event: 'end', id: ctx.id, attempt: ctx.attempt });
    return { by: process.pid };
  },
});
mm.on('job:completed', (job) => log({ event: 'completed', id: job.id, attempt: job.attempts }));
await mm.start();
process.send?.({ ready: true });
