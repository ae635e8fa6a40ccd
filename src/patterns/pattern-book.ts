import { SECOND } from '../core/clock.js';
import { invalidArgument } from '../core/errors.js';
import type { StateStore } from '../core/state-store.js';
import type { Json, Pattern, PatternOccurrence, PatternSource } from '../core/types.js';
import type { PatternFilter, PatternStore } from './pattern-store.js';
import { analyzeError, type ErrorAnalysis } from './analyze-error.js';
import { partsKey, type SignatureMerge } from './cluster-signatures.js';
import { errorInputOf, type RecordInput } from './error-input.js';
import type { ErrorInput } from './fingerprint.js';
import { KnownPatterns } from './known-patterns.js';
import { redact } from './redact.js';
import type { TemplateTreeOptions } from './template-tree-options.js';
import { TreePersistence } from './tree-persistence.js';

export type { RecordInput } from './error-input.js';
export { CLUSTER_SIGNATURES_STATE_KEY, TEMPLATE_TREE_STATE_KEY } from './tree-persistence.js';

/** What {@link PatternBook.record} stored and concluded. */
export interface RecordedError {
  /** The pattern as stored after this occurrence (the survivor, if its key was merged). */
  pattern: Pattern;
  analysis: ErrorAnalysis;
}

/** What a pattern book holds in memory; each figure has a bound (see {@link PatternBookOptions}). */
export interface PatternBookSizes {
  /** Live template clusters (bounded by `tree.maxClusters`). */
  clusters: number;
  /** Merged cluster ids that still resolve (bounded by `tree.maxAliases`). */
  aliases: number;
  /** Patterns in the similarity cache (bounded by four times `maxKnownPatterns`). */
  knownPatterns: number;
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
   * Most frequent patterns read from the store for similarity; the cache keeps four times as
   * many, forgetting the least recently seen.
   * @default 500
   */
  maxKnownPatterns?: number;
  /**
   * Delay between a change of the template tree and its save; `flush()` saves at once.
   * @default 5000
   */
  saveDelayMs?: number;
  /** Tuning and bounds of the template tree (only used when no saved tree exists yet). */
  tree?: TemplateTreeOptions;
  /** Called when loading or a background save fails; the book keeps working in memory. */
  onError?: (error: Error) => void;
  /** Awaited before the book first reads the store, e.g. the engine's migration. */
  ready?: () => Promise<unknown>;
}

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
 * The learned patterns of one store, behind three verbs in the manner of Drain3's template miner:
 * **record** an error (redact, analyse, count it on its pattern by pattern key, keep the
 * occurrence), **analyse** one without learning from it, and **read** what was learned (`get`,
 * `list`, `occurrences`). Behind it: the template tree with its persistence
 * ({@link TreePersistence}), the similarity cache ({@link KnownPatterns}) and the store. Memory is
 * bounded ({@link PatternBook.sizes}); the statistics of whatever is forgotten stay in the store.
 */
export class PatternBook {
  readonly #store: PatternStore & StateStore;
  readonly #persistence: TreePersistence;
  readonly #known: KnownPatterns;

  constructor(store: PatternStore & StateStore, options: PatternBookOptions = {}) {
    this.#store = store;
    const resolved = {
      knownPatternsTtlMs: options.knownPatternsTtlMs ?? DEFAULTS.knownPatternsTtlMs,
      maxKnownPatterns: options.maxKnownPatterns ?? DEFAULTS.maxKnownPatterns,
      saveDelayMs: options.saveDelayMs ?? DEFAULTS.saveDelayMs,
    };
    for (const [name, value] of Object.entries(resolved)) {
      if (!(Number.isFinite(value) && value >= 0))
        throw new RangeError(`${name} must be a number >= 0, got ${String(value)}`);
    }
    this.#known = new KnownPatterns(store, {
      ttlMs: resolved.knownPatternsTtlMs,
      maxPatterns: resolved.maxKnownPatterns,
    });
    this.#persistence = new TreePersistence(store, {
      saveDelayMs: resolved.saveDelayMs,
      tree: options.tree,
      onError: options.onError ?? (() => {}),
      ready: options.ready,
    });
  }

  /** Reads the saved template tree; every other method waits for it. Safe to call repeatedly. */
  load(): Promise<void> {
    return this.#persistence.load();
  }

  /**
   * Records one error: redacts it, analyses it, counts it on its pattern (creating the pattern the
   * first time) and stores the occurrence with the redacted message and its signature.
   */
  async record(input: RecordInput, now: number): Promise<RecordedError> {
    const { jobId, attempt } = input;
    const safe = await this.#prepare(input, 'record');
    const index = await this.#known.index(now);
    const tree = this.#persistence.tree;
    const clustersBefore = tree.size;
    const analysis = analyzeError(safe, { tree, index });
    const stuck = analysis.facts.codes.includes('stuck') && safe.jobType !== undefined;
    // A stuck job never reaches the tree (its signature is synthetic), so nothing changed there.
    if (!stuck) this.#persistence.changed(now);
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
    const signatures = this.#persistence.signatures;
    // Fewer clusters than before, or a cluster id never seen: the tree merged clusters.
    const merged =
      tree.size < clustersBefore ||
      (tree.size === clustersBefore && !signatures.has(analysis.clusterId));
    const merges = [
      ...(merged ? signatures.followMerges(tree) : []),
      ...signatures.note(analysis.clusterId, partsKey(safe), analysis.patternKey),
    ];
    if (merges.length === 0) return { pattern, analysis };
    await this.#fold(merges, now);
    return { pattern: (await this.#store.getPattern(pattern.id)) ?? pattern, analysis };
  }

  /**
   * What {@link PatternBook.record} would conclude about an error, with this book's tree and known
   * patterns, without storing it or learning from it: asking twice changes nothing.
   */
  async analyse(input: RecordInput, now: number): Promise<ErrorAnalysis> {
    const safe = await this.#prepare(input, 'analyse');
    const index = await this.#known.index(now);
    return analyzeError(safe, { tree: this.#persistence.tree, index, learn: false });
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
    this.#known.forget(source.patternKey);
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

  /** What the book holds in memory now; zeros before it loaded. */
  sizes(): PatternBookSizes {
    const tree = this.#persistence.loadedTree;
    return {
      clusters: tree?.size ?? 0,
      aliases: tree?.aliases ?? 0,
      knownPatterns: this.#known.size,
    };
  }

  /** Saves the template tree now if it changed since the last save. */
  flush(): Promise<void> {
    return this.#persistence.flush();
  }

  /** Checks and redacts an error before anything else sees it, once the tree is loaded. */
  async #prepare(input: RecordInput, verb: string): Promise<ErrorInput> {
    if (typeof input?.message !== 'string')
      throw invalidArgument(`${verb}() needs an error with a string message`);
    await this.load();
    const error = errorInputOf(input);
    const safe: ErrorInput = { ...error, message: redact(error.message.slice(0, MAX_REDACTED)) };
    if (error.stack !== undefined) safe.stack = redact(error.stack.slice(0, MAX_REDACTED));
    return safe;
  }

  /** Folds the patterns whose template clusters merged into the survivors' patterns. */
  async #fold(merges: readonly SignatureMerge[], now: number): Promise<void> {
    for (const { from, into } of merges) {
      const survivor = await this.#store.getPattern(into);
      if (survivor !== undefined) await this.#store.mergePatterns(from, survivor.id, now);
    }
    for (const { from } of merges) this.#known.forget(from);
  }
}
