/**
 * Comparing a message's masked tokens with a cluster's template: the similarity rules of
 * {@link TemplateTree}, kept apart so they read (and test) on their own.
 */

/** The mined wildcard: a position whose value varies across the messages of a cluster. */
export const WILDCARD = '<*>';

/** How a message compares with a template of the same length. */
export interface TemplateScore {
  /** Constant template tokens the message repeats. */
  same: number;
  /** Constant template tokens where the message has another value. */
  diff: number;
}

/**
 * Scores tokens against a template, or `undefined` when they cannot join it: a different word
 * somewhere, nothing in common, or more than `maxDiffShare` of the constant tokens differing.
 */
export function compareToTemplate(
  template: string[],
  tokens: string[],
  maxDiffShare: number,
): TemplateScore | undefined {
  let same = 0;
  let diff = 0;
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    if (t === WILDCARD) continue;
    const s = tokens[i]!;
    if (t === s) same++;
    // Two different words are two different messages until enough of them are seen.
    else if (differInWords(t, s)) return undefined;
    else diff++;
  }
  if (same === 0 && diff > 0) return undefined;
  if (diff > maxDiffShare * (same + diff)) return undefined;
  return { same, diff };
}

/** Turns into `<*>` every template position the tokens disagree with; true if any changed. */
export function generaliseTemplate(template: string[], tokens: string[]): boolean {
  let changed = false;
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== WILDCARD && template[i] !== tokens[i]) {
      template[i] = WILDCARD;
      changed = true;
    }
  }
  return changed;
}

/** True when every message of `inner` would also fit `outer` as it stands. */
export function coversTemplate(outer: string[], inner: string[]): boolean {
  for (let i = 0; i < outer.length; i++) {
    if (outer[i] !== WILDCARD && outer[i] !== inner[i]) return false;
  }
  return true;
}

const WORD_RE = /^[A-Za-z][A-Za-z'-]*[.,:;!?]*$/;
const NON_LETTERS_RE = /[^A-Za-z]+/g;

/**
 * True when two different tokens differ in their words, not only in their values: two plain
 * words ("begin", "end"), or the text around the values of two masked tokens ("lock=<*>",
 * "flags=<*>"). Such a difference makes two messages, until enough variants are seen.
 */
export function differInWords(a: string, b: string): boolean {
  if (!a.includes('<') && !b.includes('<')) return WORD_RE.test(a) && WORD_RE.test(b);
  if (!a.includes('<') || !b.includes('<')) return false;
  // Letters only: "ws=<*>," and "ws=<*>}," hold the same words around different values.
  const textA = a.replaceAll(WILDCARD, '').replace(NON_LETTERS_RE, '');
  const textB = b.replaceAll(WILDCARD, '').replace(NON_LETTERS_RE, '');
  return textA !== textB && textA !== '' && textB !== '';
}
