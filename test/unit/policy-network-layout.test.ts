/**
 * np-guard's multiple-networks layout of the connectivity list and --explain (on when the workspace
 * declares a user-defined network): one section per network, `ns[udn]/…` names for workloads of a
 * namespace-scoped UDN, a `network` column in csv and md, the Workload-to-Networks Mapping, explain
 * groups per network and the closing note on pairs across isolated networks; a KubeVirt
 * VirtualMachine as a workload. YAML in, text out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectivity, focusConnReport, formatConnectivity } from '../../src/core/net/policy/index';
import { formatExplain } from '../../src/core/net/policy/format-explain';
import { networkLayout } from '../../src/core/net/policy/network-layout';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

function workspace(yaml: string): Workspace {
  const ws = new Workspace({ ...DEFAULT_SETTINGS });
  ws.set('test.yaml', yaml);
  return ws;
}

const BASE = `
apiVersion: v1
kind: Namespace
metadata: {name: blue, labels: {k8s.ovn.org/primary-user-defined-network: ""}}
---
apiVersion: k8s.ovn.org/v1
kind: UserDefinedNetwork
metadata: {name: net, namespace: blue}
spec: {topology: Layer2, layer2: {role: Primary, subnets: [10.100.0.0/16]}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: blue, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm, namespace: plain}
spec:
  template:
    metadata: {labels: {app: vm}}
    spec: {domain: {devices: {}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: vm-egress, namespace: plain}
spec:
  podSelector: {matchLabels: {app: vm}}
  policyTypes: [Egress]
  egress: [{ports: [{port: 53, protocol: UDP}]}]
`;

function list(ws: Workspace, format: 'txt' | 'csv' | 'md' | 'json'): string {
  const report = connectivity(ws, { ipBlockReading: 'external' });
  return formatConnectivity(report, format, networkLayout(ws, report));
}

test('txt: a section per network, [udn] names, then the Workload-to-Networks Mapping', () => {
  assert.equal(list(workspace(BASE), 'txt'), [
    'Permitted connectivity analyzed in Pod network:',
    '0.0.0.0-255.255.255.255[External] => plain/vm[VirtualMachine] : All Connections',
    'plain/vm[VirtualMachine] => 0.0.0.0-255.255.255.255[External] : UDP 53',
    '',
    'Permitted connectivity analyzed in primary UDN blue:',
    '0.0.0.0-255.255.255.255[External] => blue[udn]/web[Pod] : All Connections',
    'blue[udn]/web[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
    '',
    'Workload-to-Networks Mapping:',
    'blue/web[Pod]: ',
    '\tPrimary Network: blue[UDN]',
    'plain/vm[VirtualMachine]: ',
    '\tPrimary Network: pod-network',
  ].join('\n'));
});

test('csv and md gain the network column; json keeps its fields with [udn] names', () => {
  const ws = workspace(BASE);
  assert.deepEqual(list(ws, 'csv').split('\n').slice(0, 2), [
    'src,dst,conn,network',
    '0.0.0.0-255.255.255.255[External],blue[udn]/web[Pod],All Connections,blue',
  ]);
  assert.deepEqual(list(ws, 'md').split('\n').slice(0, 3), [
    '| src | dst | conn | network | ',
    '|-----|-----|------|------|',
    '| 0.0.0.0-255.255.255.255[External] | blue[udn]/web[Pod] | All Connections | blue | ',
  ]);
  assert.deepEqual(JSON.parse(list(ws, 'json'))[0], { src: '0.0.0.0-255.255.255.255[External]', dst: 'blue[udn]/web[Pod]', conn: 'All Connections' });
});

test('a pod network without connections says why', () => {
  const onlyUdn = BASE.slice(0, BASE.indexOf('---\napiVersion: v1\nkind: Namespace\nmetadata: {name: plain}'));
  assert.deepEqual(list(workspace(onlyUdn), 'txt').split('\n').slice(0, 3), [
    'Permitted connectivity analyzed in Pod network:',
    'all input workloads are configured with (C)UDN as their primary network interface',
    '',
  ]);
});

test('without a user-defined network the single-network layout is unchanged', () => {
  const ws = workspace(BASE.replace(/kind: UserDefinedNetwork[\s\S]*?---/, 'kind: ConfigMap\nmetadata: {name: cm, namespace: blue}\n---'));
  assert.equal(networkLayout(ws, connectivity(ws)), undefined);
  assert.ok(list(ws, 'txt').startsWith('0.0.0.0-255.255.255.255[External] => blue/web[Pod] : All Connections\n'));
});

test('explain: groups per network, [udn] names in the reasons, the note on isolated networks', () => {
  const text = formatExplain(workspace(BASE), { reading: 'external' });
  const lines = text.split('\n');
  assert.ok(lines.includes('# Specific connections and their reasons in pod-network #'), text);
  assert.ok(lines.includes('# All Connections due to the system default (Allow all) in primary UDN blue #'), text);
  assert.ok(lines.includes('blue[udn]/web[Pod] => 0.0.0.0-255.255.255.255[External]'), text);
  assert.ok(!text.includes('blue/web[Pod]'), text);
  assert.ok(text.endsWith('*** Note: Connections between any peers from separate isolated networks are denied by default and therefore not listed in this report.'));
  // Under --focus-conn the pairs across networks are listed, under the network that isolates them.
  const focused = formatExplain(workspace(BASE), { reading: 'external', focusConn: { protocol: 'TCP', port: 80 } });
  const udnPart = focused.slice(focused.indexOf('in primary UDN blue'));
  assert.ok(udnPart.includes('Connections between plain/vm[VirtualMachine] => blue[udn]/web[Pod]:'), focused);
  assert.ok(udnPart.includes("UserDefinedNetwork 'blue' isolates blue[udn]/web[Pod]"), focused);
  assert.ok(!focused.includes('*** Note'));
});

test('dot: namespaces grouped by network (pod network wrapper, <ns>[udn], a subgraph per cluster UDN)', () => {
  const ws = workspace(BASE + `---
apiVersion: v1
kind: Namespace
metadata: {name: red, labels: {k8s.ovn.org/primary-user-defined-network: "", tenant: t}}
---
apiVersion: k8s.ovn.org/v1
kind: ClusterUserDefinedNetwork
metadata: {name: tenant-net}
spec:
  namespaceSelector: {matchLabels: {tenant: t}}
  network: {topology: Layer3, layer3: {role: Primary, subnets: [{cidr: 10.200.0.0/16}]}}
---
apiVersion: v1
kind: Pod
metadata: {name: r, namespace: red}
spec: {containers: [{name: c, image: x}]}
`);
  const report = connectivity(ws, { ipBlockReading: 'external' });
  const text = formatConnectivity(report, 'dot', networkLayout(ws, report));
  const groups = text.split('\n').filter(l => /^\t(subgraph|label=|})/.test(l));
  assert.deepEqual(groups, [
    '\tsubgraph "cluster_pod_network" {', '\tlabel="pod network"', '\tsubgraph "cluster_plain[namespace]" {', '\t}', '\t}',
    '\tsubgraph "cluster_blue[udn]" {', '\t}',
    '\tsubgraph "cluster_tenant-net" {', '\tlabel="tenant-net[cluster-udn]"', '\tsubgraph "cluster_red[namespace]" {', '\t}', '\t}',
  ]);
  assert.ok(text.includes('\t\t"blue/web[Pod]" [label="web[Pod]" color="blue" fontcolor="blue"]'));
});

test('--multiple-networks: the layout without a user-defined network (np-guard\'s WithMultipleNetworks)', () => {
  const ws = workspace(BASE.replace(/kind: UserDefinedNetwork[\s\S]*?---/, 'kind: ConfigMap\nmetadata: {name: cm, namespace: blue}\n---'));
  const report = connectivity(ws, { ipBlockReading: 'external' });
  const text = formatConnectivity(report, 'txt', networkLayout(ws, report, true));
  assert.ok(!text.includes('Permitted connectivity analyzed in'), text);
  assert.ok(text.endsWith('Workload-to-Networks Mapping:\nblue/web[Pod]: \n\tPrimary Network: pod-network\nplain/vm[VirtualMachine]: \n\tPrimary Network: pod-network'), text);
  assert.ok(formatExplain(ws, { reading: 'external', multipleNetworks: true }).includes('# All Connections due to the system default (Allow all) in pod-network #'));
});

test('a virt-launcher Pod beside its VirtualMachine is that VM, not another peer', () => {
  const launcher = `---
apiVersion: v1
kind: Pod
metadata:
  name: virt-launcher-vm-abcde
  namespace: plain
  labels: {kubevirt.io: virt-launcher, vm.kubevirt.io/name: vm}
  ownerReferences: [{apiVersion: kubevirt.io/v1, kind: VirtualMachineInstance, name: vm, uid: u, controller: true}]
spec: {containers: [{name: compute, image: x}]}
`;
  const ids = (yaml: string) => connectivity(workspace(yaml), { ipBlockReading: 'external' }).peers.filter(p => p.kind === 'workload').map(p => p.id);
  // Either order: the VM stands for the pair.
  assert.deepEqual(ids(BASE + launcher), ['blue/web[Pod]', 'plain/vm[VirtualMachine]']);
  assert.deepEqual(ids(launcher + '---\n' + BASE), ['blue/web[Pod]', 'plain/vm[VirtualMachine]']);
  // Without the VM the launcher stays a peer, shown as its controller.
  const noVm = BASE.replace(/apiVersion: kubevirt.io\/v1[\s\S]*?---/, '') + launcher;
  assert.deepEqual(ids(noVm), ['blue/web[Pod]', 'plain/vm[VirtualMachineInstance]']);
});

test('--focus-conn on the list: the pairs allowing that port, per network, without their connections', () => {
  const ws = workspace(BASE);
  const report = connectivity(ws, { ipBlockReading: 'external' });
  const focus = { protocol: 'UDP', port: 53 } as const;
  const focused = focusConnReport(report, focus);
  const layout = networkLayout(ws, report);
  assert.equal(formatConnectivity(focused, 'txt', layout, focus), [
    'Permitted connections on UDP 53:',
    'Permitted connectivity analyzed in Pod network:',
    '0.0.0.0-255.255.255.255[External] => plain/vm[VirtualMachine]',
    'plain/vm[VirtualMachine] => 0.0.0.0-255.255.255.255[External]',
    '',
    'Permitted connectivity analyzed in primary UDN blue:',
    '0.0.0.0-255.255.255.255[External] => blue[udn]/web[Pod]',
    'blue[udn]/web[Pod] => 0.0.0.0-255.255.255.255[External]',
  ].join('\n'));
  assert.equal(formatConnectivity(focused, 'csv', layout, focus).split('\n')[1], '0.0.0.0-255.255.255.255[External],blue[udn]/web[Pod],blue');
  assert.equal(formatConnectivity(focused, 'md', undefined, focus).split('\n')[0], '| src | dst |');
  assert.ok(formatConnectivity(focused, 'dot', layout, focus).includes('"plain/vm[VirtualMachine]" -> "0.0.0.0-255.255.255.255[External]" [label="UDP 53"'));
  // TCP 80: the VM's egress allows only UDP 53.
  const tcp = formatConnectivity(focusConnReport(report, { protocol: 'TCP', port: 80 }), 'txt', undefined, { protocol: 'TCP', port: 80 });
  assert.ok(!tcp.includes('plain/vm[VirtualMachine] => 0.0.0.0'), tcp);
});
