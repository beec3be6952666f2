import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest } from '../../src/core/parse/manifest';
import { networkPolicyView } from '../../src/core/parse/views/policy';
import { serviceView } from '../../src/core/parse/views/service';
import { workloadView } from '../../src/core/parse/views/workload';
import { at, spanOf } from '../../src/core/parse/yaml';

const slice = (text: string, s: { start: number; end: number } | undefined) => (s ? text.slice(s.start, s.end) : undefined);

const MULTI = `# a comment
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels:
        app: api
        tier: "backend"
    spec:
      containers:
        - name: api
          ports:
            - name: http
              containerPort: 8080
          env:
            - name: DB_HOST
              value: "db.shop.svc.cluster.local:5432"
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {team: web}}
          podSelector: {matchLabels: {app: web}}
        - ipBlock: {cidr: 10.0.0.0/8, except: ["10.1.0.0/16"]}
      ports: [{port: http}, {port: 9000, endPort: 9100, protocol: UDP}]
`;

test('a multi-document file yields each object with its effective namespace', () => {
  const m = parseManifest('multi.yaml', MULTI);
  assert.deepEqual(m.problems, []);
  assert.deepEqual(m.objects.map(o => `${o.kind} ${o.namespace}/${o.name}`), ['Namespace /shop', 'Deployment shop/api', 'NetworkPolicy shop/allow-web']);
});

test('a field deep in the second document maps back to its exact offsets', () => {
  const m = parseManifest('multi.yaml', MULTI);
  const w = workloadView(m.objects[1]!)!;
  const env = w.containers[0]!.env[0]!;
  // Quoted scalars report the span inside the quotes.
  assert.equal(slice(MULTI, env.value!.span), 'db.shop.svc.cluster.local:5432');
  assert.equal(env.value!.span.start, MULTI.indexOf('db.shop.svc'));
  const port = w.containers[0]!.ports[0]!;
  assert.equal(slice(MULTI, port.nameSpan), 'http');
  assert.equal(port.nameSpan!.start, MULTI.indexOf('http\n'));
  assert.equal(slice(MULTI, port.portSpan), '8080');
  const tier = w.podLabelEntries.find(e => e.key === 'tier')!;
  assert.equal(slice(MULTI, tier.valueSpan), 'backend');
  assert.equal(slice(MULTI, m.objects[1]!.nameSpan), 'api');
  assert.equal(m.lines.position(env.value!.span.start).line, MULTI.split('\n').findIndex(l => l.includes('db.shop.svc')));
});

test('NetworkPolicy peers and ports keep their spans in flow style', () => {
  const m = parseManifest('multi.yaml', MULTI);
  const p = networkPolicyView(m.objects[2]!)!;
  assert.equal(p.isolatesIngress, true);
  assert.equal(p.isolatesEgress, false);
  const rule = p.ingress![0]!;
  assert.equal(rule.peers!.length, 2);
  assert.deepEqual(rule.peers![0]!.namespaceSelector!.matchLabels, { team: 'web' });
  assert.deepEqual(rule.peers![0]!.podSelector!.matchLabels, { app: 'web' });
  const block = rule.peers![1]!.ipBlock!;
  assert.equal(slice(MULTI, block.cidr!.span), '10.0.0.0/8');
  assert.equal(slice(MULTI, block.except[0]!.span), '10.1.0.0/16');
  assert.deepEqual(rule.ports!.map(x => [x.protocol, x.port, x.endPort]), [['TCP', 'http', undefined], ['UDP', 9000, 9100]]);
  assert.equal(slice(MULTI, rule.ports![1]!.endPortSpan), '9100');
});

test('policyTypes defaulting: egress rules imply Egress only when policyTypes is absent', () => {
  const text = (types: string) => `kind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n${types}  egress: [{}]\n`;
  const noTypes = networkPolicyView(parseManifest('a', text('')).objects[0]!)!;
  assert.deepEqual([noTypes.isolatesIngress, noTypes.isolatesEgress], [true, true]);
  const ingressOnly = networkPolicyView(parseManifest('a', text('  policyTypes: [Ingress]\n')).objects[0]!)!;
  assert.deepEqual([ingressOnly.isolatesIngress, ingressOnly.isolatesEgress], [true, false]);
  const emptyEgress = networkPolicyView(parseManifest('a', 'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  egress: []\n').objects[0]!)!;
  assert.deepEqual([emptyEgress.isolatesIngress, emptyEgress.isolatesEgress], [true, false]);
});

test('List and *List kinds unwrap their items', () => {
  const text = JSON.stringify({
    apiVersion: 'v1', kind: 'PodList',
    items: [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b' } },
    ],
  }, null, 2);
  const m = parseManifest('pods.json', text);
  assert.deepEqual(m.objects.map(o => `${o.namespace}/${o.name}`), ['x/a', 'default/b']);
  assert.equal(slice(text, m.objects[1]!.nameSpan), 'b');
});

test('half-typed YAML keeps the objects that parse and reports the error at its range', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n';
  const m = parseManifest('half.yaml', text);
  assert.ok(m.objects.some(o => o.name === 'web'));
  assert.ok(m.problems.length > 0);
  for (const p of m.problems) {
    assert.equal(p.code, 'yaml-syntax');
    assert.ok(p.span.start >= text.indexOf('---'), 'the error is in the second document');
  }
});

test('a Helm template is skipped with one informational message at the first action', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "app.fullname" . }}\n';
  const m = parseManifest('templates/svc.yaml', text);
  assert.equal(m.skipped, 'helm-template');
  assert.equal(m.objects.length, 0);
  assert.equal(m.problems.length, 1);
  assert.equal(m.problems[0]!.severity, 'info');
  assert.equal(slice(text, m.problems[0]!.span), '{{ include "app.fullname" . }}');
});

test('Go-template text inside a string value is data, not a Helm template', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts}\ndata:\n  rule: "{{ $labels.instance }} is down"\n';
  const m = parseManifest('cm.yaml', text);
  assert.equal(m.skipped, undefined);
  assert.equal(m.objects.length, 1);
});

test('oversized and binary files are skipped with a message, never parsed', () => {
  const big = parseManifest('big.yaml', 'a: b\n'.repeat(100), { maxFileSize: 50 });
  assert.equal(big.skipped, 'file-too-large');
  assert.match(big.problems[0]!.message, /over the size limit/);
  const bin = parseManifest('bin.yaml', '\u0000\u0001\u0002garbage');
  assert.equal(bin.skipped, 'not-text');
});

test('an alias bomb is not expanded', () => {
  const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) lol.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${lol.map(l => '  ' + l).join('\n')}\n`;
  const t0 = Date.now();
  const m = parseManifest('bomb.yaml', text);
  assert.equal(m.objects.length, 1);
  assert.ok(Date.now() - t0 < 5000);
});

test('Service defaults: targetPort is port, protocol TCP, headless when clusterIP is None', () => {
  const text = 'kind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{name: pg, port: 5432}]\n';
  const s = serviceView(parseManifest('s.yaml', text).objects[0]!)!;
  assert.equal(s.headless, true);
  assert.deepEqual(s.ports.map(p => [p.name, p.port, p.targetPort, p.protocol]), [['pg', 5432, 5432, 'TCP']]);
  assert.deepEqual(s.selector.matchLabels, { app: 'db' });
});

test('at() resolves aliases one step at a time', () => {
  const m = parseManifest('a.yaml', 'kind: Deployment\nmetadata: {name: x, labels: &l {app: x}}\nspec:\n  template:\n    metadata: {labels: *l}\n');
  const o = m.objects[0]!;
  assert.deepEqual(workloadView(o)!.podLabels, { app: 'x' });
  assert.ok(spanOf(at(o.doc, o.node, 'metadata', 'labels')));
});
