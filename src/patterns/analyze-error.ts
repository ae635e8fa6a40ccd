import { createHash } from 'node:crypto';
import type { ActionId } from '../knowledge/actions.js';
import type { KnownPattern } from './similar-analyzer.js';
import type { Category } from '../knowledge/categories.js';
import { classifyError } from './classify.js';
import { extractFacts, type ErrorFacts } from './facts.js';
import { fingerprintError, stuckSignature, type ErrorInput } from './fingerprint.js';
import { redact } from './redact.js';
import type { TemplateTree } from './template-tree.js';

/** Everything the pattern subsystem concludes about one error. */
export interface ErrorAnalysis {
  /** Grouping key: the same for every occurrence of one root cause. */
  signature: string;
  /** The redacted message with its variable parts masked. */
  template: string;
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

function withRule(signature: string, ruleId: string): string {
  return createHash('sha256').update(`${signature}\0${ruleId}`).digest('hex').slice(0, signature.length);
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
  /** Learned patterns consulted when no built-in rule matches. */
  knownPatterns?: readonly KnownPattern[];
}

/**
 * Analyzes one error end to end: redacts the message and stack first (so no secret reaches a
 * template, a store or an LLM), extracts facts, fingerprints and classifies.
 */
export function analyzeError(input: ErrorInput, options: AnalyzeErrorOptions = {}): ErrorAnalysis {
  const safe: ErrorInput = { ...input, message: redact(head(input.message)) };
  if (input.stack !== undefined) safe.stack = redact(head(input.stack));
  const facts = extractFacts(safe);
  const stuck = facts.codes.includes('stuck') && safe.jobType !== undefined;
  // A stuck job is one pattern per job type and stage, whatever the message says about progress.
  const fingerprint = stuck
    ? stuckSignature(safe.jobType!, safe.stage)
    : fingerprintError(safe, options.tree);
  const classifyOptions = {
    template: fingerprint.template,
    ...(options.knownPatterns ? { knownPatterns: options.knownPatterns } : {}),
  };
  const verdict = classifyError(safe, facts, classifyOptions);
  return {
    // The rule that recognised the error is part of its identity: "connection refused" to Postgres
    // and to Redis read alike once hosts and ports are masked, but are different root causes.
    signature: verdict.ruleId ? withRule(fingerprint.signature, verdict.ruleId) : fingerprint.signature,
    template: fingerprint.template,
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
