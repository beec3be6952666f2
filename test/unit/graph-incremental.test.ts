// The diagram's graph after an edit is updated namespace by namespace (src/core/graph/incremental.ts):
// after every edit of a sequence it must equal the graph built whole from the same files, keep the
// objects of what the edit did not touch, and rebuild whole when the change reaches beyond one namespace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateWorkspace } from '../../bench/diagram-workspace';
import { buildGraph, fullGraph } from '../../src/core/graph/build';
import { buildInfo, warmGraphUpdate } from '../../src/core/graph/incremental';
import type { NetworkGraph } from '../../src/core/graph/model';
import { diffGraph, snapshot } from '../../src/shared/delta';
import { Workspace } from '../../src/core/workspace';
import { CORPUS, filesUnder } from './corpus';

const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
function assertSameGraph(actual: NetworkGraph, expected: NetworkGraph, what: string): void {
  assert.deepEqual(byId(actual.nodes), byId(expected.nodes), `${what}: nodes`);
  assert.deepEqual(byId(actual.edges), byId(expected.edges), `${what}: edges`);
  assert.deepEqual(actual.groups, expected.groups, `${what}: groups`);
  assert.deepEqual(actual.notes, expected.notes, `${what}: notes`);
}

const deployment = (ns: string, name: string, labels: string, env = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}, ${labels}}\n    spec:\n      containers: [{name: c, image: x${env}}]\n`;

test('synthetic workspace: each edit inside one namespace gives the graph built whole, rebuilding only that namespace', () => {
  const ws = generateWorkspace(120);
  const f = 'gen://team-3.yaml';
  const text = ws.get(f)!.manifest.text;
  buildGraph(ws);
  const edits: Array<[string, string, string[] | 'whole']> = [
    ['replicas', text.replace('replicas: 2', 'replicas: 5'), ['team-3']],
    ['a Deployment calling another namespace by DNS', `${text}---\n${deployment('team-3', 'aa-added', 'tier: t0', ', env: [{name: U, value: "http://svc-1.team-4:8001"}]')}`, ['team-3']],
    ['pod labels', text.replace('app: svc-1\n', 'app: svc-9\n'), ['team-3']],
    ['a policy opened to the namespace', text.replace(/podSelector:\n {12}matchLabels:\n {14}app: svc-2/, 'podSelector: {}'), ['team-3']],
    ['a Service removed', text.replace(/apiVersion: v1\nkind: Service\nmetadata:\n {2}name: svc-4\n[\s\S]*?---\n/, ''), ['team-3']],
    ['an ipBlock moved', text.replace('cidr: 10.3.0.0/16', 'cidr: 10.99.0.0/16'), 'whole'],
    ['namespace labels', text.replace('tier-group: g3', 'tier-group: g1'), 'whole'],
    ['back', text, 'whole'],
  ];
  for (const [what, next, expect] of edits) {
    const before = buildGraph(ws);
    ws.set(f, next);
    const g = buildGraph(ws);
    const info = buildInfo(ws)!;
    if (expect === 'whole') assert.equal(info.incremental, false, what);
    else assert.deepEqual([info.incremental, info.namespaces], [true, expect], what);
    assertSameGraph(g, fullGraph(ws).graph, what);
    if (expect !== 'whole') {
      // What the edit did not touch is the same object: the delta to the page holds only the edited namespace's part.
      const { delta } = diffGraph(snapshot(before), g);
      const nsOf = new Map([...before.nodes, ...g.nodes].map(n => [n.id, n.namespace]));
      for (const n of delta.nodes) assert.ok(n.namespace === 'team-3' || n.kind === 'external' || n.kind === 'ingress-controller', `${what}: ${n.id} sent`);
      for (const e of delta.edges) assert.ok([e.source, e.target].some(id => nsOf.get(id) === 'team-3'), `${what}: ${e.id} sent`);
    }
  }
});

test('warming the update path (the panel does it after a whole build) changes neither the graph nor the next updates', () => {
  const ws = generateWorkspace(120);
  const graph = buildGraph(ws);
  const info = buildInfo(ws);
  // It runs the update of the first namespace with workloads (team-0) on the same generation and drops it.
  warmGraphUpdate(ws);
  assert.equal(buildGraph(ws), graph, 'the generation\'s graph is the same object');
  assert.equal(buildInfo(ws), info, 'and was built the same way');
  assertSameGraph(graph, fullGraph(ws).graph, 'after warming');
  // Edits after it, in the warmed namespace and in another, one of them calling a Service by DNS.
  const edits: Array<[string, (t: string) => string]> = [
    ['gen://team-0.yaml', t => t.replace('replicas: 2', 'replicas: 7')],
    ['gen://team-3.yaml', t => `${t}---\n${deployment('team-3', 'aa-added', 'tier: t0', ', env: [{name: U, value: "http://svc-1.team-0:8001"}]')}`],
    ['gen://team-0.yaml', t => t.replace('app: svc-1\n', 'app: svc-9\n')],
  ];
  for (const [f, edit] of edits) {
    ws.set(f, edit(ws.get(f)!.manifest.text));
    const g = buildGraph(ws);
    assert.equal(buildInfo(ws)?.incremental, true, f);
    assertSameGraph(g, fullGraph(ws).graph, `${f} after warming`);
    warmGraphUpdate(ws);
    assert.equal(buildGraph(ws), g, `${f}: warming again keeps the graph`);
  }
  // Nothing to warm before the graph of the generation is known.
  const fresh = generateWorkspace(20);
  warmGraphUpdate(fresh);
  assert.equal(buildInfo(fresh), undefined);
});

test('a file deleted and one added, on the demo and on Online Boutique with its policies', () => {
  const examples = path.resolve(__dirname, '../../examples');
  const boutique = path.join(CORPUS, 'apps/microservices-demo');
  for (const dirs of [[examples], [path.join(boutique, 'release'), path.join(boutique, 'kustomize-network-policies')]]) {
    const ws = new Workspace();
    const files = dirs.flatMap(d => filesUnder(d)).filter(f => /\.ya?ml$/.test(f));
    for (const f of files) ws.set(f, fs.readFileSync(f, 'utf8'));
    buildGraph(ws);
    // A file of one namespace's workloads or policies, without ipBlocks (a deleted ipBlock recuts the address ranges: whole rebuild).
    const local = files.find(f => ws.get(f)!.manifest.objects.some(o => /^(NetworkPolicy|Deployment)$/.test(o.kind)) &&
      ws.get(f)!.manifest.objects.every(o => o.namespace) && !ws.get(f)!.manifest.text.includes('ipBlock'))!;
    const ns = ws.get(local)!.manifest.objects[0]!.namespace;
    ws.delete(local);
    assertSameGraph(buildGraph(ws), fullGraph(ws).graph, `${local} deleted`);
    assert.equal(buildInfo(ws)?.incremental, true, `${local} deleted: ${buildInfo(ws)?.reason}`);
    ws.set('added.yaml', deployment(ns, 'aa-added', 'tier: x'));
    assertSameGraph(buildGraph(ws), fullGraph(ws).graph, 'added');
    ws.set(local, fs.readFileSync(local, 'utf8'));
    assertSameGraph(buildGraph(ws), fullGraph(ws).graph, `${local} back`);
  }
});

// An edit that changes nothing the flows read of a namespace (a replica count, an image) keeps its
// flows; the DNS edges' verdicts are kept by what they read (the two workloads, their namespaces'
// policies), so an edit of either side's policies, labels or ports judges them again.
test('flows kept when an edit changes nothing they read; DNS verdicts judged again when their inputs change', () => {
  const caller = (replicas: number, labels: string, image = 'x') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: a\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, ${labels}}\n    spec:\n      containers: [{name: c, image: ${image}, env: [{name: DB, value: "db.b:5432"}]}]\n`;
  const db = (portName: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\n  namespace: b\nspec:\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: c, image: pg, ports: [{name: ${portName}, containerPort: 5432}]}]\n` +
    `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: db\n  namespace: b\nspec:\n  selector: {app: db}\n  ports: [{port: 5432, targetPort: pg}]\n`;
  const policy = (role: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: db-in\n  namespace: b\nspec:\n  podSelector: {matchLabels: {app: db}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}\n      podSelector: {matchLabels: {role: ${role}}}\n`;
  const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
  const ws = new Workspace();
  ws.set('ns.yaml', `${ns('a')}---\n${ns('b')}`);
  ws.set('a/web.yaml', caller(1, 'role: client'));
  ws.set('b/db.yaml', db('pg'));
  ws.set('b/policy.yaml', policy('client'));
  buildGraph(ws);
  const dnsStatus = (g: NetworkGraph) => g.edges.filter(e => e.kind === 'dns').map(e => e.status);
  const flowCount = (g: NetworkGraph) => g.edges.filter(e => e.kind === 'flow' && e.source === 'workload:a/web[Deployment]' && e.target === 'workload:b/db[Deployment]').length;
  const edits: Array<[string, string, string, string[], 'allowed' | 'blocked']> = [
    ['replicas', 'a/web.yaml', caller(3, 'role: client'), [], 'allowed'],
    ['image', 'a/web.yaml', caller(3, 'role: client', 'y'), [], 'allowed'],
    ['the policy admits another role', 'b/policy.yaml', policy('admin'), ['b'], 'blocked'],
    ['replicas again (the blocked verdict kept)', 'a/web.yaml', caller(4, 'role: client', 'y'), [], 'blocked'],
    ['the caller takes that role', 'a/web.yaml', caller(4, 'role: admin', 'y'), ['a'], 'allowed'],
    ['the named port renamed (the Service\'s targetPort no longer resolves)', 'b/db.yaml', db('postgres'), ['b'], 'allowed'],
    ['the port back', 'b/db.yaml', db('pg'), ['b'], 'allowed'],
    ['the policy back (the first verdict, for the first inputs)', 'b/policy.yaml', policy('client'), ['b'], 'blocked'],
    ['the caller back', 'a/web.yaml', caller(1, 'role: client'), ['a'], 'allowed'],
  ];
  for (const [what, file, text, flows, status] of edits) {
    const before = buildGraph(ws);
    ws.set(file, text);
    const g = buildGraph(ws);
    const info = buildInfo(ws)!;
    assert.equal(info.incremental, true, `${what}: ${info.reason}`);
    // Computed again, or taken from an earlier graph of the same inputs (the port back: the graph before it was renamed).
    assert.deepEqual([...info.flows!, ...info.restored!].sort(), flows, `${what}: namespaces whose flows were not kept`);
    if (what === 'the port back') assert.deepEqual(info.restored, ['b'], what);
    assertSameGraph(g, fullGraph(ws).graph, what);
    if (flows.length === 0) assert.equal(g.edges.filter(e => e.kind === 'flow').every(e => before.edges.includes(e)), true, `${what}: flows kept, object for object`);
    if (!what.startsWith('the named port renamed')) assert.deepEqual(dnsStatus(g), [status], what);
  }
  assert.ok(flowCount(buildGraph(ws)) > 0, 'the caller reaches the database');
});

// A workload gone (deleted, or unparsable for a keystroke) takes its flows with it and changes no
// other verdict; when the namespace's inputs come back to those of an earlier graph, its flows are
// that graph's. Both equal the whole build.
test('flows of a workload gone are dropped, and taken back from an earlier graph when the inputs return', () => {
  const ws = generateWorkspace(120);
  const f = 'gen://team-3.yaml';
  const text = ws.get(f)!.manifest.text;
  buildGraph(ws);
  const doc = /apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n {2}name: svc-2\n[\s\S]*?---\n/.exec(text)![0];
  const edits: Array<[string, string, { flows: string[]; restored: string[] }]> = [
    ['svc-2 deleted', text.replace(doc, ''), { flows: [], restored: [] }],
    ['svc-2 back', text, { flows: [], restored: ['team-3'] }],
    // The Deployment as far as it parses: gone or evaluated otherwise (then the flows are computed once).
    ['an image line unparsable for a keystroke', text.replace('image: example/svc-2:1', 'imag'), { flows: [], restored: [] }],
    ['and whole again', text, { flows: [], restored: ['team-3'] }],
    ['pod labels', text.replace('app: svc-1\n', 'app: svc-9\n'), { flows: ['team-3'], restored: [] }],
    ['back', text, { flows: [], restored: ['team-3'] }],
  ];
  for (const [what, next, expect] of edits) {
    ws.set(f, next);
    const g = buildGraph(ws);
    const info = buildInfo(ws)!;
    assert.equal(info.incremental, true, `${what}: ${info.reason}`);
    assertSameGraph(g, fullGraph(ws).graph, what);
    if (!what.startsWith('an image')) assert.deepEqual({ flows: info.flows, restored: info.restored }, expect, what);
    else assert.deepEqual(info.restored, [], what);
  }
});
