/**
 * A quoted value continued on lines indented no deeper than its key (Sock Shop's `complete-demo.yaml`):
 * go-yaml, which kubectl reads manifests with, has no indentation rule inside quotes (only document
 * markers end them), YAML 1.2 does. Such documents are analysed as go-yaml reads them: the value
 * folded as go-yaml folds it, every offset as written, one notice that YAML 1.2 tools reject it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMap, isScalar } from 'yaml';
import { parseManifest } from '../../src/core/parse/manifest';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';

// Sock Shop's shape: the closing `]'` at the key's indentation.
const job = [
  'apiVersion: batch/v1', 'kind: Job', 'metadata:', '  name: import', '  namespace: sock-shop', 'spec:', '  template:', '    metadata:',
  '      labels: {app: import}', '      annotations:',
  "        pod.beta.kubernetes.io/init-containers: '[", '          {\"name\": \"wait\", \"image\": \"tools\"}', "        ]'",
  '    spec:', '      containers:', '      - name: c', '        image: x', '        ports: [{name: http, containerPort: 80}]', '',
].join('\n');

test('the document is analysed: the value is go-yaml\'s folding, every later offset is the text\'s', () => {
  const m = parseManifest('job.yaml', job);
  assert.deepEqual(m.problems.map(p => [p.code, p.severity]), [['yaml-syntax', 'info']]);
  assert.match(m.problems[0]!.message, /kubectl's YAML reader \(go-yaml\) accepts that and it is read here as kubectl reads it, but YAML 1\.2 tools reject it/);
  assert.equal(m.objects.length, 1);
  const o = m.objects[0]!;
  assert.equal(o.kind, 'Job');
  const template = (o.node as { toJSON(): { spec: { template: { metadata: { annotations: Record<string, string> } } } } }).toJSON().spec.template;
  assert.deepEqual(template.metadata.annotations, { 'pod.beta.kubernetes.io/init-containers': '[ {"name": "wait", "image": "tools"} ]' });
  // Offsets after the scalar are those of the text as written.
  const spec = (o.node as { get(k: string, keep: true): unknown }).get('spec', true);
  assert.ok(isMap(spec));
  const image = job.indexOf('image: x') + 'image: '.length;
  let found = false;
  const walk = (n: unknown): void => {
    if (isScalar(n) && n.value === 'x' && n.range?.[0] === image) found = true;
    if (isMap(n)) for (const p of n.items) { walk(p.key); walk(p.value); }
    if (n && typeof n === 'object' && 'items' in n && Array.isArray((n as { items: unknown[] }).items) && !isMap(n)) for (const i of (n as { items: unknown[] }).items) walk(i);
  };
  walk(spec);
  assert.ok(found, 'the image scalar keeps its offset');
  // The quoted scalar's range is the text's, from its opening to its closing quote.
  const ws = new Workspace();
  ws.set('job.yaml', job);
  assert.equal(ws.workloads.length, 1, 'the Job is a workload of the workspace');
  assert.deepEqual(checkFile(ws, 'job.yaml').map(f => f.rule), ['yaml-syntax']);
});

test('go-yaml\'s folding: blanks around a break dropped, an empty line a line break, escapes and escaped breaks in double quotes, lines left of the key', () => {
  const text = [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', 'data:',
    "  a: 'one   ", 'two', '', "  three''s'", // a line at column 0, an empty line, an escaped quote
    '  b: "x\\', '  y\\tz', ' w"', // an escaped line break, then a plain one
    '  c: plain', '',
  ].join('\n');
  const m = parseManifest('cm.yaml', text);
  assert.equal(m.objects.length, 1, JSON.stringify(m.problems));
  assert.equal(m.problems.filter(p => p.code === 'yaml-syntax').length, 2);
  const data = (m.objects[0]!.node as { toJSON(): Record<string, unknown> }).toJSON().data as Record<string, string>;
  assert.deepEqual(data, { a: "one two\nthree's", b: 'xy\tz w', c: 'plain' });
});

test('several under-indented values in one document and across documents; a later edit reads them again', () => {
  const one = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  annotations:\n    a: 'x\n    y'\n    b: "p\n    q"\ndata: {k: v}\n`;
  const text = `${one('first')}---\n${one('second')}`;
  const m = parseManifest('two.yaml', text);
  assert.deepEqual(m.objects.map(o => [o.name, o.annotations]), [['first', { a: 'x y', b: 'p q' }], ['second', { a: 'x y', b: 'p q' }]]);
  assert.equal(m.problems.length, 4);
  // An edit of the second document re-parses it (the first is reused) and reads it the same way.
  const edited = text.replace("name: second", "name: third");
  const again = parseManifest('two.yaml', edited, { previous: m });
  assert.deepEqual(again.objects.map(o => [o.name, o.annotations]), [['first', { a: 'x y', b: 'p q' }], ['third', { a: 'x y', b: 'p q' }]]);
  assert.deepEqual(again.objects.map(o => o.span.start), parseManifest('two.yaml', edited).objects.map(o => o.span.start));
});

test('what go-yaml rejects stays an error: a quote left open, a document marker inside the quotes', () => {
  const open = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 'abc\n  b: 'def'\n";
  assert.ok(parseManifest('cm.yaml', open).problems.some(p => p.code === 'yaml-syntax' && p.severity === 'error'));
  const marker = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 'abc\n---\n  def'\n";
  const m = parseManifest('cm.yaml', marker);
  assert.ok(m.problems.some(p => p.code === 'yaml-syntax' && p.severity === 'error'));
  assert.ok(!m.problems.some(p => /read here as kubectl reads it/.test(p.message)));
});
