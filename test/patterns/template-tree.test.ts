import { describe, expect, it } from 'vitest';
import { TemplateTree } from '../../src/patterns/template-tree.js';
import { word } from '../helpers/words.js';

describe('TemplateTree', () => {
  it('puts messages that differ only in values into one cluster', () => {
    const tree = new TemplateTree();
    const a = tree.add('Connection to 10.0.0.1:5432 timed out after 30s');
    const b = tree.add('Connection to 10.0.0.7:6543 timed out after 15s');
    expect(b.clusterId).toBe(a.clusterId);
    expect(b.template).toBe('Connection to <*> timed out after <*>');
  });

  it('finds a variable no mask knows once a position varies', () => {
    const tree = new TemplateTree();
    const first = tree.add('upload of report.pdf rejected by antivirus');
    const second = tree.add('upload of invoice.xlsx rejected by antivirus');
    expect(second.clusterId).toBe(first.clusterId);
    expect(second.template).toBe('upload of <*> rejected by antivirus');
  });

  it('keeps messages that differ in a plain word apart', () => {
    const tree = new TemplateTree();
    const begin = tree.add('Starting TrustedInstaller initialization.');
    const end = tree.add('Starting TrustedInstaller finalization.');
    expect(end.clusterId).not.toBe(begin.clusterId);
  });

  it('keeps messages apart whose values carry different names', () => {
    const tree = new TemplateTree();
    const lock = tree.add('acquire lock=81 owner=worker_1');
    const flags = tree.add('acquire flags=81 owner=worker_1');
    expect(flags.clusterId).not.toBe(lock.clusterId);
  });

  it('takes a word position for a variable once enough distinct words were seen there', () => {
    const tree = new TemplateTree();
    const ids = ['webmaster', 'admin', 'oracle', 'guest', 'support'].map(
      (user) => tree.add(`Invalid user ${user} from 10.0.0.1`).clusterId,
    );
    const merged = tree.resolve(ids[0]!);
    expect(new Set(ids.map((id) => tree.resolve(id)))).toEqual(new Set([merged]));
    expect(tree.template(ids[0]!)).toBe('Invalid user <*> from <*>');
    expect(tree.size).toBe(1);
  });

  it('keeps apart the few words of a position that each keep coming back', () => {
    const tree = new TemplateTree();
    const ids = new Set<string>();
    // Lifecycle events recur (instances start and stop) before the rarer ones are first seen.
    const events = ['Started', 'Stopped', 'Started', 'Stopped', 'Paused', 'Started', 'Paused'];
    for (const [i, event] of [...events, 'Resumed', 'Stopped', 'Resumed'].entries()) {
      const id = tree.add(`[instance: 7f3c-${i}] VM ${event} (Lifecycle Event)`).clusterId;
      ids.add(id);
    }
    expect(new Set([...ids].map((id) => tree.resolve(id))).size).toBe(4);
    expect(tree.size).toBe(4);
  });

  it('still takes names for a variable when one of them is common', () => {
    const tree = new TemplateTree();
    for (let i = 0; i < 10; i++) tree.add(`Invalid user root from 10.0.0.${i}`);
    for (const user of ['admin', 'guest', 'test']) tree.add(`Invalid user ${user} from 10.0.0.1`);
    expect(tree.size).toBe(1);
    expect(tree.template(tree.add('Invalid user oracle from 10.0.0.2').clusterId)).toBe(
      'Invalid user <*> from <*>',
    );
  });

  it('keeps resolving the ids of clusters merged into another', () => {
    const tree = new TemplateTree();
    const early = tree.add('Invalid user alice from 10.0.0.1').clusterId;
    for (const user of ['bob', 'carol', 'dave']) tree.add(`Invalid user ${user} from 10.0.0.2`);
    const now = tree.add('Invalid user erin from 10.0.0.3').clusterId;
    expect(tree.resolve(early)).toBe(now);
    expect(tree.template(early)).toBe('Invalid user <*> from <*>');
  });

  it('merges a cluster that a generalised template now covers, keeping the older id', () => {
    const tree = new TemplateTree();
    const a = tree.add('sync job a.x b.x c.x d.x finished cleanly now').clusterId;
    const b = tree.add('sync job e.y f.y g.y h.y finished cleanly now').clusterId;
    expect(b).not.toBe(a);
    tree.add('sync job e.y f.y c.x d.x finished cleanly now');
    const last = tree.add('sync job z.z z.z z.z z.z finished cleanly now');
    expect(last.clusterId).toBe(a);
    expect(tree.resolve(b)).toBe(a);
    expect(tree.template(b)).toBe('sync job <*> <*> <*> <*> finished cleanly now');
    expect(tree.size).toBe(1);
  });

  it('accepts empty and blank messages as one cluster', () => {
    const tree = new TemplateTree();
    expect(tree.add('').clusterId).toBe(tree.add('   \t').clusterId);
    expect(tree.template(tree.add('').clusterId)).toBe('');
  });

  it('matches without learning', () => {
    const tree = new TemplateTree();
    const { clusterId } = tree.add('disk /dev/sda1 is 91% full');
    const before = JSON.stringify(tree.toJSON());
    expect(tree.match('disk /dev/sdb2 is 97% full')?.clusterId).toBe(clusterId);
    expect(tree.match('a message never seen before')).toBeUndefined();
    expect(JSON.stringify(tree.toJSON())).toBe(before);
  });

  it('derives the same ids from the same messages in a new tree', () => {
    const messages = [
      'payment 81 declined: card expired',
      'payment 97 declined: card expired',
      'shipment 5 lost',
    ];
    const ids = (tree: TemplateTree): string[] => messages.map((m) => tree.add(m).clusterId);
    expect(ids(new TemplateTree())).toEqual(ids(new TemplateTree()));
  });

  it('survives a restart through toJSON and fromJSON', () => {
    const tree = new TemplateTree();
    const users = ['alice', 'bob', 'carol', 'dave'];
    const ids = users.map((u) => tree.add(`Invalid user ${u} from 10.0.0.1`).clusterId);
    tree.add('Link error on broadcast tree Interconnect-1T00');
    const restored = TemplateTree.fromJSON(JSON.parse(JSON.stringify(tree.toJSON())));
    expect(restored.toJSON()).toEqual(tree.toJSON());
    for (const id of ids) expect(restored.resolve(id)).toBe(tree.resolve(id));
    const next = 'Invalid user mallory from 10.9.9.9';
    expect(restored.add(next)).toEqual(tree.add(next));
  });

  it('keeps its options across a restart', () => {
    const tree = new TemplateTree({ minWordValues: 2 });
    const restored = TemplateTree.fromJSON(tree.toJSON());
    const a = restored.add('Invalid user alice from 10.0.0.1').clusterId;
    restored.add('Invalid user bob from 10.0.0.2');
    expect(restored.template(a)).toBe('Invalid user <*> from <*>');
  });

  it('stays within its bounds under a flood of distinct shapes, forgetting the least recently used', () => {
    const tree = new TemplateTree({ maxClusters: 50, maxAliases: 20 });
    const hot = tree.add('heartbeat missed by the primary').clusterId;
    let mostAliases = 0;
    for (let i = 0; i < 5000; i++) {
      // A different first word each time: a new bucket and a new cluster for every message.
      tree.add(`${word(i)} refused the request`);
      // Four names at one position merge four clusters into one, making three aliases.
      for (const name of ['ann', 'bob', 'cid', 'dan'])
        tree.add(`${word(i)} user ${name} logged in`);
      mostAliases = Math.max(mostAliases, tree.aliases);
      if (i % 10 === 0) expect(tree.add('heartbeat missed by the primary').clusterId).toBe(hot);
      expect(tree.size).toBeLessThanOrEqual(50);
      expect(tree.aliases).toBeLessThanOrEqual(20);
    }
    // Aliases were made all along (three per name group), so the cap, not the stream, held them.
    expect(mostAliases).toBeGreaterThan(15);
    const state = tree.toJSON();
    expect(state.clusters.length).toBeLessThanOrEqual(50);
    expect(state.aliases.length).toBeLessThanOrEqual(20);
    // The cluster in use all along was never forgotten; an early one was.
    expect(tree.resolve(hot)).toBe(hot);
    expect(tree.match(`${word(0)} refused the request`)).toBeUndefined();
    expect(() => new TemplateTree({ maxClusters: 0 })).toThrow(/maxClusters/);
  });

  it('counts a merge as a use of the surviving cluster, however old it is', () => {
    const tree = new TemplateTree({ maxClusters: 4 });
    const ann = tree.add('user ann logged in').clusterId;
    tree.add('user bob logged in');
    const other = tree.add('disk quota nearly reached').clusterId;
    tree.add('user cid logged in');
    // The fourth name merges the four into the oldest cluster, which is now the most recently used.
    expect(tree.add('user dan logged in').clusterId).toBe(ann);
    for (let i = 0; i < 3; i++) tree.add(`${word(i)} went away`);
    // One cluster too many: the least recently used goes, and that is not the one just merged into.
    expect(tree.resolve(other)).toBeUndefined();
    expect(tree.template(ann)).toBe('user <*> logged in');
  });

  it('names the option that is out of range', () => {
    expect(() => new TemplateTree({ maxDiffShare: 1 })).toThrow(/maxDiffShare/);
    expect(() => new TemplateTree({ minWordValues: 1.5 })).toThrow(/minWordValues/);
    expect(() => new TemplateTree({ minRareShare: 2 })).toThrow(/minRareShare/);
  });

  it('refuses state of an unknown version', () => {
    expect(() => TemplateTree.fromJSON({ version: 2 } as never)).toThrow(/version 1/);
  });
});
