/**
 * Primary user-defined networks (OVN-Kubernetes UserDefinedNetwork / ClusterUserDefinedNetwork), as
 * np-guard reads them: pods on different primary networks never connect, whatever the policies say;
 * external addresses and the ingress controller reach every network. The connectivity list, the
 * explanation objects, the diff and a pair's scoped model all follow. YAML in, verdicts out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectivity, explain, formatConnectivity, type PeerRef } from '../../src/core/net/policy/index';
import { connectivityDiff } from '../../src/core/net/policy/diff';
import { formatDiff } from '../../src/core/net/policy/format-diff';
import { formatExplain } from '../../src/core/net/policy/format-explain';
import { scopedModelOf } from '../../src/core/net/policy/model';
import { primaryNetworks } from '../../src/core/net/policy/networks';
import { blocks } from '../../src/core/net/policy/reach';
import { whyPair } from '../../src/core/net/policy/why';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

function workspace(yaml: string): Workspace {
  const ws = new Workspace({ ...DEFAULT_SETTINGS });
  ws.set('test.yaml', yaml);
  return ws;
}

function pod(name: string, ns: string): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]
`;
}

function namespace(name: string, primary = true, labels: Record<string, string> = {}): string {
  const all = { ...labels, ...(primary ? { 'k8s.ovn.org/primary-user-defined-network': '' } : {}) };
  const l = Object.entries(all).map(([k, v]) => `${k}: "${v}"`).join(', ');
  return `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {${l}}}
`;
}

function udn(name: string, ns: string, role = 'Primary', topology = 'Layer2'): string {
  const layer = topology === 'Layer3' ? 'layer3' : 'layer2';
  return `---
apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: {name: ${name}, namespace: ${ns}}
spec:
  topology: ${topology}
  ${layer}: {role: ${role}, subnets: [10.100.0.0/16]}
`;
}

function cudn(name: string, selector: string): string {
  return `---
apiVersion: k8s.ovn.org/v1
kind: ClusterUserDefinedNetwork
metadata: {name: ${name}}
spec:
  namespaceSelector: ${selector}
  network:
    topology: Layer3
    layer3: {role: Primary, subnets: [{cidr: 10.200.0.0/16}]}
`;
}

/** Pod-to-pod lines of the connectivity list (external lines aside). */
function podLines(ws: Workspace): string[] {
  return formatConnectivity(connectivity(ws, { ipBlockReading: 'external' }), 'txt')
    .split('\n').filter(l => l.includes(' => ') && !l.includes('[External]'));
}

function peer(ws: Workspace, id: string): PeerRef {
  const p = connectivity(ws).peers.find(x => x.id === id);
  assert.ok(p, id);
  return p;
}

test('a primary UDN isolates its namespace: pods connect inside it, not across; external traffic stays', () => {
  const ws = workspace(namespace('blue') + udn('net', 'blue') + namespace('green') + udn('net', 'green')
    + pod('a', 'blue') + pod('b', 'blue') + pod('c', 'green') + pod('d', 'plain'));
  assert.deepEqual(podLines(ws), [
    'blue/a[Pod] => blue/b[Pod] : All Connections',
    'blue/b[Pod] => blue/a[Pod] : All Connections',
  ]);
  // A UDN is configuration, not a maker of pods: the workspace still knows the pods of its namespace.
  assert.equal(ws.knowsPodsOf('blue'), true);
  const all = formatConnectivity(connectivity(ws, { ipBlockReading: 'external' }), 'txt');
  for (const w of ['blue/a', 'blue/b', 'green/c', 'plain/d']) {
    assert.ok(all.includes(`0.0.0.0-255.255.255.255[External] => ${w}[Pod] : All Connections`), w);
    assert.ok(all.includes(`${w}[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections`), w);
  }
});

test('no policy opens a network boundary: an allow-all NetworkPolicy leaves isolated namespaces apart', () => {
  const allowAll = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all, namespace: green}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {}}]}]
`;
  const ws = workspace(namespace('blue') + udn('net', 'blue') + pod('a', 'blue') + pod('c', 'green') + allowAll);
  assert.deepEqual(podLines(ws), []);
});

test('a cluster UDN joins the namespaces it selects into one network; others stay apart', () => {
  const ws = workspace(
    namespace('red', true, { tenant: 'happy' }) + namespace('blue', true, { tenant: 'happy' }) + namespace('green', true)
    + cudn('happy-tenant', '{matchLabels: {tenant: happy}}')
    + pod('r', 'red') + pod('b', 'blue') + pod('g', 'green'),
  );
  assert.equal(primaryNetworks(ws).get('red')?.name, 'happy-tenant');
  assert.equal(primaryNetworks(ws).get('green'), undefined);
  assert.deepEqual(podLines(ws), [
    'blue/b[Pod] => red/r[Pod] : All Connections',
    'red/r[Pod] => blue/b[Pod] : All Connections',
  ]);
});

test('a network serves a namespace only as OVN-Kubernetes takes it; otherwise the namespace stays on the pod network', () => {
  const cases: Array<[string, string]> = [
    ['the namespace lacks the primary-network label', namespace('blue', false) + udn('net', 'blue')],
    ['the namespace is not declared', udn('net', 'blue')],
    ['the UDN is Secondary', namespace('blue') + udn('net', 'blue', 'Secondary')],
    ['the topology names another layer', namespace('blue') + udn('net', 'blue', 'Primary', 'Layer3').replace('layer3:', 'layer2:')],
    ['the UDN is named default', namespace('blue') + udn('default', 'blue')],
    ['the UDN is of another API group', namespace('blue') + udn('net', 'blue').replace('k8s.ovn.org/v1', 'example.com/v1')],
  ];
  for (const [why, yaml] of cases) {
    const ws = workspace(yaml + pod('a', 'blue') + pod('c', 'green'));
    assert.equal(primaryNetworks(ws).size, 0, why);
    assert.equal(podLines(ws).length, 2, why);
  }
  // `default` is never served by a primary network.
  const ws = workspace(namespace('default') + udn('net', 'default') + pod('a', 'default') + pod('c', 'green'));
  assert.equal(primaryNetworks(ws).size, 0);
});

test('the explanation of an isolated pair names the networks, in np-guard words, on both directions', () => {
  const ws = workspace(namespace('blue') + udn('net', 'blue') + pod('a', 'blue') + pod('c', 'green'));
  const w = whyPair(ws, peer(ws, 'blue/a[Pod]'), peer(ws, 'green/c[Pod]'))!;
  const seg = w.egress.at('TCP', 8080);
  assert.equal(seg.allowed, false);
  assert.equal(seg.rules.rules[0]!.kind, 'UDN');
  assert.equal(seg.rules.rules[0]!.text, "UserDefinedNetwork 'blue' isolates blue/a[Pod]");
  assert.equal(w.ingress.at('UDP', 53).allowed, false);
  const e = explain(ws, peer(ws, 'green/c[Pod]'), peer(ws, 'blue/a[Pod]'));
  assert.equal(e.conns.isEmpty(), true);
  assert.equal(e.text, [
    'Connections between green/c[Pod] => blue/a[Pod]:',
    '',
    'Denied connections:',
    '\tDenied TCP, UDP, SCTP due to existence of user defined networks:',
    '\t\tEgress ',
    "\t\t\tUserDefinedNetwork 'blue' isolates blue/a[Pod]",
    '\t\tIngress ',
    "\t\t\tUserDefinedNetwork 'blue' isolates blue/a[Pod]",
  ].join('\n'));
  // Two networks: both named, source first.
  const two = workspace(namespace('blue') + udn('x', 'blue') + namespace('green') + udn('y', 'green') + pod('a', 'blue') + pod('c', 'green'));
  assert.equal(whyPair(two, peer(two, 'blue/a[Pod]'), peer(two, 'green/c[Pod]'))!.egress.at('TCP', 1).rules.rules[0]!.text,
    "UserDefinedNetwork 'blue' isolates blue/a[Pod]; and UserDefinedNetwork 'green' isolates green/c[Pod]");
});

test('diff: putting namespaces on their own networks removes the flows between them', () => {
  const before = workspace(pod('a', 'blue') + pod('c', 'green'));
  const after = workspace(namespace('blue') + udn('net', 'blue') + namespace('green') + udn('net', 'green') + pod('a', 'blue') + pod('c', 'green'));
  assert.equal(formatDiff(connectivityDiff(before, after, 'external'), 'txt', ['ref1', 'ref2']), [
    'Connectivity diff:',
    'diff-type: removed, source: blue/a[Pod], destination: green/c[Pod], ref1: All Connections, ref2: No Connections',
    'diff-type: removed, source: green/c[Pod], destination: blue/a[Pod], ref1: All Connections, ref2: No Connections',
    '',
  ].join('\n'));
});

test("a pair's scoped model follows a cluster UDN (a cluster-scoped object in neither namespace)", () => {
  const ws = new Workspace({ ...DEFAULT_SETTINGS });
  ws.set('ns.yaml', namespace('red', true, { t: 'x' }) + namespace('blue', true, { t: 'x' }));
  ws.set('pods.yaml', pod('r', 'red') + pod('b', 'blue'));
  const before = scopedModelOf(ws, ['red', 'blue']);
  assert.equal(before.classes.every(c => c.network === undefined), true);
  ws.set('cudn.yaml', cudn('t', '{matchLabels: {t: x}}'));
  const after = scopedModelOf(ws, ['red', 'blue']);
  assert.notEqual(after, before);
  assert.equal(after.classes.every(c => c.network?.name === 't'), true);
  ws.set('cudn.yaml', cudn('t', '{matchLabels: {t: x}}') + udn('own', 'red'));
  // The namespace's own UDN claims it first: red and blue are now apart, and no NetworkPolicy rule is blamed.
  const red = ws.workloads.find(w => w.object.name === 'r')!;
  const blue = ws.workloads.find(w => w.object.name === 'b')!;
  assert.equal(scopedModelOf(ws, ['red', 'blue']).classes.find(c => c.namespace === 'red')!.network?.kind, 'UDN');
  assert.deepEqual(blocks(ws, red, blue, 'TCP', 8080), []);
  assert.deepEqual(podLines(ws), []);
});

test('--explain leaves pairs on separate networks out, and with --focus-conn explains them, as np-guard', () => {
  const ws = workspace(namespace('blue') + udn('net', 'blue') + pod('a', 'blue') + pod('c', 'green'));
  const plain = formatExplain(ws, { reading: 'external' });
  assert.ok(!plain.includes('Connections between blue/a[Pod] => green/c[Pod]'));
  assert.ok(plain.includes('0.0.0.0-255.255.255.255[External] => blue/a[Pod]'));
  const focused = formatExplain(ws, { reading: 'external', focusConn: { protocol: 'TCP', port: 90 } });
  assert.ok(focused.includes([
    'Connections between blue/a[Pod] => green/c[Pod]:',
    '',
    'Denied connections:',
    '\tDenied TCP:[90] due to existence of user defined networks:',
    '\t\tEgress ',
    "\t\t\tUserDefinedNetwork 'blue' isolates blue/a[Pod]",
  ].join('\n')), focused);
});
