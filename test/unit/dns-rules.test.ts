import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';

const FIXTURES = path.resolve(__dirname, '../fixtures/rules');

function findings(file: string, text: string, id: string) {
  const ws = new Workspace();
  ws.set(file, text);
  const all = checkFile(ws, file);
  return { ws, found: all.filter(f => f.rule === id) };
}

test('dns-short-name-other-namespace offers the rewrite to name.ns', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'dns-short-name-other-namespace', 'fires.yaml'), 'utf8');
  const { found } = findings('f.yaml', text, 'dns-short-name-other-namespace');
  const fix = found[0]!.fixes[0]!;
  assert.equal(fix.preferred, true);
  const e = fix.edits[0]!;
  assert.equal(text.slice(e.span.start, e.span.end), 'cache');
  assert.equal(e.newText, 'cache.infra');
  assert.match(found[0]!.message, /cache is not a Service in namespace shop; it exists in namespace infra/);
});

test('dns-port-not-exposed points at the Service ports', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'dns-port-not-exposed', 'fires.yaml'), 'utf8');
  const { found } = findings('f.yaml', text, 'dns-port-not-exposed');
  assert.match(found[0]!.message, /^port 8080 is not exposed by Service shop\/api \(ports: 80\/TCP\)$/);
  const rel = found[0]!.related[0]!;
  assert.match(text.slice(rel.span.start, rel.span.end), /name: http\s+port: 80/);
});

function applyEdit(text: string, e: { span: { start: number; end: number }; newText: string }): string {
  return text.slice(0, e.span.start) + e.newText + text.slice(e.span.end);
}

test('statefulset-service-missing: the quick fix inserts a headless Service that silences the rule', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'statefulset-service-missing', 'fires.yaml'), 'utf8');
  const { found } = findings('f.yaml', text, 'statefulset-service-missing');
  const missing = found.find(f => f.message.includes('kafka-headless'))!;
  assert.match(missing.message, /serviceName kafka-headless names no Service in namespace data/);
  const notHeadless = found.find(f => f.message.includes('zk'))!;
  assert.match(notHeadless.message, /not headless/);
  assert.equal(notHeadless.fixes.length, 0);
  const fixed = applyEdit(text, missing.fixes[0]!.edits[0]!);
  const svc = parseYaml(fixed.split(/^---$/m)[1]!);
  assert.deepEqual(svc, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'kafka-headless', namespace: 'data' },
    spec: { clusterIP: 'None', selector: { app: 'kafka' }, ports: [{ name: 'broker', port: 9092 }, { name: 'port-9093', port: 9093 }] },
  });
  // Same indentation style as the StatefulSet: two spaces, sequences indented under their key.
  assert.match(fixed, /\n {2}ports:\n {4}- name: broker\n {6}port: 9092\n/);
  const after = findings('f.yaml', fixed, 'statefulset-service-missing').found;
  assert.deepEqual(after.map(f => f.message.includes('kafka-headless')), [false]);
});

test('statefulset-service-missing: the fix follows a 4-space, non-indented-sequence file and ends the file cleanly', () => {
  const text = [
    'apiVersion: apps/v1', 'kind: StatefulSet', 'metadata:', '    name: web', 'spec:', '    serviceName: web',
    '    selector:', '        matchLabels:', '            app: web', '    template:', '        metadata:',
    '            labels:', '                app: web', '        spec:', '            containers:',
    '            - name: web', '              image: nginx', '              ports:', '              - containerPort: 80',
  ].join('\n');
  const { found } = findings('f.yaml', text, 'statefulset-service-missing');
  const fixed = applyEdit(text, found[0]!.fixes[0]!.edits[0]!);
  assert.match(fixed, /\n---\napiVersion: v1\nkind: Service\nmetadata:\n {4}name: web\nspec:\n {4}clusterIP: None\n {4}selector:\n {8}app: web\n {4}ports:\n {4}- port: 80\n$/);
  assert.equal(findings('f.yaml', fixed, 'statefulset-service-missing').found.length, 0);
});

test('a name defined in many namespaces: messages, fixes and related locations name the first three, then how many more', () => {
  const svc = (ns: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: ${ns}}\nspec: {ports: [{port: 5432}]}\n`;
  const caller = [
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: shop}\ndata:',
    '  DB: "db:5432"',
    '  DB_FQDN: "db.shop.svc.cluster.local:5432"',
  ].join('\n');
  const text = [...['n1', 'n2', 'n3', 'n4', 'n5'].map(svc), caller].join('---\n');
  const short = findings('f.yaml', text, 'dns-short-name-other-namespace').found;
  assert.equal(short.length, 1);
  assert.equal(short[0]!.message, 'db is not a Service in namespace shop; it exists in namespace n1, n2, n3 and 2 more (write db.n1 or db.n2 or db.n3, ...)');
  assert.equal(short[0]!.fixes.length, 3);
  assert.ok(short[0]!.fixes.every(f => !f.preferred));
  assert.equal(short[0]!.related.length, 3);
  const fqdn = findings('f.yaml', text, 'dns-name-unresolved').found;
  assert.equal(fqdn.length, 1);
  assert.match(fqdn[0]!.message, /; a Service db exists in namespace n1 \(write db\.n1\), n2 \(write db\.n2\), n3 \(write db\.n3\) and 2 more$/);
});
