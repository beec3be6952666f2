/**
 * What the cluster adds and where objects land (issue #15), one fixture folder per case under
 * test/fixtures/cluster/ (each a workspace; the sources of every modelled label are cited in the
 * fixtures). A `# expect: <rule>` line marks the next line as carrying a finding of that rule; every
 * finding of every rule at its default severity must be marked, and every mark found.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadPaths } from '../../src/cli/load';
import { lookupFqdn } from '../../src/core/net/dns/records';
import { dnsReferences } from '../../src/core/net/dns/references';
import { resolveName } from '../../src/core/net/dns/resolve';
import { parseManifest } from '../../src/core/parse/manifest';
import { hoverAt } from '../../src/core/hover/index';
import { checkWorkspace } from '../../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { filesUnder } from './corpus';

const ROOT = path.resolve(__dirname, '../fixtures/cluster');

function load(dir: string, settings = DEFAULT_SETTINGS): Workspace {
  const ws = new Workspace(settings);
  for (const f of filesUnder(dir)) ws.set(path.relative(ROOT, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8'));
  return ws;
}

function expected(ws: Workspace): string[] {
  const out: string[] = [];
  for (const file of ws.fileNames) {
    const lines = ws.get(file)!.manifest.text.split('\n');
    const pending: string[] = [];
    lines.forEach((line, i) => {
      const m = /#\s*expect:\s*([a-z0-9-]+)/.exec(line);
      if (m) pending.push(m[1]!);
      else if (pending.length) out.push(...pending.splice(0).map(id => `${file}:${i + 1} ${id}`));
    });
  }
  return out.sort();
}

function actual(ws: Workspace): string[] {
  const out: string[] = [];
  for (const [file, findings] of checkWorkspace(ws)) {
    for (const f of findings) out.push(`${file}:${ws.get(file)!.manifest.lines.position(f.span.start).line + 1} ${f.rule}`);
  }
  return out.sort();
}

for (const name of fs.readdirSync(ROOT).sort()) {
  test(`cluster fixture ${name}: exactly the marked findings`, () => {
    const ws = load(path.join(ROOT, name));
    assert.ok(ws.objects.length > 0);
    assert.deepEqual(actual(ws), expected(ws));
  });
}

test('operator pods: labels and ports from the operators\' code', () => {
  const ws = load(path.join(ROOT, 'operator-prometheus'));
  const prom = ws.workloads.find(w => w.kind === 'Prometheus')!;
  assert.deepEqual(prom.podLabels, {
    team: 'observability', 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/managed-by': 'prometheus-operator',
    'app.kubernetes.io/instance': 'main', 'operator.prometheus.io/name': 'main', prometheus: 'main',
  });
  assert.equal(prom.replicas, 2);
  assert.match(prom.madeBy!, /Prometheus Operator/);
  const am = ws.workloads.find(w => w.kind === 'Alertmanager')!;
  assert.deepEqual(am.containers.flatMap(c => c.ports).map(p => `${p.name} ${p.containerPort}/${p.protocol}`),
    ['web 9093/TCP', 'mesh-tcp 9094/TCP', 'mesh-udp 9094/UDP', 'reloader-web 8080/TCP']);
});

test('operators\' Services resolve to the pods they select: CloudNativePG -rw/-ro/-r, Strimzi bootstrap, prometheus-operated', () => {
  const ws = load(path.join(ROOT, 'operator-cnpg-strimzi'));
  const rw = resolveName(ws, 'pg-rw.data.svc', 'data');
  assert.equal(rw.found, true);
  assert.deepEqual(rw.workloads.map(w => `${w.kind} ${w.object.name}`), ['Cluster pg']);
  assert.match(rw.note!, /made by the operator of Cluster pg/);
  assert.equal(resolveName(ws, 'pg-ro', 'data').found, true);
  assert.equal(resolveName(ws, 'pg-r.data', 'apps').found, true);
  assert.equal(resolveName(ws, 'pg-rx', 'data').found, false);
  const kafka = resolveName(ws, 'events-kafka-bootstrap', 'data');
  assert.equal(kafka.found, true);
  assert.equal(kafka.service!.ports[0]!.port, 9092);
  assert.equal(lookupFqdn(ws, 'events-kafka-brokers.data.svc.cluster.local').found, true, 'headless, over the Kafka pods');
  const mon = load(path.join(ROOT, 'operator-prometheus'));
  const operated = lookupFqdn(mon, '_web._tcp.alertmanager-operated.monitoring.svc.cluster.local');
  assert.equal(operated.found, true);
  assert.deepEqual(operated.workloads.map(w => w.kind), ['Alertmanager']);
  assert.equal(lookupFqdn(mon, 'prometheus-operated.monitoring.svc.cluster.local').workloads[0]!.kind, 'Prometheus');
});

test('a Service over an operator-made headless set resolves; over an unknown custom resource it is not NXDOMAIN', () => {
  const ws = new Workspace();
  ws.set('a.yaml', [
    'apiVersion: widgets.example.com/v1', 'kind: WidgetCluster', 'metadata: {name: w, namespace: t}', '---',
    'apiVersion: v1', 'kind: Service', 'metadata: {name: w-headless, namespace: t}',
    'spec: {clusterIP: None, selector: {app: widget}, ports: [{name: grpc, port: 9000}]}', '---',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: other, namespace: t}',
    'spec: {selector: {matchLabels: {app: other}}, template: {metadata: {labels: {app: other}}, spec: {containers: [{name: o, image: o}]}}}',
  ].join('\n'));
  const a = lookupFqdn(ws, 'w-headless.t.svc.cluster.local');
  assert.equal(a.found, true);
  assert.match(a.note!, /WidgetCluster w .* may make its pods/);
});

test('built-in Services: kubernetes and kube-dns resolve unless the workspace defines its own', () => {
  const ws = new Workspace();
  ws.set('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: apps}\n');
  const api = resolveName(ws, 'kubernetes.default.svc', 'apps');
  assert.equal(api.found, true);
  assert.match(api.note!, /built into every cluster \(the API server\)/);
  assert.equal(resolveName(ws, 'kube-dns.kube-system', 'apps').found, true);
  assert.equal(lookupFqdn(ws, '_dns._udp.kube-dns.kube-system.svc.cluster.local').found, true);
  assert.equal(resolveName(ws, 'kubernetes', 'apps').found, false);
  const t = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n  - name: c\n    image: c\n    env: [{name: API, value: "https://kubernetes.default.svc:443"}]\n';
  ws.set('p.yaml', t);
  const hover = hoverAt(ws, 'p.yaml', t.indexOf('kubernetes.default') + 3)!.markdown;
  assert.match(hover, /Service `default\/kubernetes` \(ClusterIP\) — _built in_/);
  assert.match(hover, /built into every cluster \\\(the API server\\\)/);
  ws.set('own.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: kubernetes, namespace: default}\nspec: {clusterIP: None, selector: {app: nothing}}\n');
  assert.equal(resolveName(ws, 'kubernetes.default.svc', 'apps').found, false, 'the workspace\'s own Service wins');
});

test('namespace origins: written, kustomization, Helm stream, Argo CD, setting; ambiguous stays defaulted', () => {
  const ns = (ws: Workspace, file: string) => ws.get(file)!.manifest.objects.map(o => `${o.namespace}${o.namespaceDefaulted ? '?' : ''}`);
  const k = load(path.join(ROOT, 'kustomize-namespace'));
  assert.deepEqual(ns(k, 'kustomize-namespace/app/deployment.yaml'), ['shop']);
  assert.match(k.get('kustomize-namespace/app/deployment.yaml')!.manifest.objects[0]!.namespaceOrigin!, /kustomization\.yaml/);
  const amb = load(path.join(ROOT, 'kustomize-ambiguous'));
  assert.deepEqual(ns(amb, 'kustomize-ambiguous/base/deployment.yaml'), ['default?']);
  assert.deepEqual(ns(amb, 'kustomize-ambiguous/overlays/dev/cache.yaml'), ['dev']);
  assert.deepEqual(ns(load(path.join(ROOT, 'helm-stream')), 'helm-stream/rendered.yaml'), ['shop', 'shop', 'shop']);
  assert.deepEqual(ns(load(path.join(ROOT, 'argo-application')), 'argo-application/deploy/payments/app.yaml'), ['payments', 'ledger']);
  const set = load(path.join(ROOT, 'defaulted-namespace'), { ...DEFAULT_SETTINGS, defaultNamespace: 'monitoring' });
  assert.deepEqual(ns(set, 'defaulted-namespace/policies/policy.yaml'), ['monitoring']);
  // Settings changes re-place objects; so does adding or removing a kustomization.
  set.updateSettings(DEFAULT_SETTINGS);
  assert.deepEqual(ns(set, 'defaulted-namespace/policies/policy.yaml'), ['default?']);
  set.set('defaulted-namespace/policies/kustomization.yaml', 'namespace: ops\nresources: [policy.yaml]\n');
  assert.deepEqual(ns(set, 'defaulted-namespace/policies/policy.yaml'), ['ops']);
  set.delete('defaulted-namespace/policies/kustomization.yaml');
  assert.deepEqual(ns(set, 'defaulted-namespace/policies/policy.yaml'), ['default?']);
});

test('a Helm stream whose objects name two namespaces gives none to the others', () => {
  const text = '# Source: c/templates/a.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: one}\n---\n'
    + '# Source: c/templates/b.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: two}\n---\n'
    + '# Source: c/templates/c.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: c}\n';
  assert.deepEqual(parseManifest('s.yaml', text).objects.map(o => o.namespaceDefaulted), [false, false, true]);
});

test('DNS references: only what programs look up', () => {
  const ws = load(path.join(ROOT, 'dns-not-lookups'));
  assert.deepEqual(dnsReferences(ws).map(r => r.host), ['policy.mesh.svc.cluster.local.']);
});

test('the CLI: --namespace places objects, --max-file-size skips, and resolve says which files it skipped', async () => {
  const { main: run } = await import('../../src/cli/main');
  const lines: string[] = [];
  const errs: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => errs.push(l) };
  const dir = path.join(ROOT, 'defaulted-namespace', 'policies');
  assert.equal(await run(['objects', dir, '-n', 'monitoring'], io), 0);
  assert.match(lines.join('\n'), /NetworkPolicy monitoring\/grafana/);
  lines.length = 0;
  assert.equal(await run(['resolve', 'kubernetes.default.svc', '--from', 'x', dir, '--max-file-size', '0.1K'], io), 0);
  assert.match(errs.join('\n'), /1 file not analysed:\n.*policy\.yaml: File not analysed: 1 KB is over the size limit of 1 KB/);
  assert.equal(await run(['check', dir, '--max-file-size', 'lots'], io), 2);
  assert.equal(await run(['check', dir, '-n', 'Not_A_Namespace'], io), 2);
  const loaded = loadPaths([dir], { ...DEFAULT_SETTINGS, maxFileSize: 100 });
  assert.equal(loaded.skipped.length, 1);
});
