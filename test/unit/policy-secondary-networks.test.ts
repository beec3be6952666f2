/**
 * Secondary networks (NetworkAttachmentDefinitions attached by the `k8s.v1.cni.cncf.io/networks`
 * pod annotation), as np-guard analyses them: a pair of workloads that share a NAD connects on it as
 * the MultiNetworkPolicies for that network allow (NetworkPolicy semantics), whatever the
 * NetworkPolicies say; each network has its own section, and the Workload-to-Networks Mapping names
 * the secondary networks of each workload. YAML in, np-guard's list out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectivity, formatConnectivity, type ConnectivityFormat } from '../../src/core/net/policy/index';
import { focusedLayout, focusedReport } from '../../src/core/net/policy/format-explain';
import { networkLayout } from '../../src/core/net/policy/network-layout';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

function workspace(yaml: string): Workspace {
  const ws = new Workspace({ ...DEFAULT_SETTINGS });
  ws.set('test.yaml', yaml);
  return ws;
}

function list(ws: Workspace, format: ConnectivityFormat = 'txt'): string {
  const report = connectivity(ws);
  return formatConnectivity(report, format, networkLayout(ws, report));
}

function nad(name: string, ns: string): string {
  return `---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: ${name}, namespace: ${ns}}
spec:
  config: '{"cniVersion": "0.3.1", "type": "bridge"}'
`;
}

function pod(name: string, ns: string, networks?: string, port = 8080): string {
  const annotations = networks === undefined ? '' : `, annotations: {k8s.v1.cni.cncf.io/networks: '${networks}'}`;
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}${annotations}}
spec:
  containers: [{name: c, image: x, ports: [{containerPort: ${port}, name: web}]}]
`;
}

function ns(name: string): string {
  return `---
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: {team: ${name}}}
`;
}

test('pods on a shared NAD: a section per network, sorted by name, and the Secondary Networks line', () => {
  const ws = workspace(nad('red', 'shop') + nad('blue', 'shop') + pod('a', 'shop', 'red') + pod('b', 'shop', 'blue')
    + pod('hub', 'shop', 'red,blue'));
  const text = list(ws);
  assert.ok(text.startsWith('Permitted connectivity analyzed in Pod network:\n0.0.0.0-255.255.255.255[External] => shop/a[Pod] : All Connections\n'));
  assert.ok(text.includes(`
Permitted connectivity analyzed in secondary NAD blue:
shop/b[Pod] => shop/hub[Pod] : All Connections
shop/hub[Pod] => shop/b[Pod] : All Connections

Permitted connectivity analyzed in secondary NAD red:
shop/a[Pod] => shop/hub[Pod] : All Connections
shop/hub[Pod] => shop/a[Pod] : All Connections

Workload-to-Networks Mapping:
shop/a[Pod]: 
\tPrimary Network: pod-network
\tSecondary Networks: red[NAD]
shop/b[Pod]: 
\tPrimary Network: pod-network
\tSecondary Networks: blue[NAD]
shop/hub[Pod]: 
\tPrimary Network: pod-network
\tSecondary Networks: blue[NAD],red[NAD]`), text);
});

test('a MultiNetworkPolicy for the network decides it; NetworkPolicies do not, and a policy for another network neither', () => {
  const ws = workspace(ns('one') + ns('two') + nad('l2', 'one') + nad('l2', 'two') + nad('other', 'one')
    + pod('server', 'one', 'l2') + pod('client', 'two', 'l2') + pod('idle', 'one') + `---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: web-only, namespace: one, annotations: {k8s.v1.cni.cncf.io/policy-for: l2}}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: two}}}]
    ports: [{protocol: TCP, port: web}]
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: elsewhere, namespace: two, annotations: {k8s.v1.cni.cncf.io/policy-for: other}}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: one}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`);
  const csv = list(ws, 'csv').split('\n');
  assert.equal(csv[0], 'src,dst,conn,network');
  // The server's ingress is closed on the pod network, open to TCP 8080 (its named port) from two on l2.
  assert.ok(!csv.some(l => l.startsWith('two/client[Pod],one/server[Pod]') && l.endsWith('pod-network')));
  assert.ok(csv.includes('two/client[Pod],one/server[Pod],TCP 8080,l2'));
  // Egress of the client on l2: the policy for `other` does not apply.
  assert.ok(csv.includes('one/server[Pod],two/client[Pod],All Connections,l2'));
  assert.ok(csv.includes('one/server[Pod],two/client[Pod],All Connections,pod-network'));
  // Rows of one pair: by network name.
  const i = csv.indexOf('one/server[Pod],two/client[Pod],All Connections,l2');
  assert.equal(csv[i + 1], 'one/server[Pod],two/client[Pod],All Connections,pod-network');
  assert.ok(!csv.some(l => l.includes('idle') && l.endsWith(',l2')));
});

test('a pod joins a NAD only where one of that name is defined: its namespace, or the one the annotation names', () => {
  const ws = workspace(nad('net', 'infra') + pod('px', 'apps', 'net') + pod('py', 'apps', 'infra/net@net1') + pod('pz', 'infra', 'net'));
  const text = list(ws);
  assert.ok(text.includes(`
Permitted connectivity analyzed in secondary NAD net:
apps/py[Pod] => infra/pz[Pod] : All Connections
infra/pz[Pod] => apps/py[Pod] : All Connections
`), text);
  assert.ok(text.includes('apps/px[Pod]: \n\tPrimary Network: pod-network\napps/py[Pod]: '));
});

test('an ipBlock of a MultiNetworkPolicy selects a pod by the addresses its annotation asks for on that network', () => {
  const ws = workspace(nad('l2', 'default')
    + pod('server', 'default', '[{"name": "l2"}]')
    + pod('near', 'default', '[{"name": "l2", "ips": ["10.1.0.5/24"]}]')
    + pod('far', 'default', '[{"name": "l2", "ips": ["10.2.0.5/24"]}]') + `---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: near-only, annotations: {k8s.v1.cni.cncf.io/policy-for: default/l2}}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress: [{from: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{protocol: UDP, port: 53}]}]
`);
  const md = list(ws, 'md');
  assert.ok(md.includes('| default/near[Pod] | default/server[Pod] | UDP 53 | l2 | '), md);
  assert.ok(!md.includes('| default/far[Pod] | default/server[Pod] | UDP 53 | l2 |'), md);
  assert.ok(md.includes('| default/far[Pod] | default/server[Pod] | All Connections | pod-network | '), md);
});

test('under --focus-workload and --focus-conn the secondary rows are restricted like the others', () => {
  const ws = workspace(nad('net0', 'default') + pod('a', 'default', 'net0') + pod('b', 'default', 'net0') + pod('c', 'default', 'net0'));
  const report = connectivity(ws);
  const o = { reading: report.reading, focusWorkloads: ['a'] };
  const text = formatConnectivity(focusedReport(report, o), 'txt', focusedLayout(networkLayout(ws, report), o));
  const section = text.split('secondary NAD net0:\n')[1]!.split('\n\n')[0]!;
  assert.deepEqual(section.split('\n'), [
    'default/a[Pod] => default/b[Pod] : All Connections',
    'default/a[Pod] => default/c[Pod] : All Connections',
    'default/b[Pod] => default/a[Pod] : All Connections',
    'default/c[Pod] => default/a[Pod] : All Connections',
  ]);
  const focus = { protocol: 'TCP' as const, port: 80 };
  const focused = formatConnectivity(report, 'csv', networkLayout(ws, report), focus);
  assert.ok(focused.split('\n').includes('default/a[Pod],default/b[Pod],net0'), focused);
});

test('without a NetworkAttachmentDefinition the annotation changes nothing', () => {
  const ws = workspace(pod('a', 'default', 'net0') + pod('b', 'default', 'net0'));
  const report = connectivity(ws);
  assert.equal(networkLayout(ws, report), undefined);
  assert.equal(list(ws), [
    '0.0.0.0-255.255.255.255[External] => default/a[Pod] : All Connections',
    '0.0.0.0-255.255.255.255[External] => default/b[Pod] : All Connections',
    'default/a[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
    'default/a[Pod] => default/b[Pod] : All Connections',
    'default/b[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
    'default/b[Pod] => default/a[Pod] : All Connections',
  ].join('\n'));
});

function vm(name: string, network: string, eth1?: string): string {
  const volumes = eth1 === undefined ? '' : `
      volumes:
      - name: cloudinitdisk
        cloudInitNoCloud:
          networkData: |
            version: 2
            ethernets:
              eth0:
                dhcp4: true
              eth1:
                addresses: [ ${eth1} ]`;
  return `---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: ${name}, namespace: default}
spec:
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      networks:
      - {name: default, pod: {}}
      - {name: sec, multus: {networkName: ${network}}}${volumes}
`;
}

test('VirtualMachines join through their Multus networks; a MultiNetworkPolicy selects a VM only by an ipBlock of its cloud-init addresses', () => {
  const ws = workspace(nad('flat', 'default') + vm('vm-server', 'flat', '10.9.0.10/24') + vm('vm-near', 'flat', '10.9.0.11/24')
    + vm('vm-far', 'flat', '10.8.0.12/24') + vm('vm-elsewhere', 'default/flat') + `---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: server, namespace: default, annotations: {k8s.v1.cni.cncf.io/policy-for: flat}}
spec:
  podSelector: {matchLabels: {app: vm-server}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: vm-far}}}]
  - from: [{ipBlock: {cidr: 10.9.0.0/16}}]
    ports: [{protocol: TCP, port: 22}]
`);
  const text = list(ws);
  const section = text.split('secondary NAD flat:\n')[1]!.split('\n\n')[0]!.split('\n');
  assert.ok(section.includes('default/vm-near[VirtualMachine] => default/vm-server[VirtualMachine] : TCP 22'), text);
  // The podSelector peer does not select a VM; its address is outside the ipBlock.
  assert.ok(!section.some(l => l.startsWith('default/vm-far[VirtualMachine] => default/vm-server')), text);
  assert.ok(section.includes('default/vm-server[VirtualMachine] => default/vm-far[VirtualMachine] : All Connections'), text);
  // `default/flat` is looked up as a NAD name, as np-guard does: that VM is on no secondary network.
  assert.ok(!section.some(l => l.includes('vm-elsewhere')), text);
  assert.ok(text.includes('default/vm-elsewhere[VirtualMachine]: \n\tPrimary Network: pod-network\ndefault/vm-far'), text);
});
