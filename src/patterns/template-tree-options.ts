/** Tuning of a `TemplateTree`. The defaults are the one configuration we benchmark. */
export interface TemplateTreeOptions {
  /**
   * Largest share of a template's constant tokens a message may differ in (in values, not in
   * words) and still join it.
   * @default 0.4
   */
  maxDiffShare?: number;
  /**
   * Distinct words seen at one position, all else equal, before that position counts as a
   * variable: four user names make a variable, "begin" and "end" make two messages.
   * @default 4
   */
  minWordValues?: number;
  /**
   * Share of those distinct words that must have been seen only once before the position counts
   * as a variable. Names and ids keep bringing new words (most seen once); a state or an action
   * ("VM Started", "VM Paused", "VM Resumed", "VM Stopped") repeats a few words, each its own event.
   * 0 turns the check off.
   * @default 0.5
   */
  minRareShare?: number;
  /**
   * Most live clusters kept in memory (and in the saved state). Past it, the tenth least recently
   * used are forgotten; a message of a forgotten shape founds a new cluster. What the patterns
   * learned is in the store, so nothing but the template is lost.
   * @default 10000
   */
  maxClusters?: number;
  /**
   * Most merged cluster ids kept resolving to their survivor. Past it, the oldest tenth are
   * forgotten and {@link TemplateTree.resolve} answers `undefined` for them.
   * @default 10000
   */
  maxAliases?: number;
}

/** {@link TemplateTreeOptions} with every default filled in. */
export type ResolvedTemplateTreeOptions = Required<TemplateTreeOptions>;

const DEFAULTS = {
  maxDiffShare: 0.4,
  minWordValues: 4,
  minRareShare: 0.5,
  maxClusters: 10_000,
  maxAliases: 10_000,
} satisfies ResolvedTemplateTreeOptions;

/** Fills in defaults and checks ranges, naming the option that is wrong. */
export function resolveTemplateTreeOptions(
  options: TemplateTreeOptions = {},
): ResolvedTemplateTreeOptions {
  const resolved = { ...DEFAULTS, ...options };
  if (!(resolved.maxDiffShare >= 0 && resolved.maxDiffShare < 1)) {
    throw new RangeError('maxDiffShare must be at least 0 and less than 1');
  }
  if (!Number.isInteger(resolved.minWordValues) || resolved.minWordValues < 2) {
    throw new RangeError('minWordValues must be an integer of at least 2');
  }
  if (!(resolved.minRareShare >= 0 && resolved.minRareShare <= 1)) {
    throw new RangeError('minRareShare must be between 0 and 1');
  }
  for (const name of ['maxClusters', 'maxAliases'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1)
      throw new RangeError(`${name} must be an integer of at least 1`);
  }
  return resolved;
}
