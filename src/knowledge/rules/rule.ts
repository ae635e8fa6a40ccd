import type { ActionId } from '../actions.js';
import type { Category } from '../categories.js';
import type { Resource } from '../resources.js';

/**
 * One way a rule can match. Every field given must hold (AND); within a list any value will do
 * (OR). Structured fields are preferred over `message` because texts change between versions.
 */
export interface RuleCondition {
  /** Any of these codes is among the error's codes (compared case-insensitively). */
  readonly codes?: readonly string[];
  /** The error's SQLSTATE is one of these. */
  readonly sqlstates?: readonly string[];
  /** The HTTP status is one of these. */
  readonly statuses?: readonly number[];
  /** The error class name is one of these. */
  readonly names?: readonly string[];
  /** The error is attributed to one of these resources. */
  readonly resources?: readonly Resource[];
  /** Tested against `name: message`. */
  readonly message?: RegExp;
}

/** An entry of the built-in knowledge base. */
export interface Rule {
  /** Stable id, `<tool>.<problem>`; stored with patterns, so never renamed. */
  readonly id: string;
  /** Conditions; the rule matches when any one of them holds. */
  readonly when: RuleCondition | readonly RuleCondition[];
  readonly category: Category;
  /** True when the same call may succeed later without anyone changing anything. */
  readonly transient: boolean;
  /** One sentence: why this happens. */
  readonly rootCause: string;
  /** Remedies, best first. */
  readonly remedies: readonly ActionId[];
  /** How to stop it from happening again. */
  readonly prevention: string;
  /** Added to the computed specificity to settle ties between overlapping rules. */
  readonly priority?: number;
  /**
   * True when the right fix depends on the job type rather than on the error: the engine's own
   * timeout says a type's work outgrew its limit, and what heals it for one type (a longer limit)
   * says nothing about another (where a rerun passes a hung call). Such a rule's pattern is kept
   * per job type, as a stuck stage's is.
   */
  readonly perJobType?: boolean;
  /**
   * True when the rule says what kind of failure it is but not which one: a bare 400 says the
   * request was wrong, and only its statement says how (a memory size over a limit, a missing
   * parameter). Such an error keeps the rule's verdict but its pattern is its statement's: the
   * most similar known pattern's, else its own.
   */
  readonly keyedByStatement?: boolean;
}

/**
 * Identity function that checks a list of rules against {@link Rule} while keeping the literal
 * ids, so each domain file reads as data.
 */
export function defineRules<const T extends readonly Rule[]>(rules: T): T {
  return rules;
}
