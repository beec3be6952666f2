/** Text that cannot hold a Kubernetes object is not parsed at all (a keystroke in it costs a look, not a parse). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayHoldObjects, parseManifest } from '../../src/core/parse/manifest';

test('YAML without a kind key holds no objects and is not parsed', () => {
  const ci = 'name: build\non:\n  push: {branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n';
  assert.equal(mayHoldObjects(ci), false);
  // Not even its syntax error is ours to report: it is not a manifest.
  assert.deepEqual(parseManifest('ci.yaml', ci).problems, []);
  // An apiVersion alone is no object either: a Helm Chart.yaml with an action is not a template to report.
  const chart = 'apiVersion: v2\nname: chart\nversion: {{ .Values.v }}\n';
  assert.equal(mayHoldObjects(chart), false);
  assert.deepEqual(parseManifest('Chart.yaml', chart).problems, []);
});

test('an OpenAPI document in JSON, full of "kind" properties, is read natively and skipped', () => {
  const schema = { kind: { type: 'string' }, apiVersion: { type: 'string' } };
  const openapi = JSON.stringify({ swagger: '2.0', definitions: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`io.k8s.T${i}`, { properties: schema }])) });
  assert.equal(mayHoldObjects(openapi), false);
  assert.equal(parseManifest('openapi.json', openapi).objects.length, 0);
});

test('manifests in every form are still parsed', () => {
  const cases = [
    'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n',
    '---\n# comment\n  kind: ConfigMap\n',
    '{kind: Service, apiVersion: v1, metadata: {name: a}}\n',
    '{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Service", "metadata": {"name": "a"}}]}',
    '- kind: Service\n',
    "'kind': Service\n",
  ];
  for (const c of cases) assert.equal(mayHoldObjects(c), true, c);
  assert.equal(parseManifest('list.json', cases[3]!).objects.length, 1);
});

test('a half-typed manifest still gets its syntax error', () => {
  const m = parseManifest('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [a\n');
  assert.ok(m.problems.some(p => p.code === 'yaml-syntax'));
  const json = parseManifest('svc.json', '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": ');
  assert.ok(json.problems.some(p => p.code === 'yaml-syntax'));
});

test('JSON with comments (a VS Code launch.json) is read without them: no manifest, no syntax errors', () => {
  // A Rust debug configuration names a cargo target `"kind": "bin"`; its comments are not JSON.
  const launch = '{\n  // Use IntelliSense to learn about possible attributes.\n  "version": "0.2.0", /* lldb */\n  "configurations": [\n    {"type": "lldb", "name": "a // b", "cargo": {"args": ["test"], "filter": {"name": "svc", "kind": "lib"}}},\n  ]\n}\n';
  assert.equal(mayHoldObjects(launch), false);
  assert.deepEqual(parseManifest('.vscode/launch.json', launch).problems, []);
  // A commented object that is a manifest is still one (kubectl's JSON decoder would refuse it: reported).
  const commented = '{\n  // the API service\n  "apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}\n}\n';
  assert.equal(mayHoldObjects(commented), true);
});
