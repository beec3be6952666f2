import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { filesUnder } from './corpus';

const SRC = path.resolve(__dirname, '../../src');
const imports = (file: string) =>
  [...fs.readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g)].map(m => m[1] ?? m[2]!);

test('src/core never imports vscode, the DOM side, or the adapter', () => {
  for (const f of filesUnder(path.join(SRC, 'core')).filter(f => f.endsWith('.ts'))) {
    for (const spec of imports(f)) {
      assert.notEqual(spec, 'vscode', `${path.relative(SRC, f)} imports vscode`);
      assert.ok(!/(^|\/)(vscode|webview|cli)\//.test(spec), `${path.relative(SRC, f)} imports ${spec}`);
    }
  }
});

test('only extension.ts and src/vscode import vscode', () => {
  for (const f of filesUnder(SRC).filter(f => f.endsWith('.ts'))) {
    const rel = path.relative(SRC, f);
    if (rel === 'extension.ts' || rel.startsWith('vscode/')) continue;
    assert.ok(!imports(f).includes('vscode'), `${rel} imports vscode`);
  }
});

test('the webview page imports only the shared protocol and its own modules', () => {
  const dir = path.join(SRC, 'webview');
  for (const f of filesUnder(dir).filter(f => f.endsWith('.ts'))) {
    for (const spec of imports(f)) {
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(f), spec);
      assert.ok(target.startsWith(dir) || target.startsWith(path.join(SRC, 'shared')), `${path.relative(SRC, f)} imports ${spec}`);
    }
  }
});

test('analyses (net, graph, parse) never import the rules built on them', () => {
  for (const dir of ['net', 'graph', 'parse']) {
    for (const f of filesUnder(path.join(SRC, 'core', dir)).filter(f => f.endsWith('.ts'))) {
      for (const spec of imports(f)) {
        assert.ok(!/(^|\/)rules\//.test(spec), `${path.relative(SRC, f)} imports ${spec}`);
      }
    }
  }
});

/** The source file a relative import specifier names (`./x` → x.ts or x/index.ts); undefined for packages. */
function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find(p => fs.existsSync(p));
}

const tsFiles = (dir: string) => filesUnder(dir).filter(f => f.endsWith('.ts'));

test('analyses (net, graph, parse) never import the hover layer or the provider registries', () => {
  // Analyses return facts; core/hover words them. Provider types come from the leaf core/providers.ts.
  const hover = path.join(SRC, 'core', 'hover') + path.sep;
  const registries = new Set([path.join(SRC, 'core', 'definition.ts')]);
  for (const dir of ['net', 'graph', 'parse']) {
    for (const f of tsFiles(path.join(SRC, 'core', dir))) {
      for (const spec of imports(f)) {
        const target = resolveImport(f, spec);
        if (!target) continue;
        assert.ok(!target.startsWith(hover) && !registries.has(target), `${path.relative(SRC, f)} imports ${spec}`);
      }
    }
  }
});

test('core/providers.ts is a leaf: it imports the cursor, spans and the workspace, no analysis or registry', () => {
  const text = fs.readFileSync(path.join(SRC, 'core', 'providers.ts'), 'utf8');
  const all = [...text.matchAll(/^import (type )?[^;]*? from '([^']+)';$/gm)].map(m => m[2]);
  assert.deepEqual(all.sort(), ['./cursor', './span', './workspace']);
});

test('the CLI imports no hover: it prints facts in its own words', () => {
  const hover = path.join(SRC, 'core', 'hover') + path.sep;
  for (const f of tsFiles(path.join(SRC, 'cli'))) {
    for (const spec of imports(f)) assert.ok(!resolveImport(f, spec)?.startsWith(hover), `${path.relative(SRC, f)} imports ${spec}`);
  }
});

/** Every cycle of the import graph of `files` (type-only imports included), as its strongly connected components. */
function importCycles(files: readonly string[]): string[][] {
  const graph = new Map(files.map(f => [f, imports(f).map(s => resolveImport(f, s)).filter((t): t is string => !!t)]));
  // Tarjan's strongly connected components, iteratively (no recursion limit on deep import chains).
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  for (const root of files) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: root, edge: 0 }];
    index.set(root, next); low.set(root, next++); stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = graph.get(top.node) ?? [];
      if (top.edge < edges.length) {
        const w = edges[top.edge++]!;
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next++); stack.push(w); onStack.add(w);
          work.push({ node: w, edge: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let w: string;
        do { w = stack.pop()!; onStack.delete(w); scc.push(w); } while (w !== top.node);
        if (scc.length > 1 || edges.includes(top.node)) cycles.push(scc);
      }
    }
  }
  return cycles;
}

test('the cycle detector finds a cycle, including one through a type-only import and an index.ts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
  try {
    fs.mkdirSync(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
    fs.writeFileSync(path.join(dir, 'b', 'index.ts'), "export * from './c';\n");
    fs.writeFileSync(path.join(dir, 'b', 'c.ts'), "import type { A } from '../a';\nexport const b = 1;\n");
    fs.writeFileSync(path.join(dir, 'd.ts'), "import { a } from './a';\n");
    const cycles = importCycles(tsFiles(dir)).map(c => c.map(f => path.relative(dir, f)).sort());
    assert.deepEqual(cycles, [['a.ts', path.join('b', 'c.ts'), path.join('b', 'index.ts')]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no import cycles in src/', () => {
  const cycles = importCycles(tsFiles(SRC));
  assert.deepEqual(cycles.map(c => c.map(f => path.relative(SRC, f)).sort().join(' <-> ')), []);
});

test('src/core/render is pure (no Node APIs); only src/render spawns processes, and neither the core nor the editor adapter bypasses it', () => {
  for (const f of filesUnder(path.join(SRC, 'core')).filter(f => f.endsWith('.ts'))) {
    for (const spec of imports(f)) {
      assert.ok(!spec.startsWith('node:') && !['fs', 'path', 'child_process', 'os', 'crypto'].includes(spec), `${path.relative(SRC, f)} imports ${spec}`);
      assert.ok(!/(^|\/)render\/(renderer|exec)$/.test(spec), `${path.relative(SRC, f)} imports the Node renderer ${spec}`);
    }
  }
  for (const f of filesUnder(SRC).filter(f => f.endsWith('.ts'))) {
    const rel = path.relative(SRC, f);
    if (rel.startsWith('render/')) continue;
    assert.ok(!imports(f).some(s => s === 'node:child_process' || s === 'child_process'), `${rel} spawns processes: go through src/render`);
  }
  for (const f of filesUnder(path.join(SRC, 'render')).filter(f => f.endsWith('.ts'))) {
    for (const spec of imports(f)) assert.ok(spec !== 'vscode' && !/(^|\/)(vscode|cli|webview)\//.test(spec), `${path.relative(SRC, f)} imports ${spec}`);
  }
});

const core = (...p: string[]) => path.join(SRC, 'core', ...p);
/** The source files `f` imports (relative imports only, resolved). */
const importedFiles = (f: string) => imports(f).map(s => resolveImport(f, s)).filter((t): t is string => !!t);

test('the typed views read YAML only: each kind\'s module imports the YAML accessors, kinds, spans and the shared protocol and selectors; only addresses.ts reads other views', () => {
  const dir = core('parse', 'views');
  const base = [core('parse', 'yaml.ts'), core('parse', 'kinds.ts'), core('parse', 'manifest.ts'), core('span.ts'), path.join(dir, 'protocol.ts'), path.join(dir, 'selectors.ts')];
  const files = tsFiles(dir);
  assert.ok(files.length >= 10, 'one module per kind under parse/views');
  for (const f of files) {
    const allowed = new Set([...base, ...(path.basename(f) === 'addresses.ts' ? [path.join(dir, 'policy.ts'), path.join(dir, 'service.ts')] : [])]);
    for (const t of importedFiles(f)) assert.ok(allowed.has(t), `${path.relative(SRC, f)} imports ${path.relative(SRC, t)}`);
  }
});

test('the DNS Service index sits below the record answers: it never imports records, resolution, references or checks', () => {
  const index = core('net', 'dns', 'service-index.ts');
  const above = ['records', 'resolve', 'references', 'checks', 'index'].map(n => core('net', 'dns', `${n}.ts`));
  for (const t of importedFiles(index)) assert.ok(!above.includes(t), `service-index.ts imports ${path.relative(SRC, t)}`);
  assert.ok(importedFiles(core('net', 'dns', 'records.ts')).includes(index), 'records.ts answers from the index');
});

test('one YAML emitter for quick fixes: only rules/support/emit.ts builds YAML with the yaml package', () => {
  for (const f of tsFiles(core('rules'))) {
    if (f === core('rules', 'support', 'emit.ts')) continue;
    const text = fs.readFileSync(f, 'utf8');
    assert.ok(!/import \{[^}]*(?<!type )\b(Document|stringify)\b[^}]*\} from 'yaml'/.test(text), `${path.relative(SRC, f)} writes YAML itself: use support/emit.ts`);
    assert.ok(!/function (yamlString|scalar|quote)\w*\(/.test(text), `${path.relative(SRC, f)} quotes YAML scalars itself: use support/emit.ts`);
  }
});

test('one peer name: only net/policy/peers.ts formats a workload as ns/name[Kind]', () => {
  for (const f of tsFiles(SRC)) {
    if (f === core('net', 'policy', 'peers.ts')) continue;
    const text = fs.readFileSync(f, 'utf8');
    assert.ok(!/\.namespace\}\/\$\{[\w.!?]+\}\[\$\{[\w.!?]+\.kind\}\]/.test(text), `${path.relative(SRC, f)} names a workload peer itself: use workloadId`);
  }
});

test('no namespace || \'default\' in the core: parsing gives every namespaced object its namespace', () => {
  for (const f of tsFiles(core())) {
    assert.ok(!/namespace\)? \|\| 'default'/.test(fs.readFileSync(f, 'utf8')), `${path.relative(SRC, f)} defaults a namespace that parsing already defaulted`);
  }
});

test('every src/core file over 400 lines says at its top why it is one file', () => {
  for (const f of tsFiles(core())) {
    const text = fs.readFileSync(f, 'utf8');
    if (text.split('\n').length <= 400) continue;
    const header = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? '';
    assert.match(header, /Over 400 lines: \S/, `${path.relative(SRC, f)} has ${text.split('\n').length} lines and no reason at its top`);
  }
});

test('ARCHITECTURE.md "Where to change what": every file a row names exists, and every name it gives is in one of the row\'s files', () => {
  const root = path.resolve(SRC, '..');
  const doc = fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');
  const table = doc.split('## Where to change what')[1]!.split('\n## ')[0]!;
  const rows = table.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| to add') && !l.startsWith('| ---'));
  assert.ok(rows.length >= 8, 'the table has its rows');
  for (const row of rows) {
    const tokens = [...row.matchAll(/`([^`]+)`/g)].map(m => m[1]!);
    const files: string[] = [];
    for (const t of tokens.filter(x => /\.(ts|md|json)$|\/$/.test(x) || x.includes('/<'))) {
      const concrete = t.replace(/<[^>]+>.*$/, '');
      const found = [concrete, `src/${concrete}`, `src/core/${concrete}`].map(p => path.join(root, p)).find(p => fs.existsSync(p));
      assert.ok(found, `${t} (in "${row.slice(0, 40)}…") does not exist`);
      if (!t.includes('<') && found.endsWith('.ts')) files.push(found);
    }
    for (const name of tokens.map(t => /^(\w+)(?:\(.*\))?$/.exec(t)?.[1]).filter((n): n is string => !!n && n.length > 3)) {
      assert.ok(files.some(f => new RegExp(`\\b${name}\\b`).test(fs.readFileSync(f, 'utf8'))), `${name} (in "${row.slice(0, 40)}…") is in none of ${files.map(f => path.relative(root, f)).join(', ')}`);
    }
  }
});
