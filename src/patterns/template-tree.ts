import { hash as digest } from 'node:crypto';
import { maskShape } from './mask.js';
import {
  compareToTemplate,
  coversTemplate,
  differInWords,
  generaliseTemplate,
  WILDCARD,
} from './template-compare.js';
import {
  resolveTemplateTreeOptions,
  type ResolvedTemplateTreeOptions,
  type TemplateTreeOptions,
} from './template-tree-options.js';

export { WILDCARD };

/** What {@link TemplateTree.add} and {@link TemplateTree.match} answer. */
export interface TemplateMatch {
  /** Stable id of the cluster (already resolved through merges). */
  clusterId: string;
  /** The cluster's current template, tokens joined by one space, `<*>` where values vary. */
  template: string;
}

/** Serializable state of a {@link TemplateTree}; see {@link TemplateTree.toJSON}. */
export interface TemplateTreeState {
  version: 1;
  options: ResolvedTemplateTreeOptions;
  clusters: Array<{ id: string; tokens: string[]; size: number }>;
  /** `[mergedId, survivingId]` pairs. */
  aliases: Array<[string, string]>;
  /** `[maskedMessage, clusterId]`: the exact-message index, saved so a restart decides alike. */
  known: Array<[string, string]>;
}

interface Cluster {
  id: string;
  tokens: string[];
  /** `tokens` joined, computed when first asked for after a change. */
  text: string | undefined;
  size: number;
  bucket: Cluster[];
  /** When the cluster was last matched or created, in {@link TemplateTree} ticks: the LRU order. */
  used: number;
}

/** Bound on the exact-message index (it is saved with the state), so memory and state stay small. */
const MAX_KNOWN = 20_000;
/** Entries and message length of the mask cache: error streams repeat, masking costs most. */
const MAX_MASK_CACHE = 20_000;
const MAX_CACHED_MESSAGE = 512;

/**
 * Online template miner in the manner of Drain (He et al., ICWS 2017), after masking.
 *
 * Messages are masked ({@link maskShape}), then bucketed by token count and first token. Within a
 * bucket a message joins the cluster whose constant tokens it matches best, if it differs in at
 * most {@link TemplateTreeOptions.maxDiffShare} of them; differing positions become `<*>`. When a template
 * generalises so that it covers another cluster of the bucket, that cluster is merged in and its
 * id becomes an alias, so ids handed out earlier keep resolving.
 *
 * Cluster ids are a hash of the masked message that founded the cluster: the same stream gives the
 * same ids on every node and after {@link TemplateTree.fromJSON}.
 *
 * Memory is bounded whatever the stream: at most {@link TemplateTreeOptions.maxClusters} live
 * clusters (the least recently used are forgotten first) and
 * {@link TemplateTreeOptions.maxAliases} merged ids; the exact-message index and the mask cache
 * have fixed caps of their own.
 */
export class TemplateTree {
  readonly #options: ResolvedTemplateTreeOptions;
  #buckets = new Map<string, Cluster[]>();
  #clusters = new Map<string, Cluster>();
  #aliases = new Map<string, string>();
  #known = new Map<string, string>();
  // Masking is a pure function, so this cache changes no answer; it is not part of the state.
  #masked = new Map<string, string>();
  // The tokens #mask just computed, if it did not find the message in its cache: saves a split.
  #tokens: string[] | undefined;
  // Counts adds: each cluster notes the tick it was last used at.
  #tick = 0;

  constructor(options?: TemplateTreeOptions) {
    this.#options = resolveTemplateTreeOptions(options);
  }

  /** Learns from one message and returns the cluster it now belongs to. */
  add(message: string): TemplateMatch {
    this.#tokens = undefined;
    const key = this.#mask(message);
    const tick = ++this.#tick;
    const known = this.#knownCluster(key);
    if (known !== undefined) {
      known.size++;
      known.used = tick;
      return view(known);
    }
    const tokens = this.#tokens ?? (key === '' ? [] : key.split(' '));
    const bucket = this.#bucket(tokens, true);
    let cluster = best(bucket, tokens, this.#options.maxDiffShare);
    if (cluster === undefined) {
      cluster = { id: hashId(key), tokens, text: key, size: 1, bucket, used: tick };
      // Two different founding messages cannot share a hash in practice; if they ever do, salt.
      while (this.#clusters.has(cluster.id)) cluster.id = hashId(cluster.id + key);
      bucket.push(cluster);
      this.#clusters.set(cluster.id, cluster);
      cluster = this.#mergeSiblings(cluster);
    } else {
      cluster.size++;
      if (generaliseTemplate(cluster.tokens, tokens)) {
        cluster.text = undefined;
        cluster = this.#absorbCovered(cluster);
      }
    }
    // After merges: the survivor may be an older cluster, and it is the one just used.
    cluster.used = tick;
    if (this.#clusters.size > this.#options.maxClusters) this.#evict();
    if (this.#known.size < MAX_KNOWN) this.#known.set(key, cluster.id);
    return view(cluster);
  }

  /** The cluster a message would join, without learning from it; `undefined` if none. */
  match(message: string): TemplateMatch | undefined {
    const key = this.#masked.get(message) ?? maskShape(message).join(' ');
    const known = this.#knownCluster(key);
    if (known !== undefined) return view(known);
    const tokens = key === '' ? [] : key.split(' ');
    const bucket = this.#bucket(tokens, false);
    if (bucket === undefined) return undefined;
    const cluster = best(bucket, tokens, this.#options.maxDiffShare);
    return cluster === undefined ? undefined : view(cluster);
  }

  /** The id a cluster id now goes by, following merges; `undefined` for an unknown id. */
  resolve(clusterId: string): string | undefined {
    return this.#live(clusterId)?.id;
  }

  /** The current template of a cluster (or of the cluster it was merged into). */
  template(clusterId: string): string | undefined {
    const id = this.resolve(clusterId);
    return id === undefined ? undefined : textOf(this.#cluster(id));
  }

  /** Number of live clusters (merged ones not counted). */
  get size(): number {
    return this.#clusters.size;
  }

  /** Number of merged cluster ids that still resolve to a survivor. */
  get aliases(): number {
    return this.#aliases.size;
  }

  /** Plain-JSON state; {@link TemplateTree.fromJSON} restores an equivalent tree. */
  toJSON(): TemplateTreeState {
    return {
      version: 1,
      options: { ...this.#options },
      clusters: [...this.#clusters.values()].map((c) => ({
        id: c.id,
        tokens: [...c.tokens],
        size: c.size,
      })),
      aliases: [...this.#aliases.entries()],
      known: [...this.#known.entries()],
    };
  }

  /** Rebuilds a tree from {@link TemplateTree.toJSON} output. */
  static fromJSON(state: TemplateTreeState): TemplateTree {
    if (state?.version !== 1) throw new TypeError('TemplateTree state must have version 1');
    const tree = new TemplateTree(state.options);
    // Insertion order is kept, so ties between clusters break the same way as before the restart.
    for (const c of state.clusters) {
      tree.#tick++;
      const bucket = tree.#bucket(c.tokens, true);
      const cluster: Cluster = {
        id: c.id,
        tokens: [...c.tokens],
        text: undefined,
        size: c.size,
        bucket,
        used: tree.#tick,
      };
      bucket.push(cluster);
      tree.#clusters.set(c.id, cluster);
    }
    for (const [from, to] of state.aliases) tree.#aliases.set(from, to);
    for (const [key, id] of state.known) tree.#known.set(key, id);
    return tree;
  }

  /** The masked tokens of a message joined by spaces (tokens never hold a space). */
  #mask(message: string): string {
    let key = this.#masked.get(message);
    if (key === undefined) {
      this.#tokens = maskShape(message);
      key = this.#tokens.join(' ');
      if (message.length <= MAX_CACHED_MESSAGE) {
        if (this.#masked.size >= MAX_MASK_CACHE) this.#masked.clear();
        this.#masked.set(message, key);
      }
    }
    return key;
  }

  /** The cluster the exact-message index names for a masked message, if it was not forgotten. */
  #knownCluster(key: string): Cluster | undefined {
    const id = this.#known.get(key);
    if (id === undefined) return undefined;
    const cluster = this.#live(id);
    if (cluster === undefined) this.#known.delete(key);
    return cluster;
  }

  /**
   * The live cluster an id now names, following merges: one lookup per step, and none in the
   * aliases while nothing was merged, since every message asks.
   */
  #live(clusterId: string): Cluster | undefined {
    let id = clusterId;
    if (this.#aliases.size !== 0)
      for (let next = this.#aliases.get(id); next !== undefined; next = this.#aliases.get(id))
        id = next;
    return this.#clusters.get(id);
  }

  /**
   * Forgets the least recently used tenth of the clusters, with their entries in the
   * exact-message index: one pass per tenth keeps the cost per message constant on average.
   */
  #evict(): void {
    const clusters = [...this.#clusters.values()].sort((a, b) => a.used - b.used);
    const count = Math.max(
      this.#clusters.size - this.#options.maxClusters,
      Math.ceil(this.#options.maxClusters / 10),
    );
    const gone = new Set<string>();
    for (const cluster of clusters.slice(0, count)) {
      cluster.bucket.splice(cluster.bucket.indexOf(cluster), 1);
      this.#clusters.delete(cluster.id);
      gone.add(cluster.id);
    }
    for (const [key, bucket] of this.#buckets) if (bucket.length === 0) this.#buckets.delete(key);
    for (const [key, id] of this.#known)
      if (this.resolve(id) === undefined) this.#known.delete(key);
    for (const [from, to] of this.#aliases) if (gone.has(to)) this.#aliases.delete(from);
  }

  #cluster(id: string): Cluster {
    const resolved = this.resolve(id);
    const cluster = resolved === undefined ? undefined : this.#clusters.get(resolved);
    if (cluster === undefined) throw new Error(`TemplateTree: unknown cluster ${id}`);
    return cluster;
  }

  #bucket(tokens: string[], create: true): Cluster[];
  #bucket(tokens: string[], create: false): Cluster[] | undefined;
  #bucket(tokens: string[], create: boolean): Cluster[] | undefined {
    const first = tokens[0] ?? '';
    // A variable first token must not split its messages into one bucket per value.
    const key = `${tokens.length} ${first.includes('<') ? WILDCARD : first}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined && create) {
      bucket = [];
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /**
   * When enough clusters of the bucket differ from `cluster` at one and the same position only,
   * that position is a variable: they all merge, the oldest one surviving.
   */
  #mergeSiblings(cluster: Cluster): Cluster {
    const bucket = cluster.bucket;
    const template = cluster.tokens;
    const siblings = new Map<number, Cluster[]>();
    for (const other of bucket) {
      if (other === cluster) continue;
      let position = -1;
      const tokens = other.tokens;
      for (let i = 0; i < template.length; i++) {
        if (template[i] === tokens[i]) continue;
        if (position !== -1 || !differInWords(template[i]!, tokens[i]!)) {
          position = -2;
          break;
        }
        position = i;
      }
      if (position < 0) continue;
      const list = siblings.get(position);
      if (list === undefined) siblings.set(position, [other]);
      else list.push(other);
    }
    const { minWordValues, minRareShare } = this.#options;
    for (const [position, list] of siblings) {
      if (list.length + 1 < minWordValues) continue;
      // The new cluster has been seen once; a word that keeps coming back names an event.
      const rare = 1 + list.reduce((n, c) => (c.size === 1 ? n + 1 : n), 0);
      if (rare < minRareShare * (list.length + 1)) continue;
      // A template needs some constant text left, or every one-word message would merge.
      if (!template.some((t, i) => i !== position && t !== WILDCARD)) continue;
      // Bucket order is creation order, so list[0] is the oldest.
      const keep = list[0]!;
      keep.tokens[position] = WILDCARD;
      keep.text = undefined;
      for (const drop of [...list.slice(1), cluster]) this.#alias(drop, keep);
      return this.#absorbCovered(keep);
    }
    return cluster;
  }

  #alias(drop: Cluster, keep: Cluster): void {
    keep.size += drop.size;
    drop.bucket.splice(drop.bucket.indexOf(drop), 1);
    drop.bucket = [];
    this.#clusters.delete(drop.id);
    this.#aliases.set(drop.id, keep.id);
    const { maxAliases } = this.#options;
    if (this.#aliases.size > maxAliases) {
      // A Map iterates in insertion order: the oldest merges go first.
      let excess = this.#aliases.size - maxAliases + Math.floor(maxAliases / 10);
      for (const from of this.#aliases.keys()) {
        if (excess-- <= 0) break;
        this.#aliases.delete(from);
      }
    }
  }

  /** Merges into `cluster` every other cluster of its bucket its template now covers. */
  #absorbCovered(cluster: Cluster): Cluster {
    let survivor = cluster;
    for (const other of [...cluster.bucket]) {
      // Skip the clusters this loop already merged away (the copy still lists them).
      if (
        other === survivor ||
        other.bucket !== survivor.bucket ||
        !coversTemplate(survivor.tokens, other.tokens)
      )
        continue;
      // The older cluster keeps its id, so the ids handed out first stay the canonical ones.
      const bucket = survivor.bucket;
      const [keep, drop] =
        bucket.indexOf(other) < bucket.indexOf(survivor) ? [other, survivor] : [survivor, other];
      keep.tokens = [...survivor.tokens];
      keep.text = undefined;
      this.#alias(drop, keep);
      survivor = keep;
    }
    return survivor;
  }
}

/** The cluster of the bucket the tokens fit best, or `undefined` if none is close enough. */
function best(bucket: Cluster[], tokens: string[], maxDiffShare: number): Cluster | undefined {
  let found: Cluster | undefined;
  let foundDiff = Infinity;
  let foundSame = -1;
  for (const cluster of bucket) {
    const score = compareToTemplate(cluster.tokens, tokens, maxDiffShare);
    if (score === undefined) continue;
    if (score.diff < foundDiff || (score.diff === foundDiff && score.same > foundSame)) {
      found = cluster;
      foundDiff = score.diff;
      foundSame = score.same;
    }
  }
  return found;
}

function view(cluster: Cluster): TemplateMatch {
  return { clusterId: cluster.id, template: textOf(cluster) };
}

function textOf(cluster: Cluster): string {
  return (cluster.text ??= cluster.tokens.join(' '));
}

/** 16 hex characters of SHA-1: short enough to read, long enough not to collide. */
function hashId(text: string): string {
  return digest('sha1', text, 'hex').slice(0, 16);
}
