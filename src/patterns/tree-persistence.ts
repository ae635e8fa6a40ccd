import type { StateStore } from '../core/state-store.js';
import type { Json } from '../core/types.js';
import { ClusterSignatures, type ClusterSignaturesState } from './cluster-signatures.js';
import { TemplateTree, type TemplateTreeState } from './template-tree.js';
import type { TemplateTreeOptions } from './template-tree-options.js';

/** Key of the saved template tree in the store's engine state. */
export const TEMPLATE_TREE_STATE_KEY = 'patterns.template-tree';
/** Key of the saved cluster → signature index (see `ClusterSignatures`). */
export const CLUSTER_SIGNATURES_STATE_KEY = 'patterns.cluster-signatures';

/** Options of {@link TreePersistence}. */
export interface TreePersistenceOptions {
  /** Delay between a change and its save; {@link TreePersistence.flush} saves at once. */
  saveDelayMs: number;
  /** Tuning of a new tree (a saved tree keeps its own). */
  tree?: TemplateTreeOptions | undefined;
  /** Called when loading a saved tree or a background save fails. */
  onError: (error: Error) => void;
  /** Awaited before the first read, e.g. the engine's migration. */
  ready?: (() => Promise<unknown>) | undefined;
}

/**
 * The template tree of a pattern book and the cluster → signature index that goes with it, loaded
 * from the store's engine state once and saved back a while after each change (Drain3's snapshot
 * of the miner's state), so ids and merges survive a restart.
 */
export class TreePersistence {
  readonly #store: StateStore;
  readonly #options: TreePersistenceOptions;
  #tree: TemplateTree | undefined;
  #signatures = new ClusterSignatures();
  #loading: Promise<void> | undefined;
  #dirty = false;
  #lastNow = 0;
  #saveTimer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(store: StateStore, options: TreePersistenceOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** The tree; only after {@link TreePersistence.load} resolved. */
  get tree(): TemplateTree {
    if (this.#tree === undefined) throw new Error('TreePersistence: load() first');
    return this.#tree;
  }

  /** The tree, or undefined before {@link TreePersistence.load} resolved. */
  get loadedTree(): TemplateTree | undefined {
    return this.#tree;
  }

  /** The cluster → signature index; only after {@link TreePersistence.load} resolved. */
  get signatures(): ClusterSignatures {
    return this.#signatures;
  }

  /** Reads the saved state once; a failed read is tried again by the next call. */
  load(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  /** Notes a change; the save follows after `saveDelayMs`. */
  changed(now: number): void {
    this.#dirty = true;
    this.#lastNow = Math.max(this.#lastNow, now);
    if (this.#saveTimer !== undefined) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      this.#saving = this.#saving.then(() =>
        this.#save().catch((error: unknown) => this.#options.onError(error as Error)),
      );
    }, this.#options.saveDelayMs);
    // A pending save must not keep the process alive; stop() flushes.
    this.#saveTimer.unref();
  }

  /** Saves now if anything changed since the last save. */
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

  async #load(): Promise<void> {
    let state: Json | undefined;
    try {
      await this.#options.ready?.();
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
        this.#options.onError(
          new Error(`ignoring the saved template tree: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
    }
    this.#tree = new TemplateTree(this.#options.tree);
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
}
