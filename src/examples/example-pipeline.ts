import type { MegaMind } from '../app/mega-mind.js';

/** The stages of the example pipeline, as an AI app-generation job would report them. */
export const EXAMPLE_STAGES = [
  { name: 'Analysing the request', percent: 10 },
  { name: 'Setting up database foundation', percent: 25 },
  { name: 'Generating code', percent: 60 },
  { name: 'Building', percent: 85 },
  { name: 'Deploying', percent: 95 },
] as const;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

/**
 * Defines `example.generate-app`: a small multi-stage job that walks through its stages, saves a
 * checkpoint after each, and on a retry resumes after the last one it finished.
 */
export function defineExamplePipeline(mm: MegaMind, stepMs = 300): void {
  mm.define<{ app: string }>('example.generate-app', {
    concurrency: 2,
    stages: EXAMPLE_STAGES,
    expectedDurationMs: stepMs * EXAMPLE_STAGES.length,
    knobs: { timeoutMs: { kind: 'number', default: 60_000, min: 1_000, max: 600_000, integer: true } },
    async run(payload, ctx) {
      const done = typeof ctx.lastCheckpoint === 'number' ? ctx.lastCheckpoint : 0;
      for (const [index, stage] of EXAMPLE_STAGES.entries()) {
        if (index < done) continue;
        await ctx.stage(stage.name, stage.percent);
        await pause(stepMs, ctx.signal);
        await ctx.checkpoint(index + 1);
      }
      return { app: payload.app, url: `https://${payload.app}.example.dev` };
    },
  });
}
