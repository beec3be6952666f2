/**
 * Secondary networks (NetworkAttachmentDefinitions) in np-guard's `-o dot` and `--explain` outputs:
 * a `<name>[nad]` group per network whose workloads are nodes of their own (`<id><network>`), and a
 * `secondary NAD <name>` explain section per network where MultiNetworkPolicies are explained as
 * NetworkPolicies are and an unselected direction has no line (np-guard names no system default
 * there). YAML in, the exact text out (written from np-guard's formatter code and checked against its
 * `nad_*` goldens while developing).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { buildGraph, explainEdge } from '../../src/core/graph/build';
import { connectivity, formatConnectivity, focusConnReport } from '../../src/core/net/policy/index';
import { connectivityDiff, decidingRulesFor } from '../../src/core/net/policy/diff';
import { formatDiff } from '../../src/core/net/policy/format-diff';
import { formatExplain } from '../../src/core/net/policy/format-explain';
import { withSecondaryNetworks } from '../../src/core/net/policy/secondary-diff';
import { networkLayout } from '../../src/core/net/policy/network-layout';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

const SHOP = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: red, namespace: shop}
spec:
  config: '{"cniVersion": "0.3.1", "type": "bridge"}'
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: shop, labels: {app: a}, annotations: {k8s.v1.cni.cncf.io/networks: red}}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 8080, name: web}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: shop, labels: {app: b}, annotations: {k8s.v1.cni.cncf.io/networks: red}}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 8080, name: web}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: shop, labels: {app: c}, annotations: {k8s.v1.cni.cncf.io/networks: red}}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: 8080, name: web}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: solo, namespace: shop, labels: {app: solo}}
spec:
  containers: [{name: c, image: x}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata:
  name: b-from-a
  namespace: shop
  annotations: {k8s.v1.cni.cncf.io/policy-for: red}
spec:
  podSelector: {matchLabels: {app: b}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: a}}}]
    ports: [{port: web}]
`;

function workspace(yaml: string): Workspace {
  const ws = new Workspace({ ...DEFAULT_SETTINGS });
  ws.set('test.yaml', yaml);
  return ws;
}

function dot(ws: Workspace, focus?: { protocol: 'TCP'; port: number }): string {
  const report = connectivity(ws);
  return formatConnectivity(focus ? focusConnReport(report, focus) : report, 'dot', networkLayout(ws, report), focus);
}

/** The part of an explain output from the header of `section` on. */
function from(text: string, section: string): string {
  const i = text.indexOf(`# Specific connections and their reasons in ${section} #`);
  assert.ok(i > 0, text);
  return text.slice(text.lastIndexOf('\n#', i - 2) + 1);
}

const SEP = '-'.repeat(160);

/** A pair on a NAD that no MultiNetworkPolicy selects on either side: allowed, no rule named (np-guard's text). */
const unselected = (src: string, dst: string) => `${SEP}\nConnections between ${src} => ${dst}:\n\nAllowed connections:\n\tAllowed TCP, UDP, SCTP\n\n`;

test('dot: each NAD is a [nad] group of its own nodes (id + network name), beside the pod network', () => {
  assert.equal(dot(workspace(SHOP)), `digraph {
\tsubgraph "cluster_pod_network" {
\tlabel="pod network"
\tsubgraph "cluster_shop[namespace]" {
\t\tcolor="black"
\t\tfontcolor="black"
\t\t"shop/a[Pod]" [label="a[Pod]" color="blue" fontcolor="blue"]
\t\t"shop/b[Pod]" [label="b[Pod]" color="blue" fontcolor="blue"]
\t\t"shop/c[Pod]" [label="c[Pod]" color="blue" fontcolor="blue"]
\t\t"shop/solo[Pod]" [label="solo[Pod]" color="blue" fontcolor="blue"]
\t\tlabel="shop[namespace]"
\t}
\t}
\tsubgraph "cluster_red" {
\tlabel="red[nad]"
\tsubgraph "cluster_shop[namespace]" {
\t\tcolor="black"
\t\tfontcolor="black"
\t\t"shop/a[Pod]red" [label="a[Pod]" color="blue" fontcolor="blue"]
\t\t"shop/b[Pod]red" [label="b[Pod]" color="blue" fontcolor="blue"]
\t\t"shop/c[Pod]red" [label="c[Pod]" color="blue" fontcolor="blue"]
\t\tlabel="shop[namespace]"
\t}
\t}
\t"shop/a[Pod]red" -> "shop/b[Pod]red" [label="TCP 8080" color="gold2" fontcolor="darkgreen" weight=0.5]
\t"shop/a[Pod]red" -> "shop/c[Pod]red" [label="All Connections" color="gold2" fontcolor="darkgreen" weight=0.5]
\t"shop/b[Pod]red" -> "shop/a[Pod]red" [label="All Connections" color="gold2" fontcolor="darkgreen" weight=1]
\t"shop/b[Pod]red" -> "shop/c[Pod]red" [label="All Connections" color="gold2" fontcolor="darkgreen" weight=0.5]
\t"shop/c[Pod]red" -> "shop/a[Pod]red" [label="All Connections" color="gold2" fontcolor="darkgreen" weight=1]
}`);
});

test('dot under --focus-conn: only NAD edges that allow the port, labelled with it; no NAD group when none does', () => {
  const text = dot(workspace(SHOP), { protocol: 'TCP', port: 8080 });
  assert.ok(text.includes('\t"shop/a[Pod]red" -> "shop/b[Pod]red" [label="TCP 8080" color="gold2" fontcolor="darkgreen" weight=0.5]\n'), text);
  assert.ok(text.includes('\t"shop/c[Pod]red" -> "shop/a[Pod]red" [label="TCP 8080" color="gold2" fontcolor="darkgreen" weight=1]\n'), text);
  // c => b is denied on red: neither an edge nor a reason to draw c's node.
  assert.ok(!text.includes('"shop/c[Pod]red" -> "shop/b[Pod]red"'), text);
  const closed = SHOP.replace('ports: [{port: web}]', 'ports: [{port: 9}]').replace("podSelector: {matchLabels: {app: b}}\n  policyTypes: [Ingress]", 'podSelector: {}\n  policyTypes: [Ingress]');
  const none = dot(workspace(closed), { protocol: 'TCP', port: 8080 });
  assert.ok(!none.includes('[nad]') && !none.includes('cluster_pod_network'), none);
});

test('--explain: a section per NAD after the pod network, every pair on it explained, unselected directions without a line', () => {
  const text = formatExplain(workspace(SHOP));
  assert.ok(text.includes('# Specific connections and their reasons in pod-network #'), text);
  assert.equal(from(text, 'secondary NAD red'), `###############################################################
# Specific connections and their reasons in secondary NAD red #
###############################################################
${SEP}
Connections between shop/a[Pod] => shop/b[Pod]:

Allowed connections:
\tAllowed TCP:[8080] due to the following policies and rules:
\t\tIngress (Allowed)
\t\t\tMultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #1

Denied connections:
\tDenied TCP:[1-8079,8081-65535], UDP, SCTP due to the following policies and rules:
\t\tIngress (Denied)
\t\t\tMultiNetworkPolicy 'shop/b-from-a' selects shop/b[Pod], and Ingress rule #1 selects shop/a[Pod], but the protocols and ports do not match

${unselected('shop/a[Pod]', 'shop/c[Pod]')}${unselected('shop/b[Pod]', 'shop/a[Pod]')}${unselected('shop/b[Pod]', 'shop/c[Pod]')}${unselected('shop/c[Pod]', 'shop/a[Pod]')}${SEP}
Connections between shop/c[Pod] => shop/b[Pod]:

Denied connections:
\tDenied TCP, UDP, SCTP due to the following policies and rules:
\t\tIngress (Denied)
\t\t\tMultiNetworkPolicy 'shop/b-from-a' selects shop/b[Pod], but shop/c[Pod] is not allowed by any Ingress rule

`);
  // A workload on no NAD has no pair there.
  assert.ok(!from(text, 'secondary NAD red').includes('solo'));
});

test('--explain with --focus-conn and --explain-only: the NAD section keeps the pairs with that verdict on that port', () => {
  const ws = workspace(SHOP);
  const allow = formatExplain(ws, { focusConn: { protocol: 'TCP', port: 8080 }, explainOnly: 'allow' });
  // Every pod-network pair is denied: only the NAD section is printed.
  assert.ok(allow.startsWith('\n###############################################################\n# Specific connections and their reasons in secondary NAD red #'), allow);
  assert.ok(allow.includes(`Connections between shop/a[Pod] => shop/b[Pod]:

Allowed connections:
\tAllowed TCP:[8080] due to the following policies and rules:
\t\tIngress (Allowed)
\t\t\tMultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #1
`), allow);
  assert.ok(!allow.includes('shop/c[Pod] => shop/b[Pod]'));
  const deny = from(formatExplain(ws, { focusConn: { protocol: 'TCP', port: 8080 }, explainOnly: 'deny' }), 'secondary NAD red');
  assert.equal(deny.split('Connections between ').length - 1, 1, deny);
  assert.ok(deny.includes('Connections between shop/c[Pod] => shop/b[Pod]:\n\nDenied connections:\n\tDenied TCP:[8080] due to'), deny);
});

test('--explain on a NAD with egress policies: an Egress line for the selected source, rules of several policies listed', () => {
  const ws = workspace(SHOP + `---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: a-out, namespace: shop, annotations: {k8s.v1.cni.cncf.io/policy-for: shop/red}}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: c}}}]
    ports: [{protocol: UDP, port: 53}]
`);
  const nad = from(formatExplain(ws), 'secondary NAD red');
  assert.ok(nad.includes(`Connections between shop/a[Pod] => shop/c[Pod]:

Allowed connections:
\tAllowed UDP:[53] due to the following policies and rules:
\t\tEgress (Allowed)
\t\t\tMultiNetworkPolicy 'shop/a-out' allows connections by Egress rule #1

Denied connections:
\tDenied TCP, UDP:[1-52,54-65535], SCTP due to the following policies and rules:
\t\tEgress (Denied)
\t\t\tMultiNetworkPolicy 'shop/a-out' selects shop/a[Pod], and Egress rule #1 selects shop/c[Pod], but the protocols and ports do not match
`), nad);
  // Denied by a's egress everywhere; the ingress side still says why per port, in two classes.
  assert.ok(nad.includes(`Connections between shop/a[Pod] => shop/b[Pod]:

Denied connections:
\tDenied TCP:[1-8079,8081-65535], UDP, SCTP due to the following policies and rules:
\t\tEgress (Denied)
\t\t\tMultiNetworkPolicy 'shop/a-out' selects shop/a[Pod], but shop/b[Pod] is not allowed by any Egress rule
\t\tIngress (Denied)
\t\t\tMultiNetworkPolicy 'shop/b-from-a' selects shop/b[Pod], and Ingress rule #1 selects shop/a[Pod], but the protocols and ports do not match

\tDenied TCP:[8080] due to the following policies and rules:
\t\tEgress (Denied)
\t\t\tMultiNetworkPolicy 'shop/a-out' selects shop/a[Pod], but shop/b[Pod] is not allowed by any Egress rule
\t\tIngress (Allowed)
\t\t\tMultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #1

`), nad);
});

test('the CLI ignores --focus-direction and --focus-workload-peer without --focus-workload, with np-guard\'s warning', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-nad-'));
  fs.writeFileSync(path.join(dir, 'shop.yaml'), SHOP);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['connectivity', dir, '--focus-conn', 'tcp-8080', '--focus-direction', 'ingress', '--focus-workload-peer', 'a'],
    { out: l => out.push(l), err: l => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  assert.ok(err.includes('warning: --focus-direction may be used only with --focus-workload, will be ignored'), err.join('\n'));
  assert.ok(err.includes('warning: --focus-workload-peer may be used only with --focus-workload, will be ignored'), err.join('\n'));
  assert.equal(out.join('\n'), `Permitted connections on TCP 8080:

Permitted connectivity analyzed in secondary NAD red:
shop/a[Pod] => shop/b[Pod]
shop/a[Pod] => shop/c[Pod]
shop/b[Pod] => shop/a[Pod]
shop/b[Pod] => shop/c[Pod]
shop/c[Pod] => shop/a[Pod]`);
});

test('the CLI warns at file:line:col about the secondary-network input np-guard refuses, and analyses on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-nad-'));
  const yaml = SHOP.replace('  annotations: {k8s.v1.cni.cncf.io/policy-for: red}\n', '')
    .replace('metadata: {name: c, namespace: shop, labels: {app: c}, annotations: {k8s.v1.cni.cncf.io/networks: red}}',
      'metadata: {name: c, namespace: shop, labels: {app: c}, annotations: {k8s.v1.cni.cncf.io/networks: \'[{"name": "red"\'}}');
  assert.notEqual(yaml, SHOP);
  fs.writeFileSync(path.join(dir, 'shop.yaml'), yaml);
  const lineOf = (needle: string) => yaml.slice(0, yaml.indexOf(needle)).split('\n').length;
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['connectivity', dir, '-o', 'csv'], { out: l => out.push(l), err: l => err.push(l) });
  assert.equal(code, 0, err.join('\n'));
  const warnings = err.filter(l => l.startsWith('warning: '));
  assert.equal(warnings.length, 2, err.join('\n'));
  assert.match(warnings[0]!, new RegExp(`^warning: \\S*shop\\.yaml:${lineOf('metadata: {name: c,')}:\\d+: The k8s\\.v1\\.cni\\.cncf\\.io/networks annotation is not a JSON list of network selections \\(invalid JSON: .*\\), so Multus cannot attach the pod to its networks \\[pod-networks-annotation-invalid\\]$`));
  assert.match(warnings[1]!, new RegExp(`^warning: \\S*shop\\.yaml:${lineOf('name: b-from-a')}:9: MultiNetworkPolicy 'shop/b-from-a' has no k8s\\.v1\\.cni\\.cncf\\.io/policy-for annotation naming the secondary networks it applies to, so it applies to none \\(np-guard: annotations error: a policy-for annotation indicating to which secondary networks the policy applies must be specified\\) \\[multinetpol-invalid\\]$`));
  // The policy applies to no network: a and b connect on red without restriction; c is on none.
  const csv = out.join('\n').split('\n');
  assert.ok(csv.includes('shop/a[Pod],shop/b[Pod],All Connections,red'), csv.join('\n'));
  assert.ok(!csv.some(l => l.includes('shop/c[Pod]') && l.endsWith(',red')), csv.join('\n'));
});

test('diff: each secondary network is compared on its own, every row names its network, the MultiNetworkPolicy decides its rows', () => {
  const before = workspace(SHOP);
  const after = workspace(SHOP.replace('ports: [{port: web}]', 'ports: [{protocol: UDP, port: 53}]')
    .replace("metadata: {name: c, namespace: shop, labels: {app: c}, annotations: {k8s.v1.cni.cncf.io/networks: red}}", 'metadata: {name: c, namespace: shop, labels: {app: c}}'));
  const d = withSecondaryNetworks(connectivityDiff(before, after), before, after);
  assert.equal(formatDiff(d, 'csv'), `diff-type,source,destination,ref1,ref2,workloads-diff-info,network
changed,shop/a[Pod],shop/b[Pod],TCP 8080,UDP 53,,red
removed,shop/a[Pod],shop/c[Pod],All Connections,No Connections,,red
removed,shop/b[Pod],shop/c[Pod],All Connections,No Connections,,red
removed,shop/c[Pod],shop/a[Pod],All Connections,No Connections,,red
`);
  assert.ok(formatDiff(d, 'txt').includes('diff-type: changed, source: shop/a[Pod], destination: shop/b[Pod], ref1: TCP 8080, ref2: UDP 53, network: red\n'));
  const dotText = formatDiff(d, 'dot');
  assert.ok(dotText.includes('\t"shop/a[Pod]red" -> "shop/b[Pod]red" [label="UDP 53 (ref1: TCP 8080)" color="magenta" fontcolor="magenta" weight=0.5]'), dotText);
  // The rule responsible for the gained port is the MultiNetworkPolicy's, not a NetworkPolicy's.
  const changed = d.pairs.find(p => p.type === 'changed')!;
  const rules = decidingRulesFor(after, changed.src, changed.dst, changed.after!, true, undefined, changed.network);
  assert.deepEqual(rules.map(r => r.text), ["MultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #1"]);
  // Without NADs on either side, the diff is np-guard's, without a network field.
  const plain = workspace(SHOP.split('---\n').slice(1).join('---\n'));
  const d2 = connectivityDiff(plain, plain);
  assert.equal(withSecondaryNetworks(d2, plain, plain), d2);
});

test('diagram data: a flow per NAD both workloads attach to, marked with its network and explained by its MultiNetworkPolicies', () => {
  const ws = workspace(SHOP);
  const g = buildGraph(ws);
  const nad = g.edges.filter(e => e.network !== undefined).map(e => `${e.id} ${e.label} ${e.network}`).sort();
  assert.deepEqual(nad, [
    'flow:workload:shop/a[Pod]->workload:shop/b[Pod]@red TCP 8080 red',
    'flow:workload:shop/a[Pod]->workload:shop/c[Pod]@red All Connections red',
    'flow:workload:shop/b[Pod]->workload:shop/a[Pod]@red All Connections red',
    'flow:workload:shop/b[Pod]->workload:shop/c[Pod]@red All Connections red',
    'flow:workload:shop/c[Pod]->workload:shop/a[Pod]@red All Connections red',
  ]);
  // The pod network is closed by the NetworkPolicy: no flow edge without a network.
  assert.equal(g.edges.filter(e => e.kind === 'flow' && e.network === undefined).length, 0);
  assert.deepEqual(explainEdge(ws, 'flow:workload:shop/a[Pod]->workload:shop/b[Pod]@red'), [
    'on secondary network red',
    'Allowed connections:',
    'Allowed TCP:[8080] due to the following policies and rules:',
    'Ingress (Allowed)',
    "MultiNetworkPolicy 'shop/b-from-a' allows connections by Ingress rule #1",
    'Denied connections:',
    'Denied TCP:[1-8079,8081-65535], UDP, SCTP due to the following policies and rules:',
    'Ingress (Denied)',
    "MultiNetworkPolicy 'shop/b-from-a' selects shop/b[Pod], and Ingress rule #1 selects shop/a[Pod], but the protocols and ports do not match",
  ]);
  // An edit of a pod on a secondary network rebuilds the graph whole (a network spans namespaces).
  ws.set('test.yaml', SHOP.replace('metadata: {name: c, namespace: shop, labels: {app: c}, annotations: {k8s.v1.cni.cncf.io/networks: red}}', 'metadata: {name: c, namespace: shop, labels: {app: c}}'));
  assert.equal(buildGraph(ws).edges.filter(e => e.network !== undefined).length, 2);
});

test('the CLI warns as np-guard on a MultiNetworkPolicy named port a destination pod does not define, per pod pair it evaluates', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knl-nad-port-'));
  const yaml = SHOP.replace('    ports: [{port: web}]\n', '    ports: [{port: web}, {port: metrics}, {protocol: UDP, port: web}]\n')
    .replace('  - from: [{podSelector: {matchLabels: {app: a}}}]\n', '  - from: [{podSelector: {matchLabels: {app: a}}}, {podSelector: {matchLabels: {app: c}}}, {podSelector: {matchLabels: {app: d}}}]\n')
    + `---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: c-closed, namespace: shop, annotations: {k8s.v1.cni.cncf.io/policy-for: red}}
spec:
  podSelector: {matchLabels: {app: c}}
  policyTypes: [Egress]
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: d-in, namespace: shop, annotations: {k8s.v1.cni.cncf.io/policy-for: red}}
spec:
  podSelector: {matchLabels: {app: d}}
  policyTypes: [Ingress]
  ingress:
  - ports: [{port: admin}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}, annotations: {k8s.v1.cni.cncf.io/networks: red}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 9090, name: metrics}]}]}
`;
  fs.writeFileSync(path.join(dir, 'shop.yaml'), yaml);
  const lineOf = (needle: string, from = 0) => yaml.slice(0, yaml.indexOf(needle, from)).split('\n').length;
  const err: string[] = [];
  try {
    const code = await main(['connectivity', dir, '-o', 'csv'], { out: () => {}, err: l => err.push(l) });
    assert.equal(code, 0, err.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const warnings = err.filter(l => l.startsWith('warning: ')).map(l => l.replace(/^warning: \S*shop\.yaml:/, ''));
  const policyLine = lineOf('ports: [{port: web}, {port: metrics}');
  const dIn = lineOf('  - ports: [{port: admin}]');
  const mnp = (name: string) => `MultiNetworkPolicy 'shop/${name}' port name:`;
  // b's rule: "metrics" is not b's, "web" is b's on TCP only; seen from a and from d's pods, never
  // from c (its egress allows nothing, so np-guard does not look at ingress). d's ingress rule names
  // "admin", which d does not define: np-guard makes two pods of its 3 replicas, d-1 and d-2, each a
  // destination (also of the other). Each warning once.
  assert.deepEqual(warnings.sort(), [
    `${dIn}:${'  - ports: [{port: admin}]'.indexOf('admin') + 1}: ${mnp('d-in')} "admin" has no match in the configuration of the destination peer "shop/d-1"`,
    `${dIn}:${'  - ports: [{port: admin}]'.indexOf('admin') + 1}: ${mnp('d-in')} "admin" has no match in the configuration of the destination peer "shop/d-2"`,
    `${policyLine}:${yaml.split('\n')[policyLine - 1]!.indexOf('metrics') + 1}: ${mnp('b-from-a')} "metrics" has no match in the configuration of the destination peer "shop/b"`,
    `${policyLine}:${yaml.split('\n')[policyLine - 1]!.lastIndexOf('web') + 1}: ${mnp('b-from-a')} "web" has no match in the configuration of the destination peer "shop/b"`,
  ].sort());
});
