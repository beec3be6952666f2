/**
 * Legacy IP/CIDR API fields read as the API server reads them: k8s.io/utils/net ParseIPSloppy /
 * ParseCIDRSloppy (Go 1.16's parser) while StrictIPCIDRValidation is off. YAML in, findings,
 * hover facts and verdicts out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hoverAt } from '../../src/core/hover/index';
import { parseCIDR, parseIPResult } from '../../src/core/net/ip';
import { connectivity } from '../../src/core/net/policy/index';
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
  assert.deepEqual(findings(ws, 'np.yaml').filter(f => /rejected|invalid|except/.test(f)), []);
  assert.equal(ws.policies.length, 1, 'the policy is in force');
  const h = hover(ws, 'np.yaml', text, '010.0.0.0/8');
  assert.match(h, /accepts it with a warning .* reads it as `10\.0\.0\.0\/8`, leading zeros as decimal/);
  assert.match(h, /`StrictIPCIDRValidation` feature gate on \(alpha in Kubernetes 1\.33, off by default\) it rejects it/);
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
