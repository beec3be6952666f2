/**
 * Manifests read as Kubernetes reads them (issue #14): YAML 1.1 as the API machinery parses it,
 * kinds by API group, null fields as absent, what the API server rejects left out of force (and
 * reported at its range), named ports as FindPort resolves them, pods owned by something other
 * than a workload controller, and the IPv6 node mask. Each case: YAML in, Kubernetes' answer out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGraph } from '../../src/core/graph/build';
import { hoverAt } from '../../src/core/hover/index';
import { addressPlan } from '../../src/core/net/ipam';
import { allowed, peersOf, type PeerRef } from '../../src/core/net/policy/index';
import { blocks } from '../../src/core/net/policy/reach';
import { parseManifest } from '../../src/core/parse/manifest';
import { rejections } from '../../src/core/parse/validate';
import { findNamedPort, workloadView } from '../../src/core/parse/views/workload';
import { checkFile } from '../../src/core/rules/run';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

function workspace(files: Record<string, string>): Workspace {
  const ws = new Workspace(DEFAULT_SETTINGS);
  for (const [f, t] of Object.entries(files)) ws.set(f, t);
  return ws;
}

function peer(ws: Workspace, id: string): PeerRef {
  const p = peersOf(ws).find(x => x.id === id);
  assert.ok(p, `no peer ${id} among ${peersOf(ws).map(x => x.id).join(', ')}`);
  return p;
}

const conns = (ws: Workspace, src: string, dst: string) => allowed(ws, peer(ws, src), peer(ws, dst)).toString();

/** `file:line rule` of every finding, with the finding's severity. */
function findings(ws: Workspace, file: string): string[] {
  const f = ws.get(file)!;
  return checkFile(ws, file).map(x => `${f.manifest.lines.position(x.span.start).line + 1} ${x.rule} ${x.severity} ${f.manifest.text.slice(x.span.start, x.span.end)}`);
}

const dep = (name: string, ns: string, labels: string, extra = '') => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata:
      labels: {${labels}}
    spec:
      containers:
      - name: c
        image: x
${extra}`;

/** A networking.k8s.io/v1 NetworkPolicy in namespace x; `spec` is the indented body of its spec. */
const netpol = (name: string, spec: string) => `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: x}
spec:
${spec}`;

/** Two Deployments of namespace x, app=a and app=b. */
const PODS_AB = dep('a', 'x', 'app: a') + dep('b', 'x', 'app: b');

test('YAML 1.1: merge keys give the merged labels, a later key overriding; yes/no/on/off are booleans; 0755 is octal', () => {
  const ws = workspace({
    'a.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: &common
    app: web
    tier: front
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels:
        <<: *common
        tier: back
    spec:
      hostNetwork: yes
      containers:
      - name: c
        image: x
        ports:
        - containerPort: 0755
`,
  });
  const w = ws.workloads[0]!;
  assert.deepEqual(w.podLabels, { app: 'web', tier: 'back' });
  // go-yaml v2 assigns keys in order: a merge after a key overrides it; in a merged list the first map wins.
  const order = workspace({ 'o.yaml': 'a: &a {p: "1", q: "1"}\nb: &b {p: "2", r: "2"}\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    q: "0"\n    <<: [*a, *b]\n    y: "1"\n' });
  // A `y` key is the boolean true to YAML 1.1, so its JSON key is "true".
  assert.deepEqual(order.workloads[0]!.podLabels, { q: '1', p: '1', r: '2', true: '1' });
  assert.equal(w.hostNetwork, true);
  assert.equal(w.containers[0]!.ports[0]!.containerPort, 493);
  // A label value YAML 1.1 reads as a boolean is not a string: the API server cannot decode it.
  const rejected = workspace({ 'b.yaml': dep('web', 'shop', 'app: web, enabled: on') });
  assert.equal(rejected.workloads.length, 0);
  assert.deepEqual(findings(rejected, 'b.yaml'), ['9 manifest-rejected error on']);
});

test('a byte-order mark is dropped: columns on line 1 are those an editor shows', () => {
  const text = 'kind: Pod\napiVersion: v1\nmetadata: {name: p}\n';
  const plain = parseManifest('a.yaml', text);
  const bom = parseManifest('a.yaml', `\uFEFF${text}`);
  assert.equal(bom.text, text);
  assert.deepEqual(bom.objects[0]!.kindSpan, plain.objects[0]!.kindSpan);
  assert.deepEqual(bom.lines.position(bom.objects[0]!.kindSpan.start), { line: 0, character: 6 });
});

test('kinds by API group: a Calico NetworkPolicy next to a Kubernetes one is not evaluated as one', () => {
  const k8s = netpol('allow-a', `  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: a}}}]
`);
  const calico = `---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec:
  selector: all()
  types: [Ingress, Egress]
`;
  const ws = workspace({ 'a.yaml': PODS_AB + k8s + calico });
  assert.deepEqual(ws.policies.map(p => p.object.name), ['allow-a']);
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.equal(conns(ws, 'x/b[Deployment]', 'x/a[Deployment]'), 'All Connections');
  // A Knative Service is no Service of the core group.
  const knative = workspace({ 'k.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec: {template: {spec: {containers: [{image: x}]}}}\n' });
  assert.equal(knative.services.length, 0);
  assert.deepEqual(findings(knative, 'k.yaml'), []);
});

test('null is absent: namespaceSelector with no value beside a podSelector means the policy namespace', () => {
  const pods = dep('a', 'x', 'app: a') + dep('a', 'other', 'app: a') + dep('b', 'x', 'app: b');
  const ws = workspace({
    'a.yaml': `${pods}${netpol('p', `  podSelector: {matchLabels: {app: b}}
  ingress:
  - from:
    - namespaceSelector:
      podSelector: {matchLabels: {app: a}}
`)}`,
  });
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.equal(conns(ws, 'other/a[Deployment]', 'x/b[Deployment]'), 'No Connections');
  assert.deepEqual(findings(ws, 'a.yaml'), []);
});

test('null is absent: a podSelector with no value alone is an empty peer, rejected, so not in force', () => {
  const ws = workspace({
    'a.yaml': `${PODS_AB}${netpol('p', `  podSelector: {matchLabels: {app: b}}
  ingress:
  - from:
    - podSelector:
`)}`,
  });
  assert.equal(ws.policies.length, 0);
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.deepEqual(findings(ws, 'a.yaml'), ['35 netpol-empty-peer error podSelector:']);
});

test('a rejected policy beside a valid one: the valid one blocks, the rejected one neither blocks nor hides', () => {
  const ws = workspace({
    'a.yaml': `${PODS_AB}${netpol('only-80', `  podSelector: {matchLabels: {app: b}}
  ingress:
  - ports: [{port: 80}]
`)}${netpol('bad', `  podSelector: {matchLabels: {app: $backendservice}}
  ingress:
  - ports: [{port: 8080}]
`)}`,
  });
  assert.deepEqual(ws.policies.map(p => p.object.name), ['only-80']);
  const [a, b] = ws.workloads;
  assert.deepEqual(blocks(ws, a!, b!, 'TCP', 8080).map(x => `${x.direction} ${x.policies.map(p => p.object.name)}`), ['ingress only-80']);
  assert.deepEqual(blocks(ws, a!, b!, 'TCP', 80), []);
  assert.deepEqual(findings(ws, 'a.yaml').filter(f => f.includes('manifest-rejected')), ['40 manifest-rejected error $backendservice']);
});

test('endPort below port: rejected at the endPort, at error severity, and not in force', () => {
  const ws = workspace({
    'a.yaml': `${PODS_AB}${netpol('p', `  podSelector: {}
  ingress:
  - ports:
    - port: 10
      endPort: 1
`)}`,
  });
  assert.equal(ws.policies.length, 0);
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.deepEqual(findings(ws, 'a.yaml'), ['36 netpol-endport-invalid error 1']);
});

test('label keys and values as apimachinery validates them', () => {
  const ws = workspace({ 'a.yaml': dep('a', 'x', '"app@b": a, "example.com/ok": "v-1.2_3", "Bad_Prefix/x": y2, long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa') });
  const codes = rejections(ws.get('a.yaml')!.manifest.objects[0]!).map(r => r.code);
  assert.deepEqual(codes, ['label-key', 'label-key', 'label-value']);
});

test('named ports as FindPort: containers, then native sidecars; a plain init container serves nothing', () => {
  const sidecar = `      initContainers:
      - name: proxy
        image: p
        restartPolicy: Always
        ports: [{name: metrics, containerPort: 9090}]
      - name: setup
        image: s
        ports: [{name: setup, containerPort: 7000}]
`;
  const ws = workspace({
    'a.yaml': `${dep('a', 'x', 'app: a')}${dep('b', 'x', 'app: b', sidecar)}${netpol('p', `  podSelector: {matchLabels: {app: b}}
  ingress:
  - ports: [{port: metrics}, {port: setup}]
`)}`,
  });
  const b = ws.workloads.find(w => w.object.name === 'b')!;
  assert.equal(findNamedPort(b, 'metrics', 'TCP')?.containerPort, 9090);
  assert.equal(findNamedPort(b, 'setup', 'TCP'), undefined);
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'TCP 9090');
});

test('a mirror pod owned by its Node is a peer of its own; a ReplicaSet pod is its owner', () => {
  const pod = (name: string, ownerKind: string, owner: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: kube-system
  ownerReferences: [{apiVersion: v1, kind: ${ownerKind}, name: ${owner}, controller: true, uid: u}]
spec: {containers: [{name: c, image: x}]}
`;
  const ws = workspace({ 'a.yaml': pod('etcd-node1', 'Node', 'node1') + pod('dns-5d8-abc', 'ReplicaSet', 'dns-5d8') });
  assert.deepEqual(peersOf(ws).map(p => p.id), ['kube-system/dns-5d8[ReplicaSet]', 'kube-system/etcd-node1[Pod]']);
  assert.equal(workloadView(ws.objects[0]!)?.kind, 'Pod');
});

test('IPv6 single-stack: node-cidr-mask-size applies to the IPv6 pod network', () => {
  const kubeadm = (subnet: string) => `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking: {podSubnet: "${subnet}"}
controllerManager:
  extraArgs: {node-cidr-mask-size: "80"}
`;
  const v6 = addressPlan(workspace({ 'k.yaml': kubeadm('fd00:10::/56') })).nodeMaskSize;
  assert.equal(v6[6].size, 80);
  assert.equal(v6[4].size, 24);
  const v4 = addressPlan(workspace({ 'k.yaml': kubeadm('10.244.0.0/16').replace('"80"', '"26"') })).nodeMaskSize;
  assert.equal(v4[4].size, 26);
  assert.equal(v4[6].size, 64);
});

test('host-network pods: no verdict from rules, reach or hovers, and the diagram says why; the report keeps np-guard\'s reading', () => {
  const host = dep('b', 'x', 'app: b').replace('      containers:', '      hostNetwork: true\n      containers:');
  const text = `${dep('a', 'x', 'app: a')}${host}${netpol('deny', '  podSelector: {matchLabels: {app: b}}\n  ingress: []\n')}`;
  const ws = workspace({ 'a.yaml': text });
  const [a, b] = ws.workloads;
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'No Connections');
  assert.deepEqual(blocks(ws, a!, b!, 'TCP', 80), []);
  const hover = hoverAt(ws, 'a.yaml', text.indexOf('labels: {app: b}') + 'labels: {a'.length)?.markdown ?? '';
  assert.match(hover, /hostNetwork: true/);
  const node = buildGraph(ws).nodes.find(n => n.id.includes('b[Deployment]'));
  assert.ok(node?.details.some(d => d.startsWith('host network')), JSON.stringify(node?.details));
});

test('a rejected policy: its hover says it is not in force', () => {
  const text = `${PODS_AB}${netpol('p', '  podSelector: {matchLabels: {app: b}}\n  ingress:\n  - ports: [{port: 10, endPort: 1}]\n')}`;
  const ws = workspace({ 'a.yaml': text });
  const hover = hoverAt(ws, 'a.yaml', text.indexOf('app: b}}', text.indexOf('kind: NetworkPolicy')) + 1)?.markdown ?? '';
  assert.match(hover, /rejected by the API server, so it is not in force/);
  assert.match(hover, /endPort 1 is below port 10/);
});

test('a Service the API server rejects is not in force: it selects nothing and names no DNS record', () => {
  const svc = (target: string) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: x}\nspec:\n  selector: {app: a}\n  ports: [{port: 80, targetPort: ${target}}]\n`;
  const bad = workspace({ 'a.yaml': PODS_AB + svc('"8080"') });
  assert.deepEqual(bad.services, []);
  assert.deepEqual(findings(bad, 'a.yaml').filter(f => f.includes('manifest-rejected')), ['33 manifest-rejected error 8080']);
  const good = workspace({ 'a.yaml': PODS_AB + svc('8080') });
  assert.deepEqual(good.services.map(s => good.workloadsOfService(s).map(w => w.object.name)), [['a']]);
});
