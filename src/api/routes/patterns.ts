import type { Hono } from 'hono';
import { invalidArgument, OrchestratorError } from '../../core/errors.js';
import type { Pattern } from '../../core/types.js';
import { isActionId } from '../../knowledge/actions.js';
import { CATEGORY_IDS, isCategory } from '../../knowledge/categories.js';
import type { PatternEdit } from '../../store/store.js';
import type { ApiContext } from '../api-context.js';
import {
  IdParam,
  PackImportQuery,
  PatternEditBody,
  PatternListQuery,
  PatternPackSchema,
} from '../contracts.js';
import { answer, parse, readJson, type ApiEnv } from '../http.js';
import { exportPatternPack, importPatternPack } from '../pattern-pack.js';

/** A pattern as the API shows it: with its `disabled` flag. @internal */
export type ApiPattern = Pattern & { disabled: boolean };

/** Checks remedies and category against the catalogue, then applies the edit; 404 when unknown. @internal */
export async function editPattern(
  ctx: ApiContext,
  key: string,
  edit: PatternEdit,
): Promise<ApiPattern> {
  const unknown = edit.remedies?.find((r) => !isActionId(r));
  if (unknown !== undefined)
    throw invalidArgument(`remedies: "${unknown}" is not a remedy action of the catalogue`);
  if (edit.category !== undefined && !isCategory(edit.category)) {
    throw invalidArgument(
      `category: must be one of ${CATEGORY_IDS.join(', ')}, got "${edit.category}"`,
    );
  }
  const pattern = await ctx.engine.store.editPattern(key, edit, ctx.clock.now());
  if (!pattern)
    throw new OrchestratorError(
      'ERR_PATTERN_NOT_FOUND',
      `no pattern with id or signature "${key}"`,
    );
  const shown = await withDisabled(ctx, [pattern]);
  ctx.events.append('pattern:updated', ctx.clock.now(), { pattern });
  return shown[0] as ApiPattern;
}

async function withDisabled(ctx: ApiContext, patterns: Pattern[]): Promise<ApiPattern[]> {
  const disabled =
    patterns.length === 0 ? new Set<string>() : await ctx.engine.store.disabledPatternIds();
  return patterns.map((p) => ({ ...p, disabled: disabled.has(p.id) }));
}

/** `/api/patterns`: list, read with remedy statistics, edit, disable, enable; `/api/pack`: export and import. */
export function patternRoutes(app: Hono<ApiEnv>, ctx: ApiContext): void {
  const store = () => ctx.engine.store;

  app.get('/api/patterns', ctx.guard('read'), async (c) => {
    const q = parse(PatternListQuery, c.req.query(), 'query');
    const patterns = await store().listPatterns({
      category: q.category,
      orderBy: q.orderBy,
      limit: q.limit,
      offset: q.offset,
    });
    return answer(c, {
      patterns: await withDisabled(ctx, patterns),
      limit: q.limit,
      offset: q.offset,
    });
  });

  app.get('/api/patterns/:id', ctx.guard('read'), async (c) => {
    const { id } = parse(IdParam, c.req.param(), 'path');
    const pattern = await store().getPattern(id);
    if (!pattern)
      throw new OrchestratorError(
        'ERR_PATTERN_NOT_FOUND',
        `no pattern with id or signature "${id}"`,
      );
    const [shown] = await withDisabled(ctx, [pattern]);
    const [remedyStatistics, occurrences] = await Promise.all([
      store().remedyStatistics(pattern.id),
      store().listOccurrences(pattern.id, 20),
    ]);
    return answer(c, { pattern: shown, remedyStatistics, occurrences });
  });

  app.patch('/api/patterns/:id', ctx.guard('admin', true), async (c) => {
    const { id } = parse(IdParam, c.req.param(), 'path');
    const edit = parse(PatternEditBody, await readJson(c), 'body');
    return answer(c, { pattern: await editPattern(ctx, id, edit) });
  });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/api/patterns/:id/${verb}`, ctx.guard('admin', true), async (c) => {
      const { id } = parse(IdParam, c.req.param(), 'path');
      return answer(c, { pattern: await editPattern(ctx, id, { disabled }) });
    });
  }

  app.get('/api/pack', ctx.guard('read'), async (c) =>
    answer(c, await exportPatternPack(store(), ctx.clock.now())),
  );

  app.post('/api/pack', ctx.guard('admin', true), async (c) => {
    const { weight } = parse(PackImportQuery, c.req.query(), 'query');
    const pack = parse(PatternPackSchema, await readJson(c), 'body');
    return answer(c, await importPatternPack(store(), pack, { weight, now: ctx.clock.now() }));
  });
}
