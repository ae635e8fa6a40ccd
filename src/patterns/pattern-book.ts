import { SECOND } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import { isActionId } from '../knowledge/actions.js';
import type { StateStore } from '../core/state-store.js';
import type { Json, Pattern, PatternOccurrence, PatternSource } from '../core/types.js';
import type { PatternFilter, PatternStore } from './pattern-store.js';
import { analyzeError, type ErrorAnalysis } from './analyze-error.js';
import { isCategory } from '../knowledge/categories.js';
import {
  ClusterSignatures,
  type ClusterSignaturesState,
  type SignatureMerge,
} from './cluster-signatures.js';
import type { ErrorInput } from './fingerprint.js';
import { PatternIndex } from './pattern-index.js';
import { redact } from './redact.js';
import { TemplateTree, type TemplateTreeState } from './template-tree.js';
import type { TemplateTreeOptions } from './template-tree-options.js';

/** An error to record, with the job attempt it came from when there was one. */
export interface RecordInput extends ErrorInput {
  jobId?: string;
  attempt?: number;
}

/** What {@link PatternBook.record} stored and concluded. */
export interface RecordedError {
  /** The pattern as stored after this occurrence (the survivor, if its signature was merged). */
  pattern: Pattern;
  analysis: ErrorAnalysis;
}

/** Options of {@link PatternBook}. */
export interface PatternBookOptions {
  /**
   * How long the list of known patterns lent to the similarity analyzer is reused before it is
   * read again; patterns this book creates join it at once.
   * @default 30000
   */
  knownPatternsTtlMs?: number;
  /**
   * Most frequent patterns consulted by similarity.
   * @default 500
   */
  maxKnownPatterns?: number;
  /**
   * Delay between a change of the template tree and its save; `flush()` saves at once.
   * @default 5000
   */
  saveDelayMs?: number;
  /** Tuning of the template tree (only used when no saved tree exists yet). */
  tree?: TemplateTreeOptions;
  /** Called when loading or a background save fails; the book keeps working in memory. */
  onError?: (error: Error) => void;
  /** Awaited before the book first reads the store, e.g. the engine's migration. */
  ready?: () => Promise<unknown>;
}

/** Key of the saved template tree in the store's engine state. */
export const TEMPLATE_TREE_STATE_KEY = 'patterns.template-tree';
/** Key of the saved cluster → signature index (see `ClusterSignatures`). */
export const CLUSTER_SIGNATURES_STATE_KEY = 'patterns.cluster-signatures';

/** Characters of a message kept as a pattern's example and in an occurrence. */
const MAX_EXAMPLE = 2000;
/** Characters of a message redacted at all: the head names the error, the tail is payload. */
const MAX_REDACTED = 16 * 1024;

const DEFAULTS = {
  knownPatternsTtlMs: 30 * SECOND,
  maxKnownPatterns: 500,
  saveDelayMs: 5 * SECOND,
} satisfies PatternBookOptions;

/**
 * The learned patterns of one store: every recorded error is redacted, analysed (built-in rules,
 * else the most similar known pattern), counted on its pattern by signature, and kept as an
 * occurrence. The template tree that makes signatures is saved in the store, so signatures
 * survive a restart.
 */
export class PatternBook {
  readonly #store: PatternStore & StateStore;
  readonly #options: Required<Omit<PatternBookOptions, 'tree' | 'onError' | 'ready'>>;
  readonly #treeOptions: TemplateTreeOptions | undefined;
  readonly #onError: (error: Error) => void;
  readonly #ready: (() => Promise<unknown>) | undefined;
  #tree: TemplateTree | undefined;
  #signatures = new ClusterSignatures();
  #loading: Promise<void> | undefined;
  #index: PatternIndex;
  #knownAt = -Infinity;
  #dirty = false;
  #lastNow = 0;
  #saveTimer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(store: PatternStore & StateStore, options: PatternBookOptions = {}) {
    this.#store = store;
    this.#options = {
      knownPatternsTtlMs: options.knownPatternsTtlMs ?? DEFAULTS.knownPatternsTtlMs,
      maxKnownPatterns: options.maxKnownPatterns ?? DEFAULTS.maxKnownPatterns,
      saveDelayMs: options.saveDelayMs ?? DEFAULTS.saveDelayMs,
    };
    for (const [name, value] of Object.entries(this.#options)) {
      if (!(Number.isFinite(value) && value >= 0))
        throw new RangeError(`${name} must be a number >= 0, got ${String(value)}`);
    }
    this.#index = new PatternIndex({
      maxPatterns: Math.max(this.#options.maxKnownPatterns, 1) * 4,
    });
    this.#treeOptions = options.tree;
    this.#onError = options.onError ?? (() => {});
    this.#ready = options.ready;
  }

  /** Reads the saved template tree; every other method waits for it. Safe to call repeatedly. */
  load(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  /**
   * Records one error: redacts it, analyses it, counts it on its pattern (creating the pattern the
   * first time) and stores the occurrence with the redacted message.
   */
  async record(input: RecordInput, now: number): Promise<RecordedError> {
    if (typeof input?.message !== 'string')
      throw invalidArgument('record() needs an error with a string message');
    await this.load();
    const { jobId, attempt } = input;
    const error = errorInputOf(input);
    const safe: ErrorInput = { ...error, message: redact(error.message.slice(0, MAX_REDACTED)) };
    if (error.stack !== undefined) safe.stack = redact(error.stack.slice(0, MAX_REDACTED));
    const index = await this.#knownPatterns(now);
    const tree = this.#tree!;
    const clustersBefore = tree.size;
    const analysis = analyzeError(safe, { tree, index });
    const stuck = analysis.facts.codes.includes('stuck') && safe.jobType !== undefined;
    // A stuck job never reaches the tree (its signature is synthetic), so nothing changed there.
    if (!stuck) this.#treeChanged(now);
    const source: PatternSource = stuck
      ? 'synthetic'
      : analysis.ruleId !== null
        ? 'rule'
        : 'similar';
    const example = safe.message.slice(0, MAX_EXAMPLE);
    // The book is keyed by the pattern identity: one row per root cause, whatever wraps it.
    const pattern = await this.#store.upsertPattern(
      {
        patternKey: analysis.patternKey,
        template: analysis.patternTemplate,
        category: analysis.category,
        transient: analysis.transient,
        rootCause: analysis.rootCause,
        remedies: analysis.remedies,
        prevention: analysis.prevention === '' ? null : analysis.prevention,
        facts: { ...analysis.facts, signature: analysis.signature } as unknown as Record<
          string,
          Json
        >,
        source,
        confidence: analysis.confidence,
        example,
      },
      now,
    );
    await this.#store.recordOccurrence(
      {
        patternId: pattern.id,
        jobId: jobId ?? null,
        attempt: attempt ?? null,
        message: example,
        signature: analysis.signature,
      },
      now,
    );
    // Recognised errors are keyed by their rule; only patterns made from templates can prove to be
    // one cause later, when the tree merges their template clusters.
    if (stuck || analysis.clusterId === undefined || analysis.ruleId !== null)
      return { pattern, analysis };
    // Fewer clusters than before, or a cluster id never seen: the tree merged clusters.
    const merged =
      tree.size < clustersBefore ||
      (tree.size === clustersBefore && !this.#signatures.has(analysis.clusterId));
    const merges = [
      ...(merged ? this.#signatures.followMerges(tree) : []),
      ...this.#signatures.note(analysis.clusterId, partsKey(safe), analysis.patternKey),
    ];
    if (merges.length === 0) return { pattern, analysis };
    await this.#fold(merges, now);
    return { pattern: (await this.#store.getPattern(pattern.id)) ?? pattern, analysis };
  }

  /**
   * Merges the pattern `from` (by id or pattern key) into `into`, keeping the statistics of both
   * on the survivor; later errors of `from` count on `into`. Returns the survivor, or undefined
   * when either is unknown or both are one pattern.
   */
  async merge(from: string, into: string, now: number): Promise<Pattern | undefined> {
    await this.load();
    const [source, target] = [
      await this.#store.getPattern(from),
      await this.#store.getPattern(into),
    ];
    if (source === undefined || target === undefined || source.id === target.id) return undefined;
    const survivor = await this.#store.mergePatterns(source.patternKey, target.id, now);
    this.#index.forget(source.patternKey);
    return survivor;
  }

  /**
   * Records that a job is stuck in a stage (no progress, or its lease expired without a
   * heartbeat): one synthetic pattern per job type and stage, whatever the percentage.
   */
  stuck(
    jobType: string,
    stage: string | undefined,
    percent: number | undefined,
    now: number,
    job: { jobId?: string; attempt?: number } = {},
  ): Promise<RecordedError> {
    const where =
      stage === undefined
        ? 'before its first stage'
        : `at '${stage}'${percent === undefined ? '' : ` (${percent}%)`}`;
    return this.record(
      { message: `job of type ${jobType} stuck ${where}`, code: 'stuck', jobType, stage, ...job },
      now,
    );
  }

  /** A pattern by id or pattern key, following merges. */
  async get(idOrKey: string): Promise<Pattern | undefined> {
    await this.load();
    return this.#store.getPattern(idOrKey);
  }

  /** Live patterns, most recently seen first unless `orderBy` says otherwise. */
  async list(filter?: PatternFilter): Promise<Pattern[]> {
    await this.load();
    return this.#store.listPatterns(filter);
  }

  /** A pattern's occurrences, most recent first. */
  async occurrences(patternId: string, limit?: number): Promise<PatternOccurrence[]> {
    await this.load();
    return this.#store.listOccurrences(patternId, limit);
  }

  /** Saves the template tree now if it changed since the last save. */
  async flush(): Promise<void> {
    clearTimeout(this.#saveTimer);
    this.#saveTimer = undefined;
    if (this.#loading === undefined) return;
    await this.#loading;
    const saved = this.#saving.then(() => this.#save());
    // The chain must survive a failed save, or every later save would be skipped.
    this.#saving = saved.catch(() => {});
    await saved;
  }

  /** Folds the patterns of signatures whose template clusters merged into the survivors' patterns. */
  async #fold(merges: readonly SignatureMerge[], now: number): Promise<void> {
    for (const { from, into } of merges) {
      const survivor = await this.#store.getPattern(into);
      if (survivor !== undefined) await this.#store.mergePatterns(from, survivor.id, now);
    }
    for (const { from } of merges) this.#index.forget(from);
  }

  async #load(): Promise<void> {
    let state: Json | undefined;
    try {
      await this.#ready?.();
      state = await this.#store.getState(TEMPLATE_TREE_STATE_KEY);
    } catch (error) {
      this.#loading = undefined; // a later call tries again
      throw error;
    }
    if (state !== undefined) {
      try {
        this.#tree = TemplateTree.fromJSON(state as unknown as TemplateTreeState);
        const signatures = await this.#store.getState(CLUSTER_SIGNATURES_STATE_KEY);
        if (signatures !== undefined)
          this.#signatures = ClusterSignatures.fromJSON(
            signatures as unknown as ClusterSignaturesState,
          );
        return;
      } catch (error) {
        // A tree saved by an incompatible version: start afresh rather than refuse to record.
        this.#onError(
          new Error(`ignoring the saved template tree: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
    }
    this.#tree = new TemplateTree(this.#treeOptions);
  }

  #treeChanged(now: number): void {
    this.#dirty = true;
    this.#lastNow = Math.max(this.#lastNow, now);
    if (this.#saveTimer !== undefined) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.#saving = this.#saving.then(() =>
        this.#save().catch((error: unknown) => this.#onError(error as Error)),
      );
    }, this.#options.saveDelayMs);
    // A pending save must not keep the process alive; stop() flushes.
    this.#saveTimer.unref();
  }

  async #save(): Promise<void> {
    if (!this.#dirty || this.#tree === undefined) return;
    this.#dirty = false;
    try {
      await this.#store.setState(
        TEMPLATE_TREE_STATE_KEY,
        this.#tree.toJSON() as unknown as Json,
        this.#lastNow,
      );
      await this.#store.setState(
        CLUSTER_SIGNATURES_STATE_KEY,
        this.#signatures.toJSON() as unknown as Json,
        this.#lastNow,
      );
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }

  /**
   * The index of known patterns an unrecognised error may join: this book's own, plus what other
   * nodes stored, read again once the last read is stale.
   */
  async #knownPatterns(now: number): Promise<PatternIndex> {
    if (now - this.#knownAt < this.#options.knownPatternsTtlMs) return this.#index;
    const patterns = await this.#store.listPatterns({
      orderBy: 'occurrences',
      limit: this.#options.maxKnownPatterns,
    });
    for (const pattern of patterns) {
      const known = toIndexed(pattern);
      if (known !== undefined) this.#index.learn(known);
    }
    this.#knownAt = now;
    return this.#index;
  }
}

/** What besides the template cluster tells two unrecognised errors apart: class, code and status. */
function partsKey(input: ErrorInput): string {
  const name = input.name ?? input.type ?? '';
  return JSON.stringify([
    name === 'Error' ? '' : name,
    String(input.code ?? ''),
    String(input.status ?? ''),
  ]);
}

/**
 * The error fields of what was thrown. An `Error` keeps its message and name off its own
 * enumerable properties, so spreading it would lose them; its `cause` chain is appended as
 * `Caused by:` lines, so the innermost cause decides the pattern and the outer ones stay context.
 */
function errorInputOf(input: RecordInput): ErrorInput {
  const out: ErrorInput = { message: withCauses(input) };
  for (const key of ['name', 'type', 'stack', 'jobType', 'stage'] as const) {
    const value = input[key];
    if (typeof value === 'string') out[key] = value;
  }
  if (typeof input.code === 'string' || typeof input.code === 'number') out.code = input.code;
  if (typeof input.status === 'number') out.status = input.status;
  return out;
}

const MAX_CAUSES = 5;

function withCauses(input: RecordInput): string {
  let message = input.message;
  let cause: unknown = (input as { cause?: unknown }).cause;
  for (let depth = 0; depth < MAX_CAUSES && cause instanceof Error; depth++) {
    message += `\nCaused by: ${cause.name}: ${cause.message}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return message;
}

/** A stored pattern as the index needs it, or undefined when its category is unknown. */
function toIndexed(pattern: Pattern): Parameters<PatternIndex['learn']>[0] | undefined {
  if (!isCategory(pattern.category)) return undefined;
  const known: Parameters<PatternIndex['learn']>[0] = {
    key: pattern.patternKey,
    template: pattern.template,
    occurrences: pattern.occurrenceCount,
    verdict: {
      category: pattern.category,
      transient: pattern.transient,
      rootCause: pattern.rootCause ?? '',
      remedies: pattern.remedies.filter(isActionId),
      prevention: pattern.prevention ?? '',
      confidence: pattern.confidence,
      ruleId: pattern.source === 'rule' ? pattern.patternKey.replace(/^rule:|@.*$/g, '') : null,
    },
  };
  if (typeof pattern.facts.name === 'string') known.name = pattern.facts.name;
  if (typeof pattern.facts.code === 'string') known.code = pattern.facts.code;
  return known;
}
