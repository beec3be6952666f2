/**
 * The address plan beyond what configures the cluster: ServiceCIDR objects (networking.k8s.io/v1,
 * GA in 1.33) are service ranges; Endpoints and EndpointSlice addresses and a Pod's status.podIPs are
 * addresses in use, which hovers on the ranges holding them name. YAML in, findings and hovers out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoverAt } from '../../src/core/hover/index';
import { addressPlan } from '../../src/core/net/ipam';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';

function load(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [f, t] of Object.entries(files)) ws.set(f, t);
  return ws;
}
const rules = (ws: Workspace, file: string, ...ids: string[]) => checkFile(ws, file).filter(f => ids.includes(f.rule)).map(f => `${f.rule}: ${f.message}`);
/** The hover's Markdown without its escapes (`\\(` is `(`), for matching. */
const hover = (ws: Workspace, file: string, text: string, value: string) => (hoverAt(ws, file, text.indexOf(value) + 1)?.markdown ?? '').replace(/\\(.)/g, '$1');

const kubeadm = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/16\n  podSubnet: 10.244.0.0/16\n';
const serviceCIDR = (name: string, ...cidrs: string[]) =>
  `apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: {name: ${name}}\nspec:\n  cidrs: [${cidrs.map(c => `"${c}"`).join(', ')}]\n`;
const service = (name: string, ip: string, extra = '') =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: a}\nspec:\n  clusterIP: ${ip}\n  selector: {app: x}\n  ports: [{port: 80}]\n${extra}`;

test('a ServiceCIDR is a service range: clusterIPs from it are inside, its other family is one the cluster has', () => {
  const svcs = `${service('extra', '10.100.0.20')}---\n${service('nowhere', '10.200.0.1')}---\n${service('dual', '10.96.0.30', '  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv4, IPv6]\n')}`;
  const ws = load({ 'kubeadm.yaml': kubeadm, 'cidr.yaml': serviceCIDR('extra', '10.100.0.0/16', 'fd00:10:100::/112'), 'svc.yaml': svcs });
  assert.deepEqual(rules(ws, 'svc.yaml', 'cluster-ip-outside-service-range', 'service-ip-family-mismatch'), [
    'cluster-ip-outside-service-range: clusterIP 10.200.0.1 is outside the service range 10.96.0.0/16, 10.100.0.0/16, fd00:10:100::/112',
  ]);
  const h = hover(ws, 'svc.yaml', svcs, '10.100.0.20');
  assert.match(h, /Inside the service range `10\.100\.0\.0\/16` \(cidr\.yaml:5, a ServiceCIDR\)\./);
  assert.doesNotMatch(h, /kubernetes. API Service/);
  const cidrText = serviceCIDR('extra', '10.100.0.0/16', 'fd00:10:100::/112');
  assert.match(hover(ws, 'cidr.yaml', cidrText, '10.100.0.0/16'), /\*\*Service range \(ServiceCIDR\)\*\* `10\.100\.0\.0\/16`[\s\S]*A ServiceCIDR: Services get clusterIPs from it \(up to 65,534\) as from the cluster's other service ranges \(`10\.96\.0\.0\/16`\)\./);
  // Control: without the ServiceCIDR, the first is outside and the cluster has no IPv6 service range.
  const without = load({ 'kubeadm.yaml': kubeadm, 'svc.yaml': svcs });
  assert.deepEqual(rules(without, 'svc.yaml', 'cluster-ip-outside-service-range', 'service-ip-family-mismatch').map(f => f.split(':')[0]),
    ['cluster-ip-outside-service-range', 'cluster-ip-outside-service-range', 'service-ip-family-mismatch']);
});

test('a ServiceCIDR alone does not say every range the cluster has: "outside" abstains, "inside" and overlaps do not', () => {
  const svcs = `${service('extra', '10.100.0.20')}---\n${service('other', '10.200.0.1')}`;
  const pods = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: 10.100.128.0/17\n';
  const ws = load({ 'cidr.yaml': serviceCIDR('extra', '10.100.0.0/16'), 'svc.yaml': svcs, 'proxy.yaml': pods });
  assert.deepEqual(rules(ws, 'svc.yaml', 'cluster-ip-outside-service-range'), []);
  assert.match(hover(ws, 'svc.yaml', svcs, '10.100.0.20'), /Inside the service range `10\.100\.0\.0\/16`/);
  const outside = hover(ws, 'svc.yaml', svcs, '10.200.0.1');
  assert.doesNotMatch(outside, /Outside the service range/);
  assert.match(outside, /Not inside the ServiceCIDR `10\.100\.0\.0\/16`; the cluster's own service range is not known/);
  // The pod range overlapping the ServiceCIDR is a fact of the two ranges.
  assert.deepEqual(rules(ws, 'cidr.yaml', 'pod-service-cidr-overlap').concat(rules(ws, 'proxy.yaml', 'pod-service-cidr-overlap')), [
    'pod-service-cidr-overlap: pod range (kube-proxy clusterCIDR) 10.100.128.0/17 overlaps service range (ServiceCIDR) 10.100.0.0/16',
  ]);
  const plan = addressPlan(ws);
  assert.deepEqual([plan.serviceRanges.length, plan.knownServiceRanges.map(e => e.value)], [0, ['10.100.0.0/16']]);
});

test('ServiceCIDR cidrs are read as IsValidCIDR reads them: leading zeros, host bits, a non-canonical IPv6 form are invalid, and no range', () => {
  const ws = load({ 'cidr.yaml': serviceCIDR('bad', '010.100.0.0/16', '10.101.0.1/16', 'FD00::/112') });
  assert.deepEqual(checkFile(ws, 'cidr.yaml').map(f => `${f.rule}: ${f.message}`), [
    'cidr-invalid: "010.100.0.0/16" is not a valid CIDR: its IPv4 address is invalid (octet "010" has a leading zero, which is ambiguous (octal to libc, decimal to the API server\'s sloppy parser) and is rejected by Go\'s net.ParseIP since Go 1.17 and by the API server once its StrictIPCIDRValidation feature gate is on (KEP-4858; before that it warns); write "10" if decimal was meant)',
    'cidr-invalid: "10.101.0.1/16" is not a valid ServiceCIDR cidr: it has bits set beyond the prefix length, which the API server rejects',
    'cidr-invalid: "FD00::/112" is not a valid ServiceCIDR cidr: it is not in canonical form ("fd00::/112"), which the API server rejects',
  ]);
  assert.deepEqual(addressPlan(ws).knownServiceRanges.filter(e => e.cidr), [], 'none is a range of the cluster');
  // Another group's ServiceCIDR is not this one.
  const other = load({ 'cidr.yaml': serviceCIDR('x', 'not-a-cidr').replace('networking.k8s.io/v1', 'example.com/v1') });
  assert.deepEqual(checkFile(other, 'cidr.yaml').map(f => f.rule), []);
});

const endpoints = `apiVersion: v1
kind: Endpoints
metadata: {name: legacy-db, namespace: a}
subsets:
  - addresses: [{ip: 203.0.113.5}]
    notReadyAddresses: [{ip: 010.244.3.7}]
    ports: [{port: 5432}]
`;
const slices = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: api-1, namespace: a, labels: {kubernetes.io/service-name: api}}
addressType: IPv4
endpoints:
  - addresses: [10.244.1.9]
ports: [{port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, namespace: a, labels: {kubernetes.io/service-name: ext}}
addressType: FQDN
endpoints:
  - addresses: [db.example.com]
`;
const pod = (name: string, status: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a}\nspec: {containers: [{name: c, image: i}]}\n${status}`;
const pods = [
  pod('p1', 'status:\n  podIP: 10.244.1.5\n  podIPs: [{ip: 10.244.1.5}, {ip: "fd00:10:244::5"}]\n'),
  ...['8', '9', '10'].map(n => pod(`p${n}`, `status: {podIP: 10.244.2.${n}}\n`)),
  pod('garbled', 'status: {podIP: "<none>"}\n'),
].join('---\n');
const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
`;

test('Endpoints, EndpointSlice and Pod status addresses: the ranges holding them say so in their hover', () => {
  const ws = load({ 'kubeadm.yaml': kubeadm, 'ep.yaml': endpoints, 'slices.yaml': slices, 'pods.yaml': pods, 'np.yaml': policy });
  const subnet = hover(ws, 'kubeadm.yaml', kubeadm, '10.244.0.0/16');
  assert.match(subnet, /\*\*Addresses in use\*\*/);
  assert.match(subnet, /- contains 4 Pod IPs \(status\.podIPs\): `10\.244\.1\.5` \(\[pods\.yaml:7\]\([^)]*\)\), `10\.244\.2\.8` \(\[pods\.yaml:13\][^)]*\)\), `10\.244\.2\.9` \([^)]*\)\), …and 1 more$/m);
  assert.match(subnet, /- contains the EndpointSlice address: `10\.244\.1\.9`/);
  // Endpoints addresses are a legacy field: 010.244.3.7 is 10.244.3.7 to the API server.
  assert.match(subnet, /- contains the Endpoints address: `010\.244\.3\.7`/);
  assert.doesNotMatch(subnet, /db\.example\.com|fd00/);
  // The ipBlock names the selector-less Service's external backend it lets the pods reach.
  assert.match(hover(ws, 'np.yaml', policy, '203.0.113.0/24'), /- contains the Endpoints address: `203\.0\.113\.5`/);
  // The addresses' own hovers: what they are and where they lie.
  const pod = hover(ws, 'pods.yaml', pods, '10.244.2.8');
  assert.match(pod, /^\*\*Pod IP \(status\.podIPs\)\*\* `10\.244\.2\.8`/);
  assert.match(pod, /A pod address\./);
  assert.match(pod, /is inside pod subnet \(kubeadm networking\.podSubnet\) `10\.244\.0\.0\/16`/);
});

test('Endpoints and EndpointSlice addresses are judged as the API server judges them; a Pod\'s status never (the API server drops it on create)', () => {
  const ws = load({ 'ep.yaml': endpoints, 'slices.yaml': slices, 'pods.yaml': pods });
  assert.deepEqual(rules(ws, 'ep.yaml', 'ip-non-standard', 'cidr-invalid'), [
    'ip-non-standard: subsets[0].notReadyAddresses[0].ip: non-standard IP address "010.244.3.7" will be considered invalid in a future Kubernetes release: use "10.244.3.7" (Kubernetes 1.33 to 1.35 warn; from 1.36, with the StrictIPCIDRValidation feature gate on by default, the API server rejects it in a new or changed object)',
  ]);
  assert.deepEqual(rules(ws, 'slices.yaml', 'ip-non-standard', 'cidr-invalid'), []);
  assert.deepEqual(checkFile(ws, 'pods.yaml').filter(f => /cidr|ip-/.test(f.rule)), []);
  assert.deepEqual(addressPlan(ws).entries.filter(e => e.role === 'podIP').map(e => e.value), ['10.244.1.5', 'fd00:10:244::5', '10.244.2.8', '10.244.2.9', '10.244.2.10', '<none>']);
});
