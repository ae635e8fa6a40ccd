/**
 * The worker child process: runs one system's worker and talks to the driver over IPC.
 *
 * Environment: BENCH_SYSTEM (a system name), BENCH_VARIANT (a WorkerVariant as JSON), BENCH_EXPECTED
 * (how many jobs make a batch; the worker says so when the last of them is done).
 * Messages in: go, report, stop. Messages out: ready, going, done, hung, report, stopped.
 */
import { now } from './adapters/adapter.js';
import type { JobPayload, SystemName, WorkerVariant } from './adapters/adapter.js';
import { loadAdapter } from './adapters/index.js';
import type { ChildMessage, ParentMessage } from './lib/messages.js';

const system = process.env.BENCH_SYSTEM as SystemName;
const variant = JSON.parse(process.env.BENCH_VARIANT ?? '{}') as WorkerVariant;
const expected = Number(process.env.BENCH_EXPECTED ?? 0);

function send(message: ChildMessage): void {
  process.send?.(message);
}

const adapter = await loadAdapter(system);
const latencies: number[] = [];
let handled = 0;
let completed = 0;

async function handle(payload: JobPayload): Promise<void> {
  const startedAt = now();
  if (payload.t !== undefined) latencies.push(startedAt - payload.t);
  if (payload.hang) {
    send({ type: 'hung', i: payload.i, t: startedAt });
    // Never settles: the driver SIGKILLs this process while the job is in flight.
    await new Promise<never>(() => {});
  }
  handled += 1;
  if (!adapter.reportsCompletions && handled === expected) send({ type: 'done', t: now() });
}

function onCompleted(): void {
  completed += 1;
  if (completed === expected) send({ type: 'done', t: now() });
}

const worker = await adapter.createWorker(variant, handle, onCompleted);

process.on('message', (message: ParentMessage) => {
  void (async () => {
    switch (message.type) {
      case 'go': {
        const t = now();
        await worker.start();
        send({ type: 'going', t });
        break;
      }
      case 'report':
        // maxRSS is in kilobytes.
        send({ type: 'report', latencies, maxRssMb: process.resourceUsage().maxRSS / 1024 });
        break;
      case 'stop':
        await worker.stop();
        send({ type: 'stopped' });
        process.exit(0);
    }
  })().catch((err: unknown) => {
    console.error(`worker (${system}) failed:`, err);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));

send({ type: 'ready' });
