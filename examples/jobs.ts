// A jobs module for `megamind worker --module examples/jobs.ts`.
import type { MegaMind } from '../src/index.js';

export function register(mm: MegaMind): void {
  mm.define<{ to: string }>('send-welcome-email', {
    concurrency: 5,
    async run(payload, ctx) {
      await ctx.stage('Rendering', 50);
      return { sentTo: payload.to, attempt: ctx.attempt };
    },
  });
}
