import type { ErrorInput } from './fingerprint.js';
import type { TemplateTree } from './template-tree.js';

/** A pattern signature to fold into another one, because their template clusters merged. */
export interface SignatureMerge {
  from: string;
  into: string;
}

/** Serializable state of {@link ClusterSignatures}: `[clusterId, partsKey, signature]` rows. */
export interface ClusterSignaturesState {
  version: 1;
  recorded: Array<[string, string, string]>;
  pending: Array<[string, string, string]>;
}

/** Bound on remembered signatures (the state is saved whole), so memory and state stay small. */
const MAX_ENTRIES = 20_000;

/**
 * Which pattern signatures were made from which template cluster. A signature hashes the cluster
 * id with the error's other parts (class, code, status, frames: the `partsKey`), so when the tree
 * merges a cluster into an older one, the signatures made from it stop being produced: their
 * patterns must be folded into the signature the survivor makes for the same parts. When the
 * survivor has not made that signature yet, the fold waits (`pending`) until it does.
 */
export class ClusterSignatures {
  // clusterId → partsKey → signature
  #recorded = new Map<string, Map<string, string>>();
  // clusterId → partsKey → signatures waiting for the survivor's signature of those parts
  #pending = new Map<string, Map<string, string[]>>();
  #entries = 0;

  /** True when signatures were recorded for this cluster id. */
  has(clusterId: string): boolean {
    return this.#recorded.has(clusterId);
  }

  /**
   * Notes that `signature` was made from `clusterId` and `partsKey`; returns the signatures of
   * merged clusters that were waiting for it, to fold into it now.
   */
  note(clusterId: string, partsKey: string, signature: string): SignatureMerge[] {
    let parts = this.#recorded.get(clusterId);
    if (parts?.get(partsKey) !== signature && this.#entries < MAX_ENTRIES) {
      if (parts === undefined) this.#recorded.set(clusterId, (parts = new Map()));
      if (!parts.has(partsKey)) this.#entries++;
      parts.set(partsKey, signature);
    }
    const waiting = this.#pending.get(clusterId)?.get(partsKey);
    if (waiting === undefined) return [];
    this.#pending.get(clusterId)!.delete(partsKey);
    this.#entries -= waiting.length;
    return waiting.filter((from) => from !== signature).map((from) => ({ from, into: signature }));
  }

  /**
   * After the tree merged clusters: the folds that can happen now. Clusters the tree no longer
   * knows by their own id are re-filed under their survivor.
   */
  followMerges(tree: TemplateTree): SignatureMerge[] {
    const merges: SignatureMerge[] = [];
    for (const [clusterId, parts] of [...this.#recorded]) {
      const survivor = tree.resolve(clusterId);
      if (survivor === clusterId) continue;
      this.#recorded.delete(clusterId);
      this.#entries -= parts.size;
      if (survivor === undefined) continue;
      for (const [partsKey, from] of parts) {
        const into = this.#recorded.get(survivor)?.get(partsKey);
        if (into !== undefined) merges.push({ from, into });
        else this.#wait(survivor, partsKey, from);
      }
    }
    for (const [clusterId, parts] of [...this.#pending]) {
      const survivor = tree.resolve(clusterId);
      if (survivor === clusterId) continue;
      this.#pending.delete(clusterId);
      for (const [partsKey, waiting] of parts) {
        this.#entries -= waiting.length;
        if (survivor === undefined) continue;
        const into = this.#recorded.get(survivor)?.get(partsKey);
        for (const from of waiting) {
          if (into !== undefined) merges.push({ from, into });
          else this.#wait(survivor, partsKey, from);
        }
      }
    }
    return merges;
  }

  /** Plain-JSON state; {@link ClusterSignatures.fromJSON} restores it. */
  toJSON(): ClusterSignaturesState {
    const rows = <T>(map: Map<string, Map<string, T>>, values: (value: T) => string[]) =>
      [...map].flatMap(([clusterId, parts]) =>
        [...parts].flatMap(([partsKey, value]) =>
          values(value).map((signature): [string, string, string] => [
            clusterId,
            partsKey,
            signature,
          ]),
        ),
      );
    return {
      version: 1,
      recorded: rows(this.#recorded, (s) => [s]),
      pending: rows(this.#pending, (list) => list),
    };
  }

  /** Rebuilds from {@link ClusterSignatures.toJSON} output. */
  static fromJSON(state: ClusterSignaturesState): ClusterSignatures {
    if (state?.version !== 1) throw new TypeError('ClusterSignatures state must have version 1');
    const book = new ClusterSignatures();
    for (const [clusterId, partsKey, signature] of state.recorded)
      book.note(clusterId, partsKey, signature);
    for (const [clusterId, partsKey, signature] of state.pending)
      book.#wait(clusterId, partsKey, signature);
    return book;
  }

  #wait(clusterId: string, partsKey: string, signature: string): void {
    if (this.#entries >= MAX_ENTRIES) return;
    let parts = this.#pending.get(clusterId);
    if (parts === undefined) this.#pending.set(clusterId, (parts = new Map()));
    const list = parts.get(partsKey);
    if (list === undefined) parts.set(partsKey, [signature]);
    else list.push(signature);
    this.#entries++;
  }
}

/** What besides the template cluster tells two unrecognised errors apart: class, code and status. */
export function partsKey(input: ErrorInput): string {
  const name = input.name ?? input.type ?? '';
  return JSON.stringify([
    name === 'Error' ? '' : name,
    String(input.code ?? ''),
    String(input.status ?? ''),
  ]);
}
