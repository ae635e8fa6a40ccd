import type { ActionId } from '../knowledge/actions.js';
import { similarAnalyzer, type KnownPattern } from './similar-analyzer.js';
import type { Category } from '../knowledge/categories.js';
import {
  NAMING,
  predictCategory,
  rarelyPasses,
  type CategoryModel,
} from '../knowledge/category-words.js';
import type { ErrorInput } from './fingerprint.js';
import { extractFacts, type ErrorFacts } from './facts.js';
import { RULES, type Rule, type RuleCondition } from '../knowledge/rules/index.js';
import { unknownErrorVerdict } from './unknown-error.js';

/** The verdict on one error. */
export interface Classification {
  /** The built-in rule that matched, or null when the verdict came from similarity or the fallback. */
  ruleId: string | null;
  category: Category;
  transient: boolean;
  rootCause: string;
  /** Remedies, best first. */
  remedies: ActionId[];
  prevention: string;
  /** 0..1: how sure we are of category and remedies. */
  confidence: number;
}

/** Extra knowledge for {@link classifyError}. */
export interface ClassifyOptions {
  /** Learned patterns to consult when no rule matches. */
  knownPatterns?: readonly KnownPattern[];
  /** Masked template of the message, if the fingerprinter produced one. */
  template?: string;
  /** More texts rules may match, e.g. the message with its wrapping peeled off. */
  texts?: readonly string[];
  /**
   * The innermost statement, masked (`ErrorAnalysis.patternTemplate`). The wording cues read it
   * when the whole template says nothing: a provider's JSON body puts the statement in a quoted
   * value, which the template masks whole.
   */
  statement?: string;
  /**
   * Rule base to use.
   * @default RULES
   */
  rules?: readonly Rule[];
  /**
   * Category model that guesses the domain of an error no rule knows.
   * @default the built-in model (src/knowledge/category-words.json)
   */
  categoryModel?: CategoryModel;
}

/** A rule that matched and how specific the match was. */
export interface RuleMatch {
  rule: Rule;
  specificity: number;
}

// Structured evidence outweighs free text; a bare HTTP status says the least.
const WEIGHTS = {
  sqlstates: 4,
  codes: 3,
  names: 2,
  message: 2,
  statuses: 1,
  resources: 1,
} as const;

/**
 * Classifies an error: the most specific matching built-in rule wins; an error no rule knows is
 * compared with known patterns, and failing that gets category `other` at low confidence, with
 * no retry first when its class or wording says it will fail again ({@link unknownErrorVerdict}).
 */
export function classifyError(
  input: ErrorInput,
  facts: ErrorFacts = extractFacts(input),
  options: ClassifyOptions = {},
): Classification {
  const match = matchRule(input, facts, options.rules, options.texts);
  if (match !== null) {
    const { rule, specificity } = match;
    return forNonRetryable(facts, {
      ruleId: rule.id,
      category: rule.category,
      transient: rule.transient,
      rootCause: rule.rootCause,
      remedies: humanFirstWhenPermanent(rule.remedies, rule.transient),
      prevention: rule.prevention,
      confidence: ruleConfidence(specificity),
    });
  }
  const query = { template: options.template ?? input.message, ...optionalQueryFields(facts) };
  const similar = similarAnalyzer(query, options.knownPatterns ?? []);
  const unknown =
    similar.patternId === null
      ? (unknownErrorVerdict(query.template, facts, options.categoryModel) ??
        (options.statement === undefined
          ? null
          : unknownErrorVerdict(options.statement, facts, options.categoryModel)))
      : null;
  if (unknown !== null) return forNonRetryable(facts, { ruleId: null, ...unknown, prevention: '' });
  // Nothing known and no cue: the words name the domain, so the category comes from them, and a
  // domain whose errors almost never pass by themselves is handed to a person before a retry.
  const words = facts.name === undefined ? query.template : `${query.template} ${facts.name}`;
  const guess =
    similar.patternId === null ? predictCategory(words, options.categoryModel) : undefined;
  if (guess !== undefined && rarelyPasses(guess))
    return forNonRetryable(facts, {
      ruleId: null,
      category: guess.category,
      transient: false,
      rootCause: `${similar.rootCause} Its words are most like those of ${guess.category} errors (probability ${guess.probability.toFixed(2)}), which seldom pass by themselves (${Math.round(guess.transientShare * 100)} % did in the collected errors), so a person should look before a retry.`,
      remedies: ['fail_fast', 'escalate'],
      prevention: '',
      confidence: GUESS_CONFIDENCE,
    });
  const named =
    similar.patternId === null ? predictCategory(words, options.categoryModel, NAMING) : undefined;
  return forNonRetryable(facts, {
    ruleId: null,
    category: named?.category ?? similar.category,
    transient: similar.transient,
    rootCause:
      named === undefined
        ? similar.rootCause
        : `${similar.rootCause} Its words are most like those of ${named.category} errors (probability ${named.probability.toFixed(2)}).`,
    remedies: similar.remedies,
    prevention: '',
    confidence: similar.confidence,
  });
}

// Below the wording cues' (0.25): a guess from the words around the failure is weaker still.
const GUESS_CONFIDENCE = 0.2;

const RETRY_FAMILY = new Set<ActionId>([
  'retry',
  'retry_with_backoff',
  'restart_job',
  'resume_from_checkpoint',
]);

/**
 * An error that will not go away by itself must not start with a retry: the healer would burn
 * attempts before doing what helps. Retries stay in the list, after the other remedies. Nor does
 * it start with refreshing credentials: credentials that are wrong rather than expired come back
 * just as wrong, so a person comes first and a registered refresh fixer second.
 */
export function humanFirstWhenPermanent(
  remedies: readonly ActionId[],
  transient: boolean,
): ActionId[] {
  if (transient) return [...remedies];
  let first = remedies.filter((r) => !RETRY_FAMILY.has(r));
  if (first[0] === 'refresh_credentials')
    first = ['escalate', ...first.filter((r) => r !== 'escalate')];
  return first.length === 0
    ? ['fail_fast', ...remedies]
    : [...first, ...remedies.filter((r) => RETRY_FAMILY.has(r))];
}

/** The job said itself that retrying is pointless (`NonRetryableError`): believe it. */
function forNonRetryable(facts: ErrorFacts, verdict: Classification): Classification {
  if (facts.name !== 'NonRetryableError') return verdict;
  const remedies = verdict.remedies.filter((r) => !RETRY_FAMILY.has(r) && r !== 'fail_fast');
  return { ...verdict, transient: false, remedies: ['fail_fast', ...remedies] };
}

/** The most specific rule matching the error, or null. Ties go to the earlier rule. */
export function matchRule(
  input: ErrorInput,
  facts: ErrorFacts,
  rules: readonly Rule[] = RULES,
  extraTexts: readonly string[] = [],
): RuleMatch | null {
  const texts = withLinesJoined([...messageTexts(input, facts), ...extraTexts]);
  const codes = new Set(facts.codes.map((code) => code.toUpperCase()));
  let best: RuleMatch | null = null;
  for (const rule of rules) {
    const conditions: readonly RuleCondition[] = Array.isArray(rule.when)
      ? rule.when
      : [rule.when as RuleCondition];
    for (const condition of conditions) {
      const score = conditionScore(condition, facts, codes, texts);
      if (score === null) continue;
      const specificity = score + (rule.priority ?? 0);
      if (best === null || specificity > best.specificity) best = { rule, specificity };
    }
  }
  return best;
}

function conditionScore(
  condition: RuleCondition,
  facts: ErrorFacts,
  codes: ReadonlySet<string>,
  texts: readonly string[],
): number | null {
  let score = 0;
  if (condition.codes !== undefined) {
    if (!condition.codes.some((code) => codes.has(code.toUpperCase()))) return null;
    score += WEIGHTS.codes;
  }
  if (condition.sqlstates !== undefined) {
    if (facts.sqlstate === undefined || !condition.sqlstates.includes(facts.sqlstate)) return null;
    score += WEIGHTS.sqlstates;
  }
  if (condition.statuses !== undefined) {
    if (facts.status === undefined || !condition.statuses.includes(facts.status)) return null;
    score += WEIGHTS.statuses;
  }
  if (condition.names !== undefined) {
    if (facts.name === undefined || !condition.names.includes(facts.name)) return null;
    score += WEIGHTS.names;
  }
  if (condition.resources !== undefined) {
    if (facts.resource === undefined || !condition.resources.includes(facts.resource)) return null;
    score += WEIGHTS.resources;
  }
  if (condition.message !== undefined) {
    const pattern = condition.message;
    if (!texts.some((text) => pattern.test(text))) return null;
    score += WEIGHTS.message;
  }
  return score === 0 ? null : score;
}

/**
 * Terminals and log shippers wrap long messages onto indented lines ("You have reached your\n
 * pull rate limit"); a rule's phrase must match however the text was laid out.
 */
function withLinesJoined(texts: readonly string[]): string[] {
  const joined = texts.filter((t) => /\s{2}|\n/.test(t)).map((t) => t.replace(/\s+/g, ' '));
  return joined.length === 0 ? [...texts] : [...texts, ...joined];
}

// Anchored patterns need the bare message; others were written against "Name: message".
function messageTexts(input: ErrorInput, facts: ErrorFacts): string[] {
  const message = input.message ?? '';
  if (facts.name === undefined || message.startsWith(facts.name)) return [message];
  return [message, `${facts.name}: ${message}`];
}

function ruleConfidence(specificity: number): number {
  return Math.min(0.95, Math.round((0.5 + 0.08 * specificity) * 100) / 100);
}

function optionalQueryFields(facts: ErrorFacts): { name?: string; code?: string } {
  const fields: { name?: string; code?: string } = {};
  if (facts.name !== undefined) fields.name = facts.name;
  if (facts.code !== undefined) fields.code = facts.code;
  return fields;
}
