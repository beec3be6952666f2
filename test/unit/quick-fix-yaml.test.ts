/**
 * The quick-fix YAML emitter (src/core/rules/support/emit.ts): what it writes reads back, as the
 * API machinery reads manifests, as the very strings it was given; it quotes only what needs it; and
 * it lays lines out in the file's own indentation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest } from '../../src/core/parse/manifest';
import { at, entries, str } from '../../src/core/parse/yaml';
import { checkFile } from '../../src/core/rules/run';
import { mapLines, scalarReplacement, styleOf, yamlFlow, yamlScalar } from '../../src/core/rules/support/emit';
import { Workspace } from '../../src/core/workspace';

const TRICKY = [
  'web', 'app.kubernetes.io/name', '10.0.0.0/8', '1.2.3', '3-node', '-x', 'a:b', "it's", 'say "hi"', 'ü',
  '80', '0755', '0x1F', '1e3', '.5', '-1', 'true', 'False', 'yes', 'No', 'on', 'OFF', 'y', 'N', '~', 'null', '',
  ' lead', 'trail ', 'a: b', '#c', 'a #c', '*ref', '&anchor', '!tag', '%x', '@x', '`x', '[x]', '{x}', '? x', '- x', '|', '>',
  'line\nbreak', 'tab\there', '2001-12-14', '1:20', '.inf', '.NaN', '<<',
];

test('every key and value reads back, YAML 1.1 as manifests are read, as the same string', () => {
  const data = Object.fromEntries(TRICKY.map((v, i) => [`k${i}`, v]));
  const keyed = Object.fromEntries(TRICKY.filter(k => k !== '' && k !== '<<').map(k => [k, 'v']));
  const lines = mapLines({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data, binaryData: keyed }, 0, { step: 2, seqOffset: 2 });
  const m = parseManifest('f.yaml', lines.join('\n') + '\n');
  assert.deepEqual(m.problems, []);
  const o = m.objects[0]!;
  const read = (field: string) => Object.fromEntries(entries(o.doc, at(o.doc, o.node, field)).map(([k, , v]) => [k, str(o.doc, v)?.value]));
  assert.deepEqual(read('data'), data);
  assert.deepEqual(Object.keys(read('binaryData')), Object.keys(keyed));
});

test('quotes only what would read as something else', () => {
  for (const plain of ['web', 'app.kubernetes.io/name', '10.0.0.0/8', '1.2.3', '3-node', 'Ingress', 'kube-system']) {
    assert.equal(yamlScalar(plain), plain);
  }
  for (const quoted of ['80', 'on', 'y', 'yes', 'true', 'null', '~', '0755', '', ' lead', 'a: b', '#c']) {
    assert.equal(yamlScalar(quoted), JSON.stringify(quoted));
  }
  assert.equal(yamlScalar(8080), '8080');
  assert.equal(yamlFlow(['Ingress', 'Egress']), '[Ingress, Egress]');
  assert.equal(yamlFlow({ matchLabels: { 'kubernetes.io/metadata.name': 'on' } }), '{matchLabels: {kubernetes.io/metadata.name: "on"}}');
});

test('a replaced scalar keeps the quotes around it', () => {
  const text = `a: "x"\nb: 'x'\nc: x\n`;
  assert.equal(scalarReplacement(text, { start: 4, end: 5 }, 'say "80"'), 'say \\"80\\"');
  assert.equal(scalarReplacement(text, { start: 11, end: 12 }, "it's"), "it''s");
  assert.equal(scalarReplacement(text, { start: 17, end: 18 }, '80'), '"80"');
});

const value = { spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }], empty: {} } };

const layouts = [
  {
    name: 'a 4-space file with lists at their key\'s column', col: 0, style: { step: 4, seqOffset: 0 },
    text: 'kind: Service\nmetadata:\n    name: a\nspec:\n    ports:\n    - port: 1\n',
    out: 'spec:\n    selector:\n        app: web\n    ports:\n    - name: http\n      port: 80\n    empty: {}',
  },
  {
    name: 'a 2-space file with indented lists, written at a column', col: 4, style: { step: 2, seqOffset: 2 },
    text: 'kind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n    - port: 1\n',
    out: '    spec:\n      selector:\n        app: web\n      ports:\n        - name: http\n          port: 80\n      empty: {}',
  },
];

for (const l of layouts) {
  test(`layout: ${l.name}`, () => {
    const m = parseManifest('f.yaml', l.text);
    const s = styleOf(l.text, m.objects[0]!, m);
    assert.deepEqual(s, l.style);
    assert.equal(mapLines(value, l.col, s).join('\n'), l.out);
  });
}

test('layout: what an object does not show is read from the other documents of its file', () => {
  const text = 'kind: A\nmetadata:\n   name: a\n---\nkind: B\nmetadata:\n  name: b\nspec:\n  x:\n  - 1\n';
  const m = parseManifest('f.yaml', text);
  assert.deepEqual(styleOf(text, m.objects[0]!, m), { step: 3, seqOffset: 0 });
  assert.deepEqual(styleOf(text, m.objects[1]!, m), { step: 2, seqOffset: 0 });
  const bare = parseManifest('g.yaml', 'kind: A\n');
  assert.deepEqual(styleOf('kind: A\n', bare.objects[0]!, bare), { step: 2, seqOffset: 2 });
});

test('netpol-egress-not-isolated writes policyTypes in the file\'s list style', () => {
  const text = [
    'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata:', '  name: p', 'spec:', '  podSelector:',
    '    matchExpressions:', '      - {key: app, operator: Exists}', '  egress: []', '',
  ].join('\n');
  const ws = new Workspace();
  ws.set('f.yaml', text);
  const [finding] = checkFile(ws, 'f.yaml').filter(f => f.rule === 'netpol-egress-not-isolated');
  const e = finding!.fixes[0]!.edits[0]!;
  assert.equal(e.newText, '  policyTypes:\n    - Ingress\n    - Egress\n');
});
