/**
 * Legacy IP/CIDR API fields read as the API server reads them: k8s.io/utils/net ParseIPSloppy /
 * ParseCIDRSloppy (Go 1.16's parser) while StrictIPCIDRValidation is off. YAML in, findings,
 * hover facts and verdicts out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoverAt } from '../../src/core/hover/index';
import { parseCIDR, parseIPResult } from '../../src/core/net/ip';
import { connectivity, type PeerRef } from '../../src/core/net/policy/index';
import { explainPair } from '../../src/core/net/policy/explain';
import { checkFile } from '../../src/core/rules/run';
import { Workspace } from '../../src/core/workspace';

function load(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [f, t] of Object.entries(files)) ws.set(f, t);
  return ws;
}
const findings = (ws: Workspace, file: string) => checkFile(ws, file).map(f => `${f.rule}: ${f.message}`);
const hover = (ws: Workspace, file: string, text: string, value: string) => hoverAt(ws, file, text.indexOf(value) + 1)?.markdown ?? '';

test('legacy mode: leading zeros are decimal, any number of them, in octets and prefix; strict mode rejects them', () => {
  const cases: [string, string][] = [
    ['010.1.1.1/32', '10.1.1.1/32'], ['10.01.0.0/16', '10.1.0.0/16'], ['0010.0.0.0/8', '10.0.0.0/8'],
    ['10.1.1.1/032', '10.1.1.1/32'], ['::ffff:010.0.0.1/128', '::ffff:10.0.0.1/128'], ['2001:db8::00001/128', '2001:db8::1/128'],
  ];
  for (const [text, canonical] of cases) {
    const r = parseCIDR(text, 'legacy');
    assert.ok(r.ok, text);
    assert.equal(r.canonical, canonical, text);
    assert.equal(r.nonStandard, true, text);
    assert.equal(parseCIDR(text).ok, false, `${text} strict`);
  }
  // Still invalid for the sloppy parser: a value over 255, a group over 16 bits, an octal reading is never made.
  for (const t of ['256.1.1.1/32', '0256.1.1.1/32', '2001:db8::10000/128', '10.0.0.0/33', '10.0.0.0/0033', '1.2.3/8']) assert.equal(parseCIDR(t, 'legacy').ok, false, t);
  const ip = parseIPResult('010.096.000.010', 'legacy');
  assert.ok(ip.ok && ip.canonical === '10.96.0.10' && ip.nonStandard);
  // Standard forms are not flagged.
  const std = parseCIDR('10.0.0.0/8', 'legacy');
  assert.ok(std.ok && std.nonStandard === undefined);
});

const policy = (cidr: string, except: string[] = []) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: a}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: "${cidr}"${except.length ? `\n            except: [${except.map(e => `"${e}"`).join(', ')}]` : ''}
`;
const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a, labels: {app: p}}\nspec: {containers: [{name: c, image: nginx}]}\n';

test('ipBlock cidr and except with leading zeros: in force (not rejected), read as decimal, the hover says the API server warns', () => {
  const text = policy('010.0.0.0/8', ['010.001.0.0/16']);
  const ws = load({ 'np.yaml': text, 'pod.yaml': pod });
  // Only the API server's warning (ip-non-standard, below): nothing says rejected or invalid.
  assert.deepEqual(findings(ws, 'np.yaml').filter(f => !f.startsWith('ip-non-standard') && /rejected|invalid|except/.test(f)), []);
  assert.equal(ws.policies.length, 1, 'the policy is in force');
  const h = hover(ws, 'np.yaml', text, '010.0.0.0/8');
  assert.match(h, /accepts it with a warning .* reads it as `10\.0\.0\.0\/8`, leading zeros as decimal/);
  assert.match(h, /`StrictIPCIDRValidation` feature gate on \(alpha in Kubernetes 1\.33, off by default; beta and on by default from 1\.36\) it rejects it in a new or changed object/);
  assert.doesNotMatch(h, /Invalid/);
  // The verdicts: 10.0.0.0/8 minus 10.1.0.0/16 is reachable, the rest of the space is not.
  const conns = connectivity(ws).connections.filter(c => c.src.kind === 'workload').map(c => `${c.dst.id} : ${c.conns.toString()}`).sort();
  assert.deepEqual(conns, ['10.0.0.0-10.0.255.255[External] : All Connections', '10.2.0.0-10.255.255.255[External] : All Connections']);
});

test('ipBlock: a value invalid even to the sloppy parser is still rejected', () => {
  const text = policy('0256.0.0.0/8');
  const ws = load({ 'np.yaml': text, 'pod.yaml': pod });
  assert.ok(findings(ws, 'np.yaml').some(f => /0256\.0\.0\.0\/8.*greater than 255/.test(f)));
  assert.equal(ws.policies.length, 0);
});

test('Service clusterIP, externalIPs, loadBalancerSourceRanges and Node podCIDR (legacy fields) accept leading zeros; kubeadm configuration does not', () => {
  const svc = `apiVersion: v1
kind: Service
metadata: {name: s, namespace: a}
spec:
  type: LoadBalancer
  clusterIP: 010.096.0.50
  externalIPs: ["0192.0.2.7"]
  loadBalancerSourceRanges: ["0203.0.113.0/24"]
  ports: [{port: 80}]
---
apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDR: 010.244.1.0/24}
`;
  const cfg = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  serviceSubnet: 10.96.0.0/12\n  podSubnet: 010.244.0.0/16\n';
  const ws = load({ 's.yaml': svc, 'k.yaml': cfg });
  assert.deepEqual(findings(ws, 's.yaml').filter(f => /cidr-invalid|outside/.test(f)), []);
  assert.ok(findings(ws, 'k.yaml').some(f => /^cidr-invalid: .*010\.244\.0\.0\/16.*leading zero/.test(f)), 'component configuration is read strictly');
  assert.match(hover(ws, 's.yaml', svc, '010.096.0.50'), /reads it as `10\.96\.0\.50`/);
  assert.match(hover(ws, 's.yaml', svc, '0192.0.2.7'), /reads it as `192\.0\.2\.7`/);
  assert.match(hover(ws, 's.yaml', svc, '0203.0.113.0/24'), /reads it as `203\.0\.113\.0\/24`/);
  assert.match(hover(ws, 's.yaml', svc, '010.244.1.0/24'), /reads it as `10\.244\.1\.0\/24`/);
});

test('ipBlock except: ValidateIPBlock\'s strict-subset test, with Go\'s IPv4 reading of IPv4-mapped values', () => {
  // Go: cidrIPNet.Contains(except.IP) reads ::ffff:10.1.0.0 as 10.1.0.0; 8 < 112, so accepted.
  const accepted = load({ 'np.yaml': policy('10.0.0.0/8', ['::ffff:10.1.0.0/112']), 'pod.yaml': pod });
  assert.deepEqual(findings(accepted, 'np.yaml').filter(f => f.startsWith('ipblock-except')), []);
  assert.equal(accepted.policies.length, 1);
  // Written prefix lengths are compared: /104 is not shorter than /16.
  const rejected = load({ 'np.yaml': policy('::ffff:10.0.0.0/104', ['10.1.0.0/16']), 'pod.yaml': pod });
  assert.ok(findings(rejected, 'np.yaml').some(f => /except 10\.1\.0\.0\/16 is not a strict subset of cidr ::ffff:10\.0\.0\.0\/104 .*\/104 and \/16 compared/.test(f)), findings(rejected, 'np.yaml').join('\n'));
  assert.equal(rejected.policies.length, 0);
});

test('IPv4-mapped ipBlock: verdicts on the addresses of either reading say "may", the rest stay certain', () => {
  const text = policy('::ffff:10.0.0.0/104');
  const ws = load({ 'np.yaml': text, 'pod.yaml': pod });
  assert.equal(ws.policies.length, 1, 'accepted (with a warning)');
  const conns = connectivity(ws).connections.filter(c => c.src.kind === 'workload').map(c => c.dst.id).sort();
  // Both readings are counted as allowing (as "may" matches are), each range its own peer.
  assert.deepEqual(conns, ['10.0.0.0-10.255.255.255[External]', '::ffff:10.0.0.0-::ffff:10.255.255.255[External]'].sort());
  const src = connectivity(ws).connections.find(c => c.dst.id.startsWith('10.0.0.0'))!.src;
  const v4 = explainPair(ws, src, { kind: 'external', family: 4, first: 0x0a000000n, last: 0x0affffffn, id: '10.0.0.0-10.255.255.255[External]' } as PeerRef);
  assert.ok(v4.egress.contributions.every(c => c.mayMatch) && v4.egress.contributions.length === 1);
  assert.match(v4.text, /may or may not be allowed: Egress rule #1 of NetworkPolicy a\/out .*Go-based network plugins read it as IPv4/);
  const other = explainPair(ws, src, { kind: 'external', family: 4, first: 0x0b000000n, last: 0xffffffffn, id: '11.0.0.0-255.255.255.255[External]' } as PeerRef);
  assert.equal(other.egress.contributions.length, 0, 'outside both readings: denied, certainly');
  assert.doesNotMatch(other.text, /may or may not/);
  assert.match(hover(ws, 'np.yaml', text, '::ffff:10.0.0.0/104'), /reads it as the IPv4 `10\.0\.0\.0\/8`; other plugins may read it as written/);
});

test('IPv4-mapped except in an IPv4 block: the carved-out addresses are "may", the rest certain', () => {
  const ws = load({ 'np.yaml': policy('10.0.0.0/8', ['::ffff:10.1.0.0/112']), 'pod.yaml': pod });
  const src = connectivity(ws).connections.find(c => c.src.kind === 'workload')!.src;
  const at = (first: bigint, last: bigint) => explainPair(ws, src, { kind: 'external', family: 4, first, last, id: 'x' } as PeerRef).egress.contributions.map(c => c.mayMatch);
  assert.deepEqual(at(0x0a010000n, 0x0a01ffffn), [true]);
  assert.deepEqual(at(0x0a020000n, 0x0affffffn), [false]);
});

test('egress DNS through an IPv4-mapped ipBlock of the cluster DNS address: no "blocks DNS" finding', () => {
  const kubelet = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS: [10.96.0.10]\n';
  const np = policy('::ffff:10.96.0.10/128');
  const ws = load({ 'np.yaml': np, 'pod.yaml': pod, 'kubelet.yaml': kubelet });
  assert.deepEqual(checkFile(ws, 'np.yaml').filter(f => f.rule === 'netpol-egress-blocks-dns').map(f => f.message), []);
  const plain = load({ 'np.yaml': np.replace('::ffff:10.96.0.10/128', '10.97.0.10/32'), 'pod.yaml': pod, 'kubelet.yaml': kubelet });
  assert.equal(checkFile(plain, 'np.yaml').filter(f => f.rule === 'netpol-egress-blocks-dns').length, 1, 'the control case fires');
});

const rejected = ' (Kubernetes 1.33 to 1.35 warn; from 1.36, with the StrictIPCIDRValidation feature gate on by default, the API server rejects it in a new or changed object)';

test('ip-non-standard: the API server\'s warning for each legacy field, at the value, with its field path and a fix to what it says to use', () => {
  const np = policy('010.0.0.0/8', ['010.001.0.0/16']);
  const svc = `apiVersion: v1
kind: Service
metadata: {name: s, namespace: a}
spec:
  type: LoadBalancer
  clusterIP: 010.096.0.50
  externalIPs: ["::ffff:192.0.2.7", "2001:DB8::7"]
  loadBalancerIP: "fd00:0:0::1"
  loadBalancerSourceRanges: ["0203.0.113.0/24", "2001:db8:0::/48"]
  ports: [{port: 80}]
---
apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDR: 010.244.1.0/24}
`;
  const ws = load({ 'np.yaml': np, 's.yaml': svc });
  const of = (file: string) => checkFile(ws, file).filter(f => f.rule === 'ip-non-standard');
  assert.deepEqual(of('np.yaml').map(f => [f.severity, f.message]), [
    ['warning', `spec.egress[0].to[0].ipBlock.cidr: non-standard CIDR value "010.0.0.0/8" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"${rejected}`],
    ['warning', `spec.egress[0].to[0].ipBlock.except[0]: non-standard CIDR value "010.001.0.0/16" will be considered invalid in a future Kubernetes release: use "10.1.0.0/16"${rejected}`],
  ]);
  assert.deepEqual(of('s.yaml').map(f => f.message), [
    `spec.clusterIP: non-standard IP address "010.096.0.50" will be considered invalid in a future Kubernetes release: use "10.96.0.50"${rejected}`,
    `spec.externalIPs[0]: non-standard IP address "::ffff:192.0.2.7" will be considered invalid in a future Kubernetes release: use "192.0.2.7"${rejected}`,
    'spec.externalIPs[1]: IPv6 address "2001:DB8::7" should be in RFC 5952 canonical format ("2001:db8::7")',
    'spec.loadBalancerIP: IPv6 address "fd00:0:0::1" should be in RFC 5952 canonical format ("fd00::1")',
    `spec.loadBalancerSourceRanges[0]: non-standard CIDR value "0203.0.113.0/24" will be considered invalid in a future Kubernetes release: use "203.0.113.0/24"${rejected}`,
    'spec.loadBalancerSourceRanges[1]: IPv6 CIDR value "2001:db8:0::/48" should be in RFC 5952 canonical format ("2001:db8::/48")',
    `spec.podCIDR: non-standard CIDR value "010.244.1.0/24" will be considered invalid in a future Kubernetes release: use "10.244.1.0/24"${rejected}`,
  ]);
  // The exact range of the value (inside the quotes), and the fix writes what the API server says to use.
  const f = of('s.yaml')[1]!;
  assert.equal(svc.slice(f.span.start, f.span.end), '::ffff:192.0.2.7');
  assert.deepEqual(f.fixes.map(x => [x.title, x.preferred, x.edits[0]!.newText]), [['Replace with 192.0.2.7', true, '192.0.2.7']]);
  // Standard values, and component configuration (read strictly: cidr-invalid there), give none.
  const std = load({ 'np.yaml': policy('10.0.0.0/8'), 'k.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: "FD00::/48"\n' });
  assert.deepEqual([...checkFile(std, 'np.yaml'), ...checkFile(std, 'k.yaml')].filter(x => x.rule === 'ip-non-standard'), []);
});

test('cidr-host-bits in a legacy API field quotes the API server\'s "ambiguous" warning and offers both readings; component configuration only the network', () => {
  const ws = load({ 'np.yaml': policy('203.0.113.7/24'), 'k.yaml': 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: 10.244.0.1/16\n' });
  const [np] = checkFile(ws, 'np.yaml').filter(f => f.rule === 'cidr-host-bits');
  assert.equal(np!.message, `203.0.113.7/24 has host bits set after the /24 prefix; it means 203.0.113.0/24. The API server warns: spec.egress[0].to[0].ipBlock.cidr: CIDR value "203.0.113.7/24" is ambiguous in this context (should be "203.0.113.0/24" or "203.0.113.7/32"?)${rejected}`);
  assert.deepEqual(np!.fixes.map(x => [x.edits[0]!.newText, x.preferred === true]), [['203.0.113.0/24', true], ['203.0.113.7/32', false]]);
  const [k] = checkFile(ws, 'k.yaml').filter(f => f.rule === 'cidr-host-bits');
  assert.equal(k!.message, '10.244.0.1/16 has host bits set after the /16 prefix; it means 10.244.0.0/16');
  assert.equal(k!.fixes.length, 1);
});
