import { describe, expect, it } from 'vitest';
import { ClusterSignatures } from '../../src/patterns/cluster-signatures.js';
import type { TemplateTree } from '../../src/patterns/template-tree.js';

/** A tree that only answers `resolve`, from a table of merges. */
function treeWith(merges: Record<string, string>, live: string[]): TemplateTree {
  return {
    resolve: (id: string) => (live.includes(id) ? id : merges[id]),
  } as unknown as TemplateTree;
}

describe('ClusterSignatures', () => {
  it('folds the signature of a merged cluster into the survivor signature of the same parts', () => {
    const index = new ClusterSignatures();
    index.note('A', 'p', 'sigA');
    index.note('B', 'p', 'sigB');
    expect(index.followMerges(treeWith({}, ['A', 'B']))).toEqual([]);
    expect(index.followMerges(treeWith({ B: 'A' }, ['A']))).toEqual([
      { from: 'sigB', into: 'sigA' },
    ]);
    expect(index.has('B')).toBe(false);
  });

  it('keeps a fold waiting, across a save and restore, until the survivor makes that signature', () => {
    const index = new ClusterSignatures();
    index.note('A', 'p', 'sigA');
    index.note('B', 'q', 'sigBq');
    expect(index.followMerges(treeWith({ B: 'A' }, ['A']))).toEqual([]);
    const restored = ClusterSignatures.fromJSON(JSON.parse(JSON.stringify(index.toJSON())));
    expect(restored.note('A', 'p', 'sigA')).toEqual([]);
    expect(restored.note('A', 'q', 'sigAq')).toEqual([{ from: 'sigBq', into: 'sigAq' }]);
    expect(restored.note('A', 'q', 'sigAq')).toEqual([]);
  });

  it('moves a waiting fold on when its survivor is merged in turn, folding it once a signature is there', () => {
    const index = new ClusterSignatures();
    index.note('B', 'q', 'sigBq');
    index.followMerges(treeWith({ B: 'A' }, ['A']));
    index.note('C', 'q', 'sigCq');
    expect(index.followMerges(treeWith({ B: 'C', A: 'C' }, ['C']))).toEqual([
      { from: 'sigBq', into: 'sigCq' },
    ]);
    expect(index.note('C', 'q', 'sigCq')).toEqual([]);
  });
});
