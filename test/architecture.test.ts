import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of `src/`, bottom first. A folder may import its own layer's files and any layer
 * below it; folders that share a rank (monitor and heal, dashboard and examples) may not import each
 * other, so the composition root is the only place that wires them together.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['knowledge'],
  ['patterns'],
  ['store'],
  ['orchestrator'],
  ['monitor', 'heal'],
  ['app'],
  ['dashboard', 'examples'],
  ['api'],
  ['cli'],
  ['index.ts'],
];

const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function folderOf(file: string): string {
  return relative(SRC, file).split('/')[0] as string;
}

function rankOf(folder: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(folder));
  if (rank < 0)
    throw new Error(`src/${folder} is in no layer: add it to LAYERS in test/architecture.test.ts`);
  return rank;
}

/** Relative imports of a file, resolved to source paths (type-only imports count: they couple too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"](\.[^'"]+)['"]/g),
  ].map((m) => m[1] as string);
  const dynamic = [...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] as string,
  );
  return [...specifiers, ...dynamic].map((spec) =>
    normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'),
  );
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));

describe('the layout of src/', () => {
  it('imports only downward between folders', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      for (const target of targets) {
        const to = folderOf(target);
        if (from === to) continue;
        const [fromRank, toRank] = [rankOf(from), rankOf(to)];
        if (toRank > fromRank || (toRank === fromRank && from !== to)) {
          upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
        }
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no circular imports between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' -> '),
        );
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? [])
        if (graph.has(target)) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('resolves every relative import to a file that exists', () => {
    const missing = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((t) => !graph.has(t) && !graph.has(t.replace(/\.ts$/, '.tsx')))
        // Data shipped beside the code (a trained model) is imported as JSON.
        .filter((t) => !(t.endsWith('.json') && existsSync(t)))
        .map((t) => `${relative(SRC, file)} -> ${t}`),
    );
    expect(missing).toEqual([]);
  });
});
