import type { MegaMind } from '../app/mega-mind.js';
import type { Job } from '../core/types.js';
import { startDemoServices, type DemoServices, type DemoServicesOptions } from './demo-services.js';
import {
  defineGenerateApp,
  GENERATE_APP,
  type GenerateAppOptions,
  type GenerateAppPayload,
} from './generate-app-pipeline.js';
import { seededRandom } from '../core/random.js';

/** What {@link prepareDemo} takes. Every field is optional. */
export interface DemoOptions {
  /** Seed of the jobs and of the services' faults. @default 42 */
  seed?: number;
  /** A new job every this many ms. @default 2500 */
  intervalMs?: number;
  /** Jobs enqueued at once when the demo starts. @default 4 */
  initialJobs?: number;
  /** No new jobs while this many are queued: a demo left running does not pile up work. @default 10 */
  maxQueued?: number;
  /**
   * Share of jobs that generate a large app: half of them (80 files) run out of heap in the build
   * until `batchSize` is lowered, the other half (150 files) also outlast the default `timeoutMs`.
   * @default 0.25
   */
  largeShare?: number;
  /**
   * The first job's database migration hangs once, so within seconds of the start a job is stuck
   * at 25% and gets healed (with the monitor and healer on, as in `megamind start`).
   * @default true
   */
  firstJobHangs?: boolean;
  services?: DemoServicesOptions;
  pipeline?: Omit<GenerateAppOptions, 'servicesUrl'>;
  /** Called with an error the trickle met (a failed enqueue). @default ignored */
  onError?: (error: unknown) => void;
}

/** A prepared demo: its services run and its job type is defined; `run()` starts the jobs. */
export interface Demo {
  readonly services: DemoServices;
  /**
   * Enqueues the first jobs, then one every `intervalMs`. Call after `mm.start()`. Resolves with
   * the first jobs; the first of them hangs once unless `firstJobHangs: false`.
   */
  run(): Promise<Job[]>;
  /** Stops enqueuing and closes the services. */
  stop(): Promise<void>;
}

const APPS = [
  'todo-app',
  'blog',
  'crm',
  'shop',
  'chat',
  'wiki',
  'booking',
  'survey',
  'invoice',
  'kanban',
];

/** The name of the `index`th app the demo generates (from 0): `todo-app-1`, `blog-2`, … */
function appName(index: number): string {
  return `${APPS[index % APPS.length]}-${index + 1}`;
}

/**
 * Prepares the demo pipeline on an engine: starts the misbehaving loopback services and defines
 * `generate-app` against them. Call before `mm.start()`, then `run()` after it.
 */
export async function prepareDemo(mm: MegaMind, options: DemoOptions = {}): Promise<Demo> {
  const seed = options.seed ?? 42;
  const firstApp = appName(0);
  const services = await startDemoServices({
    seed,
    ...options.services,
    hangOnce: [
      ...(options.services?.hangOnce ?? []),
      ...((options.firstJobHangs ?? true) ? [firstApp] : []),
    ],
  });
  defineGenerateApp(mm, { ...options.pipeline, servicesUrl: services.url });
  const random = seededRandom(seed + 1);
  const largeShare = options.largeShare ?? 0.25;
  let made = 0;
  let timer: NodeJS.Timeout | undefined;

  const nextPayload = (): GenerateAppPayload => {
    const large = random() < largeShare;
    const app = appName(made++);
    const files = large ? (random() < 0.5 ? 80 : 150) : 8 + Math.floor(random() * 12);
    return { app, files };
  };
  const enqueue = async (count: number): Promise<Job[]> => {
    if ((await mm.countJobs({ status: 'queued' })) >= (options.maxQueued ?? 10)) return [];
    return mm.enqueueMany(
      Array.from({ length: count }, () => ({ type: GENERATE_APP, payload: nextPayload() })),
    );
  };

  return {
    services,
    async run() {
      const first = await enqueue(options.initialJobs ?? 4);
      timer = setInterval(() => {
        if (mm.closed) return;
        enqueue(1).catch((error: unknown) => options.onError?.(error));
      }, options.intervalMs ?? 2500);
      return first;
    },
    async stop() {
      clearInterval(timer);
      await services.close();
    },
  };
}
