// The mock's layer rules, read from its sources: the neutral core imports nothing from the fault
// registry, and no module imports itself back through others (type-only imports count too).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Where the composition happens: the only modules outside faults/ that may import the registry. */
const COMPOSITION = new Set(['cli.ts', 'cli-options.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Relative imports of a module (static `import`/`export ... from`, type-only ones included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gms)].map(
    (match) => match[1]!,
  );
  const bare = [...text.matchAll(/^\s*import\s+'(\.[^']+)'/gm)].map((match) => match[1]!);
  return [...specifiers, ...bare].map((specifier) => resolve(dirname(file), specifier));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string): string => relative(SRC, file);

describe('mock layers', () => {
  test('the sources are found and their imports resolve', () => {
    assert.ok(files.length > 20, `${files.length} source files`);
    for (const [file, imports] of graph) {
      for (const target of imports) assert.ok(graph.has(target), `${name(file)} imports ${name(target)}`);
    }
  });

  test('the core imports nothing from the fault registry', () => {
    const offending: string[] = [];
    for (const [file, imports] of graph) {
      if (name(file).startsWith('faults/') || COMPOSITION.has(name(file))) continue;
      for (const target of imports)
        if (name(target).startsWith('faults/')) offending.push(`${name(file)} → ${name(target)}`);
    }
    assert.deepEqual(offending, []);
  });

  test('no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        circles.push([...path.slice(path.indexOf(file)), file].map(name).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(circles, []);
  });
});
