import type { ActionId } from '../knowledge/actions.js';
import type { Category } from '../knowledge/categories.js';

/** A learned pattern as the similarity analyzer needs it; the pattern book stores more. */
export interface KnownPattern {
  id?: string;
  /** Masked message template, e.g. `connect ECONNREFUSED <*>:<*>`. */
  template: string;
  name?: string;
  code?: string;
  category: Category;
  /** Remedies, best first. */
  remedies: readonly ActionId[];
  transient?: boolean;
  rootCause?: string;
  /** How often the pattern was seen; breaks ties towards well-established patterns. */
  occurrences?: number;
}

/** The error to compare, reduced to what similarity looks at. */
export interface SimilarQuery {
  /** Masked template if one is known, else the raw (redacted) message. */
  template: string;
  name?: string;
  code?: string;
}

/** What the analyzer concludes. */
export interface SimilarAnalysis {
  /** Id of the most similar pattern, or null when none was similar enough. */
  patternId: string | null;
  /** 0..1; 0 when nothing was similar. */
  similarity: number;
  category: Category;
  transient: boolean;
  rootCause: string;
  remedies: ActionId[];
  /** Always below what a matching built-in rule gets: a neighbour is weaker evidence. */
  confidence: number;
}

/** Tuning knobs of {@link similarAnalyzer}. */
export interface SimilarOptions {
  /**
   * Least similarity for a pattern to count.
   * @default 0.5
   */
  minSimilarity?: number;
}

/** Highest confidence a similarity verdict may claim; built-in rules start above it. */
export const MAX_SIMILAR_CONFIDENCE = 0.6;
const FALLBACK_CONFIDENCE = 0.15;

/**
 * Picks the known pattern most similar to an error nobody has a rule for, and lends its category
 * and remedies at lower confidence. A pure function over an array so it runs without a store.
 * With nothing similar it answers `other` with a retry-then-escalate plan.
 */
export function similarAnalyzer(
  query: SimilarQuery,
  patterns: readonly KnownPattern[],
  options: SimilarOptions = {},
): SimilarAnalysis {
  const minSimilarity = options.minSimilarity ?? 0.5;
  const queryTokens = tokenize(query.template);
  let best: { pattern: KnownPattern; similarity: number } | undefined;
  for (const pattern of patterns) {
    const similarity = weightedSimilarity(query, queryTokens, pattern);
    if (similarity < minSimilarity) continue;
    if (
      best === undefined ||
      similarity > best.similarity ||
      (similarity === best.similarity &&
        (pattern.occurrences ?? 0) > (best.pattern.occurrences ?? 0))
    ) {
      best = { pattern, similarity };
    }
  }
  if (best === undefined) {
    return {
      patternId: null,
      similarity: 0,
      category: 'other',
      // Unknown errors get one cautious retry before a human looks; see remedies.
      transient: true,
      rootCause: 'No built-in rule or known pattern matches this error.',
      remedies: ['retry_with_backoff', 'escalate'],
      confidence: FALLBACK_CONFIDENCE,
    };
  }
  const { pattern, similarity } = best;
  return {
    patternId: pattern.id ?? null,
    similarity: round(similarity),
    category: pattern.category,
    transient: pattern.transient ?? true,
    rootCause: pattern.rootCause ?? `Resembles known pattern: ${pattern.template}`,
    remedies: [...pattern.remedies],
    confidence: round(MAX_SIMILAR_CONFIDENCE * similarity),
  };
}

/**
 * Similarity of two message templates in 0..1: the mean of token-set Jaccard and token-count
 * cosine, ignoring tokens with digits and mask placeholders, which carry no meaning.
 */
export function templateSimilarity(a: string, b: string): number {
  return tokenSimilarity(tokenize(a), tokenize(b));
}

function weightedSimilarity(
  query: SimilarQuery,
  queryTokens: Map<string, number>,
  pattern: KnownPattern,
): number {
  let score = tokenSimilarity(queryTokens, tokenize(pattern.template));
  // Same code is strong evidence of the same failure; different codes almost rule it out.
  if (query.code !== undefined && pattern.code !== undefined) {
    score = String(query.code) === String(pattern.code) ? score + 0.2 : score * 0.5;
  }
  if (query.name !== undefined && pattern.name !== undefined) {
    score += query.name === pattern.name ? 0.1 : -0.1;
  }
  return Math.min(1, Math.max(0, score));
}

function tokenize(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  // Placeholders such as <num> or <*> mark where values were; their names are not words.
  const words = text.replace(/<[a-z*]+>/g, ' ').toLowerCase();
  for (const raw of words.split(/[^a-z0-9_]+/)) {
    if (raw.length < 2 || /\d/.test(raw)) continue;
    counts.set(raw, (counts.get(raw) ?? 0) + 1);
  }
  return counts;
}

function tokenSimilarity(a: Map<string, number>, b: Map<string, number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  let dot = 0;
  for (const [token, count] of a) {
    const other = b.get(token);
    if (other === undefined) continue;
    shared += 1;
    dot += count * other;
  }
  const jaccard = shared / (a.size + b.size - shared);
  const cosine = dot / (norm(a) * norm(b));
  return (jaccard + cosine) / 2;
}

function norm(vector: Map<string, number>): number {
  let sum = 0;
  for (const count of vector.values()) sum += count * count;
  return Math.sqrt(sum);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
