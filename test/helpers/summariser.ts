/** A job type's knobs with two models to choose from. */
export const MODEL_KNOBS = {
  model: { kind: 'choice' as const, default: 'small', options: ['small', 'large'] },
};

/** A summariser whose small model refuses long documents: only the large one gets through. */
export function summarise(
  _payload: unknown,
  ctx: { knobs: Readonly<Record<string, unknown>> },
): string {
  if (ctx.knobs.model !== 'large')
    throw new Error(`model ${String(ctx.knobs.model)} cannot summarise 40000 tokens`);
  return 'summary';
}
