import type { MegaMind } from '../app/mega-mind.js';
import type { JobContext } from '../orchestrator/job-context.js';
import { callService } from './call-service.js';

/** The job type of the demo pipeline. */
export const GENERATE_APP = 'generate-app';

/** The stages of an AI app-generation job, as the seed names them. */
export const GENERATE_APP_STAGES = [
  { name: 'Planning', percent: 10 },
  { name: 'Setting up database foundation', percent: 25 },
  { name: 'Generating code', percent: 50 },
  { name: 'Building', percent: 75 },
  { name: 'Deploying', percent: 100 },
] as const;

/**
 * What the healer may change on a generate-app job, within these bounds. `timeoutMs` is the
 * attempt's timeout (the worker reads that knob); `batchSize` decides whether the build fits in
 * its heap.
 */
export function generateAppKnobs(timeoutMs: number) {
  return {
    model: { kind: 'choice', default: 'large-model', options: ['large-model', 'small-model'] },
    timeoutMs: { kind: 'number', default: timeoutMs, min: 1_000, max: 120_000, integer: true },
    batchSize: { kind: 'number', default: 32, min: 1, max: 64, integer: true },
    maxContextTokens: { kind: 'number', default: 16_000, min: 1_000, max: 32_000, integer: true },
  } as const;
}

/** A generate-app job's payload: the app's name and how many files it has. */
export interface GenerateAppPayload {
  [key: string]: string | number;
  app: string;
  files: number;
}

/** Where the pipeline's services are and how patient it is. */
export interface GenerateAppOptions {
  /** Base URL of the demo services (see `startDemoServices`). */
  servicesUrl: string;
  /** A running job with no progress for this long is stuck: well before `timeoutMs`, so a monitor finds a hang first. @default 4000 */
  stuckAfterMs?: number;
  /**
   * Default of the `timeoutMs` knob: an attempt running longer is aborted. Large apps need more,
   * so they fail until a healer raises it; it is also the backstop for a hang nobody heals.
   * @default 20000
   */
  timeoutMs?: number;
  /** Attempts at once in this process. @default 4 */
  concurrency?: number;
  /** Attempts before a job fails for good. @default 4 */
  maxAttempts?: number;
}

/**
 * Defines `generate-app`: plan with the model API, set up the database, generate code, build and
 * deploy, each stage against a loopback service that can fail. Every stage saves a checkpoint,
 * so a retry resumes where the last attempt stopped.
 */
export function defineGenerateApp(mm: MegaMind, options: GenerateAppOptions): void {
  const url = options.servicesUrl;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const stuckAfterMs = options.stuckAfterMs ?? 4_000;
  // A generation streams tokens, so the job shows life while it waits; a hung migration does not.
  const streaming = <T>(ctx: JobContext, call: Promise<T>): Promise<T> => {
    const beat = setInterval(
      () => void ctx.heartbeat().catch(() => undefined),
      Math.max(50, stuckAfterMs / 4),
    );
    return call.finally(() => clearInterval(beat));
  };
  const steps: ((payload: GenerateAppPayload, ctx: JobContext) => Promise<unknown>)[] = [
    (payload, ctx) =>
      parseModelAnswer(
        callService({
          resource: 'model-api',
          method: 'POST',
          url: `${url}/v1/completions`,
          signal: ctx.signal,
          body: modelRequest(ctx, `Plan the app ${payload.app}`, 1),
        }),
      ),
    // No timeout of its own: a migration that never answers leaves the job stuck at 25%.
    (payload, ctx) =>
      callService({
        resource: 'postgres',
        method: 'POST',
        url: `${url}/db/migrate`,
        signal: ctx.signal,
        body: { app: payload.app },
      }),
    (payload, ctx) =>
      streaming(
        ctx,
        parseModelAnswer(
          callService({
            resource: 'model-api',
            method: 'POST',
            url: `${url}/v1/completions`,
            signal: ctx.signal,
            body: modelRequest(ctx, `Write the code of ${payload.app}`, payload.files),
          }),
        ),
      ),
    (payload, ctx) =>
      callService({
        resource: 'build',
        method: 'POST',
        url: `${url}/build`,
        signal: ctx.signal,
        body: { files: payload.files, batchSize: ctx.knobs.batchSize },
      }),
    (payload, ctx) =>
      callService({
        resource: 'registry',
        method: 'PUT',
        url: `${url}/registry/push`,
        signal: ctx.signal,
        body: { app: payload.app },
      }),
  ];

  mm.define<GenerateAppPayload>(GENERATE_APP, {
    concurrency: options.concurrency ?? 4,
    maxAttempts: options.maxAttempts ?? 4,
    stages: GENERATE_APP_STAGES,
    knobs: generateAppKnobs(timeoutMs),
    resources: ['model-api', 'postgres', 'registry'],
    expectedDurationMs: 5_000,
    stuckAfterMs,
    timeoutMs,
    async run(payload, ctx) {
      const saved = ctx.lastCheckpoint as { stagesDone?: unknown } | null;
      const done = typeof saved?.stagesDone === 'number' ? saved.stagesDone : 0;
      for (const [index, stage] of GENERATE_APP_STAGES.entries()) {
        if (index < done) continue;
        await ctx.stage(stage.name, stage.percent);
        await steps[index]?.(payload, ctx);
        await ctx.checkpoint({ stagesDone: index + 1, lastStage: stage.name });
      }
      return { app: payload.app, url: `https://${payload.app}.example.dev` };
    },
  });
}

function modelRequest(ctx: JobContext, prompt: string, files: number) {
  return { model: ctx.knobs.model, prompt, files, max_tokens: ctx.knobs.maxContextTokens };
}

// A truncated answer throws JSON.parse's own SyntaxError, as a real client would.
async function parseModelAnswer(answer: Promise<Record<string, unknown>>): Promise<unknown> {
  const body = await answer;
  if (!Array.isArray(body.choices)) throw new Error('model-api answered without choices');
  return body.choices;
}
