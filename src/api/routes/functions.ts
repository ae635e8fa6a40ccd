import type { Hono } from 'hono';
import { OrchestratorError } from '../../core/errors.js';
import type { z } from 'zod';
import { analyzeError, type ErrorAnalysis } from '../../patterns/analyze-error.js';
import { partOr501, type ApiContext } from '../api-context.js';
import type { AnalysisSchema } from '../contracts.js';
import {
  AutoFixBody,
  MonitorBody,
  OrchestratorBody,
  SelfHealBody,
  SelfHealerBody,
  TeacherBody,
} from '../contracts.js';
import { answer, authorize, parse, readJson, type ApiEnv } from '../http.js';
import { editPattern } from './patterns.js';
import { enqueueJobs, jobOr404 } from './jobs.js';

/** The seed's function names, served at `POST /functions/v1/<name>`. */
export const SEED_FUNCTIONS = [
  'mega-mind-self-healer',
  'proactive-monitor',
  'universal-error-teacher',
  'auto-fix-engine',
  'self-heal',
  'smart-orchestrator',
] as const;

/** An analysis as the API shows it: `signature` is the key the pattern book files it under. */
function shownAnalysis(analysis: ErrorAnalysis): z.output<typeof AnalysisSchema> {
  const {
    patternKey,
    template,
    category,
    transient,
    rootCause,
    remedies,
    prevention,
    confidence,
    ruleId,
  } = analysis;
  return {
    signature: patternKey,
    template,
    category,
    transient,
    rootCause,
    remedies,
    prevention,
    confidence,
    ruleId,
  };
}

/**
 * `POST /functions/v1/<name>`: the seed's Supabase edge functions, JSON in and out, so that
 * `supabase.functions.invoke(name, { body })` works unchanged against Mega Mind.
 */
export function functionRoutes(app: Hono<ApiEnv>, ctx: ApiContext): void {
  const fn = (name: (typeof SEED_FUNCTIONS)[number]) => `/functions/v1/${name}`;

  app.post(fn('mega-mind-self-healer'), ctx.guard('operate', true), async (c) => {
    const body = parse(SelfHealerBody, await readJson(c), 'body');
    const healer = partOr501(ctx, 'healer');
    if (body.jobId !== undefined) await jobOr404(ctx, body.jobId);
    const stopTimer = ctx.metrics.scanSeconds.startTimer();
    const report = await healer.heal(body.jobId === undefined ? {} : { jobId: body.jobId });
    stopTimer();
    ctx.events.append('heal:scan', ctx.clock.now(), {
      data: { jobId: body.jobId ?? null, scanned: report.scanned, results: report.results.length },
    });
    return answer(c, report);
  });

  app.post(fn('proactive-monitor'), ctx.guard('read'), async (c) => {
    const body = parse(MonitorBody, await readJson(c), 'body');
    const monitor = partOr501(ctx, 'monitor');
    const [health, findings] = await Promise.all([
      monitor.health(),
      monitor.findings({ limit: body.limit }),
    ]);
    return answer(c, { health, findings });
  });

  app.post(fn('universal-error-teacher'), ctx.guard('read'), async (c) => {
    const body = parse(TeacherBody, await readJson(c), 'body');
    if (body.mode === 'analyze')
      return answer(c, { mode: body.mode, analysis: shownAnalysis(analyzeError(body.error)) });
    if (body.mode === 'learn') {
      authorize(c, ctx.keys, ctx.limiter, 'operate', true);
      const { pattern, analysis } = await ctx.engine.patterns.record(
        { ...body.error, jobId: body.jobId },
        ctx.clock.now(),
      );
      const disabled = (await ctx.engine.store.disabledPatternIds()).has(pattern.id);
      return answer(c, {
        mode: body.mode,
        analysis: shownAnalysis(analysis),
        pattern: { ...pattern, disabled },
        known: pattern.occurrenceCount > 1,
      });
    }
    authorize(c, ctx.keys, ctx.limiter, 'admin', true);
    const { mode, pattern: key, ...edit } = body;
    return answer(c, { mode, pattern: await editPattern(ctx, key, edit) });
  });

  app.post(fn('auto-fix-engine'), ctx.guard('operate', true), async (c) => {
    const body = parse(AutoFixBody, await readJson(c), 'body');
    const healer = partOr501(ctx, 'healer');
    if (!healer.applyRemedy)
      throw new OrchestratorError(
        'ERR_NOT_IMPLEMENTED',
        'this healer cannot apply a single remedy',
      );
    await jobOr404(ctx, body.jobId);
    return answer(c, await healer.applyRemedy(body));
  });

  app.post(fn('self-heal'), ctx.guard('operate', true), async (c) => {
    const body = parse(SelfHealBody, await readJson(c), 'body');
    const healer = partOr501(ctx, 'healer');
    if (!healer.applyFixer)
      throw new OrchestratorError('ERR_NOT_IMPLEMENTED', 'this healer has no code-level fixers');
    await jobOr404(ctx, body.jobId);
    return answer(c, await healer.applyFixer(body));
  });

  app.post(fn('smart-orchestrator'), ctx.guard('operate', true), async (c) => {
    const body = parse(OrchestratorBody, await readJson(c), 'body');
    const items = 'jobs' in body ? body.jobs : [body];
    return answer(c, { jobs: await enqueueJobs(ctx, items) }, 201);
  });
}
