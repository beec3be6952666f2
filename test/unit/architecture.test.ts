import assert from 'node:assert/strict';
import fs from 'node:fs';
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
  if (!fs.existsSync(dir)) return;
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
