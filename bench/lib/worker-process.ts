import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SystemName, WorkerVariant } from '../adapters/adapter.js';
import type { ChildMessage, ParentMessage } from './messages.js';

const WORKER_ENTRY = fileURLToPath(new URL('../worker.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

type MessageOf<T extends ChildMessage['type']> = Extract<ChildMessage, { type: T }>;

/** One worker child process, with awaitable messages. */
export class WorkerProcess {
  readonly #child: ChildProcess;
  readonly #inbox: ChildMessage[] = [];
  readonly #waiters = new Set<() => void>();
  #exited = false;

  constructor(system: SystemName, variant: WorkerVariant, expected: number) {
    this.#child = fork(WORKER_ENTRY, [], {
      execArgv: ['--import', TSX_LOADER],
      env: {
        ...process.env,
        BENCH_SYSTEM: system,
        BENCH_VARIANT: JSON.stringify(variant),
        BENCH_EXPECTED: String(expected),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: ChildMessage) => {
      this.#inbox.push(message);
      this.#wake();
    });
    this.#child.on('exit', () => {
      this.#exited = true;
      this.#wake();
    });
  }

  /** Starts the child and waits until it is connected and ready to take jobs. */
  static async spawn(
    system: SystemName,
    variant: WorkerVariant,
    expected: number,
  ): Promise<WorkerProcess> {
    const worker = new WorkerProcess(system, variant, expected);
    await worker.next('ready', 60_000);
    return worker;
  }

  send(message: ParentMessage): void {
    this.#child.send(message);
  }

  /** Resolves with the first unread message of this type; rejects after `timeoutMs` or on exit. */
  async next<T extends ChildMessage['type']>(type: T, timeoutMs: number): Promise<MessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex((m) => m.type === type);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as MessageOf<T>;
      if (this.#exited) throw new Error(`worker exited before sending '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no '${type}' from the worker within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#waiters.add(done);
      });
    }
  }

  /** SIGKILL: the process gets no chance to release anything. */
  kill(): void {
    this.#child.kill('SIGKILL');
  }

  /** Graceful stop, bounded: SIGKILL if the child has not stopped within `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.#exited) return;
    this.send({ type: 'stop' });
    try {
      await this.next('stopped', timeoutMs);
    } catch {
      this.kill();
    }
    await this.exited(timeoutMs);
  }

  async exited(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  #wake(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}
