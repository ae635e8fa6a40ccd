import { hash as digest } from 'node:crypto';
import type { ActionId } from '../knowledge/actions.js';
import type { Category } from '../knowledge/categories.js';
import type { CategoryModel } from '../knowledge/category-words.js';
import { findRule, type Rule } from '../knowledge/rules/index.js';
import { RESOURCES } from '../knowledge/resources.js';
import type { KnownPattern } from './similar-analyzer.js';
import { classifyError, type Classification } from './classify.js';
import { bareClassName, extractFacts, type ErrorFacts } from './facts.js';
import { fingerprintError, stuckSignature, type ErrorInput } from './fingerprint.js';
import { maskTokens } from './mask.js';
import type { PatternIndex } from './pattern-index.js';
import { cueVerdict } from './unknown-error.js';
import { redact } from './redact.js';
import type { TemplateTree } from './template-tree.js';
import { unwrapMessage } from './unwrap.js';

/** Everything the pattern subsystem concludes about one error. */
export interface ErrorAnalysis {
  /**
   * Fingerprint of the exact message shape (class, code, status, masked template, the app's own
   * frames): what log-template mining scores. Two wordings of one cause have two signatures.
   */
  signature: string;
  /**
   * The pattern identity: the same for every occurrence of one root cause, whatever wraps it.
   * `rule:<rule id>` (with `@<resource>` when the rule is not about one service) for a recognised
   * error; for another one, or one whose rule names no cause (`Rule.keyedByStatement`), the key of
   * the most similar known pattern, else `tpl:<hash>` of its innermost statement. The pattern
   * book is keyed by it.
   */
  patternKey: string;
  /** The redacted message with its variable parts masked. */
  template: string;
  /** The innermost statement of the failure, masked: what the pattern identity compares. */
  patternTemplate: string;
  /** The app's own top stack frames that went into the signature. */
  frames: string[];
  /** Template cluster, when a tree was given; see `Fingerprint.clusterId`. */
  clusterId?: string;
  category: Category;
  transient: boolean;
  rootCause: string;
  /** Remedies, best first. */
  remedies: ActionId[];
  prevention: string;
  confidence: number;
  facts: ErrorFacts;
  /** The built-in rule that matched, or null. */
  ruleId: string | null;
}

/** Characters of message and stack analysed; the head names the error, the tail is payload. */
const MAX_TEXT = 16 * 1024;

function head(text: string): string {
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

/** Optional context for {@link analyzeError}. */
export interface AnalyzeErrorOptions {
  /** Template tree to mine messages into; without one, masking alone makes the template. */
  tree?: TemplateTree;
  /**
   * Known patterns an unrecognised error may join; the index learns every analysed error, so
   * later errors can join earlier ones.
   */
  index?: PatternIndex;
  /** Learned patterns consulted for a category when no built-in rule matches and no index is given. */
  knownPatterns?: readonly KnownPattern[];
  /**
   * Rule base to match against, e.g. the built-in one without some rules, to see how errors fare
   * where those rules do not exist yet.
   * @default RULES
   */
  rules?: readonly Rule[];
  /**
   * Category model that guesses the domain of an error no rule knows, e.g. one trained without
   * the errors being scored.
   * @default the built-in model (src/knowledge/category-words.json)
   */
  categoryModel?: CategoryModel;
  /**
   * False to analyse without teaching: the tree is only matched against and the index is not
   * told about the error, so asking twice changes nothing.
   * @default true
   */
  learn?: boolean;
}

/** Confidence lent by a neighbour is capped below what a rule gets: a neighbour is weaker evidence. */
const MAX_NEIGHBOUR_CONFIDENCE = 0.6;

/**
 * Analyzes one error end to end: redacts the message and stack first (so no secret reaches a
 * template, a store or an LLM), peels the wrapping off, extracts facts, fingerprints, classifies
 * and names its pattern.
 */
export function analyzeError(input: ErrorInput, options: AnalyzeErrorOptions = {}): ErrorAnalysis {
  const safe: ErrorInput = { ...input, message: redact(head(input.message)) };
  if (input.stack !== undefined) safe.stack = redact(head(input.stack));
  const unwrapped = unwrapMessage(safe.message);
  const facts = extractFacts(safe);
  if (facts.name === undefined && unwrapped.name !== undefined) facts.name = unwrapped.name;
  const stuck = facts.codes.includes('stuck') && safe.jobType !== undefined;
  // A stuck job is one pattern per job type and stage, whatever the message says about progress.
  const fingerprint = stuck
    ? stuckSignature(safe.jobType!, safe.stage)
    : fingerprintError(safe, options.tree, options.learn ?? true);
  const patternTemplate = stuck
    ? fingerprint.template
    : withClassWhenWordless(maskTokens(unwrapped.core).join(' '), facts.name);
  let verdict: Classification = classifyError(safe, facts, {
    template: fingerprint.template,
    texts: [unwrapped.core],
    statement: patternTemplate,
    ...(options.knownPatterns ? { knownPatterns: options.knownPatterns } : {}),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.categoryModel ? { categoryModel: options.categoryModel } : {}),
  });
  let patternKey: string;
  const rule = verdict.ruleId === null ? undefined : findRule(verdict.ruleId)!;
  if (stuck) patternKey = `stuck:${fingerprint.signature}`;
  else if (rule !== undefined && rule.keyedByStatement !== true)
    patternKey = ruleKey(rule, facts, safe.jobType);
  else {
    const found = options.index?.nearest(patternTemplate, facts.name, facts.code);
    // Templates that differ only in a telling word ("token is expired" / "token is invalid") are
    // different causes: a neighbour whose wording (else verdict) the error's own wording
    // contradicts is not joined. Wording is compared with wording, without the guess of the
    // domain, which a few words more or less can tip.
    const own = found && cueVerdict(fingerprint.template, facts);
    const theirs =
      own &&
      (cueVerdict(
        found.pattern.template,
        found.pattern.name === undefined ? {} : { name: found.pattern.name },
      ) ??
        found.pattern.verdict);
    const near =
      own && theirs && (own.category !== theirs.category || own.transient !== theirs.transient)
        ? undefined
        : found;
    if (near !== undefined && rule !== undefined) patternKey = near.pattern.key;
    else if (near !== undefined) {
      patternKey = near.pattern.key;
      const lent = near.pattern.verdict;
      verdict = {
        ...lent,
        remedies: [...lent.remedies],
        ruleId: null,
        confidence: Math.min(MAX_NEIGHBOUR_CONFIDENCE, lent.confidence) * near.similarity,
      };
    } else patternKey = `tpl:${hash(patternTemplate)}`;
  }
  if (options.learn ?? true)
    options.index?.learn({
      key: patternKey,
      template: patternTemplate,
      ...(facts.name === undefined ? {} : { name: facts.name }),
      ...(facts.code === undefined ? {} : { code: facts.code }),
      verdict,
    });
  return {
    signature: fingerprint.signature,
    patternKey,
    template: fingerprint.template,
    patternTemplate,
    frames: fingerprint.frames,
    ...(fingerprint.clusterId === undefined ? {} : { clusterId: fingerprint.clusterId }),
    category: verdict.category,
    transient: verdict.transient,
    rootCause: verdict.rootCause,
    remedies: verdict.remedies,
    prevention: verdict.prevention,
    confidence: verdict.confidence,
    facts,
    ruleId: verdict.ruleId,
  };
}

const RESOURCE_NAMES: ReadonlySet<string> = new Set(RESOURCES);
/**
 * Services whose outage is its own root cause: a job's database or queue server being down is
 * fixed there, whereas a timeout towards one HTTP host or another is the same network trouble.
 */
const SERVER_RESOURCES: ReadonlySet<string> = new Set([
  'postgres',
  'mysql',
  'redis',
  'supabase',
  'prisma',
  'bullmq',
]);

/**
 * A recognised error's pattern: its rule, plus the service that tells causes apart where the
 * rule itself does not. A rule that names a condition (a deadlock, a missed run, a pool timeout)
 * is one cause wherever it happens. A transport failure (`net.*`) is not: "connection refused"
 * by Postgres and by Redis are two servers to start, so the data server is added. Nor is a bare
 * HTTP status: a 403 from AWS and one from Google Cloud are different credentials to fix, so the
 * service it came from is added. The job type is added when the rule's fix depends on it
 * (`Rule.perJobType`).
 *
 * Adding the data server to every rule about no service in particular (as once done) split 60
 * same-cause pairs of the labelled collections (a missed APScheduler run with a Redis job store
 * and one without) and kept apart only 2 different-cause ones; for `net.*` rules it keeps apart a
 * database host that does not resolve and a build container's broken DNS.
 */
export function ruleKey(rule: Rule, facts: ErrorFacts, jobType?: string): string {
  if (rule.perJobType === true && jobType !== undefined) return `rule:${rule.id}#${jobType}`;
  const domain = rule.id.split('.')[0]!;
  const conditions = Array.isArray(rule.when) ? rule.when : [rule.when];
  const aboutOne = RESOURCE_NAMES.has(domain) || conditions.some((c) => c.resources !== undefined);
  const separates =
    facts.resource !== undefined &&
    (domain === 'http' || (domain === 'net' && SERVER_RESOURCES.has(facts.resource)));
  return aboutOne || !separates ? `rule:${rule.id}` : `rule:${rule.id}@${facts.resource}`;
}

// A letter run of the statement's own: one right after `<` is a placeholder (`<str>`, `<num>`).
const OWN_WORD = /(?:^|[^<A-Za-z])[A-Za-z]{2,}/;

/**
 * The innermost statement names its cause by its words, so the class that wraps it is left out
 * (a client library's `RateLimitError` and the bare API message are one cause). A statement with
 * no word of its own (`KeyError: 'user_id'` leaves `'<str>'`) says nothing without its class, and
 * would join every other such statement: then the bare class name stays in front.
 */
function withClassWhenWordless(statement: string, name: string | undefined): string {
  if (name === undefined || OWN_WORD.test(statement)) return statement;
  return `${bareClassName(name)}: ${statement}`;
}

function hash(text: string): string {
  return digest('sha256', text, 'hex').slice(0, 16);
}
