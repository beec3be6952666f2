import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { hoverAt } from '../../src/core/hover/index';
import { noteText } from '../../src/core/hover/ipam';
import { addressPlan, describeAddress, planProblems, type AddressFactsOk } from '../../src/core/net/ipam';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';
import { CORPUS } from './corpus';

const EXAMPLES = path.resolve(__dirname, '../../examples');

function load(files: Record<string, string>, settings = DEFAULT_SETTINGS): Workspace {
  const ws = new Workspace(settings);
  for (const [f, t] of Object.entries(files)) ws.set(f, t);
  return ws;
}
const examples = () => {
  const ws = new Workspace();
  for (const f of ['cluster/kubeadm.yaml', 'policies/shop.yaml', 'shop/api.yaml']) ws.set(f, fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));
  return ws;
};
const ok = (ws: Workspace, text: string, role?: Parameters<typeof describeAddress>[2]): AddressFactsOk => {
  const f = describeAddress(ws, text, role);
  assert.ok(f.ok, `expected ${text} to parse`);
  return f;
};
const kubeadm = (net: string, extra = '') =>
  `apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n${extra}networking:\n${net}`;

test('plan of the demo workspace: ranges, where each is defined, and the one problem', () => {
  const ws = examples();
  const plan = addressPlan(ws);
  assert.deepEqual(plan.podRanges.map(e => [e.role, e.value, e.where]), [['podSubnet', '10.244.0.0/16', 'cluster/kubeadm.yaml:8']]);
  assert.deepEqual(plan.serviceRanges.map(e => [e.role, e.value, e.where]), [['serviceSubnet', '10.96.0.0/12', 'cluster/kubeadm.yaml:9']]);
  assert.deepEqual(plan.clusterDNS.map(e => e.canonical), ['10.96.0.10']);
  assert.deepEqual(plan.ipBlocks.map(b => [b.cidr?.value, b.cidr?.canonical, b.cidr?.hostBitsSet]), [['203.0.113.7/24', '203.0.113.0/24', true]]);
  assert.deepEqual(planProblems(ws).map(p => [p.code, p.at?.file, p.at?.line]), [['cidr-host-bits', 'policies/shop.yaml', 83]]);
  assert.deepEqual(plan.nodeMaskSize[4], { size: 24, where: undefined, source: undefined });
});

test('plan is cached per generation and rebuilt on change', () => {
  const ws = examples();
  const a = addressPlan(ws);
  assert.equal(addressPlan(ws), a);
  ws.set('extra.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {clusterIP: 10.96.0.50}\n');
  const b = addressPlan(ws);
  assert.notEqual(b, a);
  assert.deepEqual(b.clusterIPs.map(e => e.value), ['10.96.0.50']);
});

test('Calico: IPPool.spec.cidr and Installation.spec.calicoNetwork.ipPools[].cidr are both pools', () => {
  const ws = new Workspace();
  for (const f of ['ippool-sample.yaml', 'custom-resources.yaml']) {
    const p = path.join(CORPUS, 'apps/calico', f);
    ws.set(p, fs.readFileSync(p, 'utf8'));
  }
  const plan = addressPlan(ws);
  assert.deepEqual(
    plan.ipPools.map(e => [e.source!.object.kind, e.value, e.blockSize]).sort(),
    [['IPPool', '10.1.0.0/16', undefined], ['Installation', '192.168.0.0/16', 26]],
  );
  assert.deepEqual(plan.podRanges.map(e => e.value).sort(), ['10.1.0.0/16', '192.168.0.0/16']);
  assert.deepEqual(planProblems(ws), []);
  const pool = describeAddress(ws, '10.1.0.0/16', 'ipPool');
  assert.ok(pool.ok);
  assert.deepEqual(pool.notes, [{ kind: 'poolBlocks', blockSize: 26, fits: true, addressesPerBlock: 64n, blocks: 1024n }]);
  assert.match(pool.notes.map(noteText).join('\n'), /\/26 blocks \(64 addresses each\).*1,024 blocks/);
});

test('facts: IPv4 /0 and /32', () => {
  const ws = new Workspace();
  const all = ok(ws, '0.0.0.0/0');
  assert.deepEqual([all.network, all.mask, all.first, all.last, all.size], ['0.0.0.0', '0.0.0.0', '0.0.0.0', '255.255.255.255', 4294967296n]);
  const one = ok(ws, '10.0.0.1/32');
  assert.deepEqual([one.kind, one.mask, one.first, one.last, one.size], ['cidr', '255.255.255.255', '10.0.0.1', '10.0.0.1', 1n]);
  const ip = ok(ws, '10.0.0.1');
  assert.deepEqual([ip.kind, ip.cidr.prefix], ['ip', 32]);
});

test('facts: IPv6 /0 and /128 give 2^n and no dotted mask', () => {
  const ws = new Workspace();
  const all = ok(ws, '::/0');
  assert.equal(all.size, 1n << 128n);
  assert.equal(all.mask, undefined);
  assert.equal(all.last, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
  const one = ok(ws, '2001:db8::1/128');
  assert.deepEqual([one.size, one.first, one.last], [1n, '2001:db8::1', '2001:db8::1']);
});

test('facts: non-canonical input (host bits, upper-case IPv6)', () => {
  const ws = new Workspace();
  const hb = ok(ws, '10.1.2.3/16');
  assert.deepEqual([hb.hostBitsSet, hb.canonical, hb.network], [true, '10.1.0.0/16', '10.1.0.0']);
  const up = ok(ws, '2001:DB8:0:0::/32');
  assert.deepEqual([up.hostBitsSet, up.canonical], [false, '2001:db8::/32']);
  const bad = describeAddress(ws, '10.0.0.0/33');
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.error.includes('10.0.0.0/33'));
  assert.equal(describeAddress(ws, '10.0.0.0/8', 'clusterIP').ok, false, 'a clusterIP must be one address');
});

test('facts: adjacent blocks do not overlap; containment is reported with file:line', () => {
  const ws = load({ 'k.yaml': kubeadm('  podSubnet: 10.64.0.0/11\n  serviceSubnet: 10.96.0.0/12\n') });
  assert.deepEqual(ok(ws, '10.64.0.0/11').relations.map(r => [r.relation, r.entry.value]), [['equal', '10.64.0.0/11']]);
  assert.deepEqual(ok(ws, '10.95.255.255').relations.map(r => [r.relation, r.entry.value]), [['inside', '10.64.0.0/11']]);
  assert.deepEqual(ok(ws, '10.96.0.0').relations.map(r => [r.relation, r.entry.value, r.entry.where]), [['inside', '10.96.0.0/12', 'k.yaml:5']]);
  assert.deepEqual(ok(ws, '10.0.0.0/8').relations.map(r => r.relation), ['contains', 'contains']);
  assert.deepEqual(ok(ws, '10.112.0.0/12').relations, [], 'the next /12 after the service range');
  assert.deepEqual(planProblems(ws), []);
});

test('facts: node capacity from the default mask and from kubeadm extraArgs, IPv4 and IPv6', () => {
  const dual = load({ 'k.yaml': kubeadm('  podSubnet: 10.244.0.0/16,fd00:10:244::/56\n') });
  assert.match(ok(dual, '10.244.0.0/16', 'podSubnet').notes.map(noteText)[0]!, /256 nodes at \/24 .*256 addresses per node.*maxPods \(110/);
  assert.match(ok(dual, 'fd00:10:244::/56', 'podSubnet').notes.map(noteText)[0]!, /256 nodes at \/64 .*18,446,744,073,709,551,616 addresses per node/);
  const tuned = load({ 'k.yaml': kubeadm('  podSubnet: 10.244.0.0/16\n', 'controllerManager:\n  extraArgs:\n    node-cidr-mask-size-ipv4: "26"\n') });
  assert.match(ok(tuned, '10.244.0.0/16', 'podSubnet').notes.map(noteText)[0]!, /1,024 nodes at \/26 \(node-cidr-mask-size from k\.yaml:1\), 64 addresses/);
  assert.deepEqual(ok(dual, '10.244.0.0/16', 'podSubnet').notes[0], {
    kind: 'nodeBlocks', family: 4, mask: { size: 24, where: undefined, source: undefined }, nodes: 256n, addressesPerNode: 256n, maxPods: 110,
  });
  const tiny = load({ 'k.yaml': kubeadm('  podSubnet: 10.244.0.0/25\n') });
  assert.match(ok(tiny, '10.244.0.0/25', 'podSubnet').notes.map(noteText)[0]!, /cannot give any node a podCIDR/);
});

test('facts: clusterIP and clusterDNS meaning', () => {
  const ws = load({ 'k.yaml': kubeadm('  serviceSubnet: 10.96.0.0/12\n') });
  assert.match(ok(ws, '10.96.0.10', 'clusterIP').notes.map(noteText).join(' '), /Inside the service range[\s\S]*kube-dns/);
  const dns = ok(ws, '10.96.0.10', 'clusterDNS').notes;
  assert.deepEqual(dns.map(n => n.kind), ['inServiceRange', 'podNameserver']);
  assert.equal(dns[0]!.kind === 'inServiceRange' && dns[0]!.offset, 10n);
  assert.match(ok(ws, '10.96.0.1', 'clusterIP').notes.map(noteText).join(' '), /`kubernetes` API Service/);
  assert.match(ok(ws, '10.200.0.1', 'clusterIP').notes.map(noteText).join(' '), /Outside the service range.*rejects/);
  assert.match(ok(ws, '169.254.20.10', 'clusterDNS').notes.map(noteText).join(' '), /NodeLocal DNSCache/);
});

test('facts: ipBlock meaning follows the reading in force', () => {
  const files = { 'k.yaml': kubeadm('  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/12\n') };
  const ext = ok(load(files), '10.0.0.0/8', 'ipBlockCidr').notes.map(noteText).join(' ');
  assert.match(ext, /pods inside it are not matched by this peer/);
  assert.match(ext, /service range/);
  const all = ok(load(files, { ...DEFAULT_SETTINGS, ipBlockReading: 'all' }), '10.0.0.0/8', 'ipBlockCidr').notes.map(noteText).join(' ');
  assert.match(all, /also matches pod IPs/);
  assert.match(ok(load(files), '203.0.113.0/24', 'ipBlockCidr').notes.map(noteText).join(' '), /external addresses/);
});

test('facts: an ipBlock outside the known ranges claims only the ranges the workspace gives', () => {
  const note = (net: string) => ok(load({ 'k.yaml': kubeadm(net) }), '10.0.0.0/8', 'ipBlockExcept').notes.map(noteText).join(' ');
  assert.match(note('  podSubnet: 192.168.0.0/16\n  serviceSubnet: 172.16.0.0/12\n'), /Outside the cluster's pod and service ranges: external addresses\./);
  // 10.0.0.0/8 holds the usual Service range: without one, it is not called external.
  const podsOnly = note('  podSubnet: 192.168.0.0/16\n');
  assert.match(podsOnly, /Outside the cluster's pod range\. No service range is known .* so it may still hold Service IPs\./);
  assert.doesNotMatch(podsOnly, /external addresses/);
  assert.match(note('  serviceSubnet: 172.16.0.0/12\n'), /Outside the cluster's service range\. No pod range is known .* so it may still hold pod IPs\./);
});

test('settings supply ranges only when no manifest does', () => {
  const settings = { ...DEFAULT_SETTINGS, podCIDRs: ['10.96.0.0/16'], serviceCIDRs: ['10.96.0.0/12'] };
  const bareWs = load({}, settings);
  const bare = addressPlan(bareWs);
  assert.deepEqual(bare.podRanges.map(e => [e.role, e.where]), [['podCIDRSetting', 'setting kubeNetlens.podCIDRs']]);
  assert.deepEqual(planProblems(bareWs).map(p => [p.code, p.at]), [['pod-service-cidr-overlap', undefined]]);
  const defined = addressPlan(load({ 'k.yaml': kubeadm('  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.112.0.0/12\n') }, settings));
  assert.deepEqual(defined.podRanges.map(e => e.value), ['10.244.0.0/16']);
  assert.deepEqual(defined.serviceRanges.map(e => e.value), ['10.112.0.0/12']);
});

test('loadBalancerSourceRanges are address sources', () => {
  const ws = load({ 's.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: ["198.51.100.0/24", 10.0.0.1/8]\n' });
  const plan = addressPlan(ws);
  assert.deepEqual(plan.entries.map(e => [e.role, e.value, e.hostBitsSet]), [
    ['loadBalancerSourceRange', '198.51.100.0/24', false], ['loadBalancerSourceRange', '10.0.0.1/8', true],
  ]);
});

test('hover on podSubnet in examples/cluster/kubeadm.yaml gives the range facts', () => {
  const ws = examples();
  const text = ws.get('cluster/kubeadm.yaml')!.manifest.text;
  const offset = text.indexOf('10.244.0.0/16') + 3;
  const h = hoverAt(ws, 'cluster/kubeadm.yaml', offset);
  assert.ok(h);
  assert.equal(text.slice(h.span.start, h.span.end), '10.244.0.0/16');
  for (const s of ['`10.244.0.0/16`', 'mask `255.255.0.0`', 'first `10.244.0.0`, last `10.244.255.255`', '65,536 addresses', '256 nodes at /24', 'maxPods', 'No overlap with the service range `10.96.0.0/12`']) {
    assert.ok(h.markdown.includes(s), `hover has ${s}:\n${h.markdown}`);
  }
});

test('hover: each part of a dual-stack list, keys, unknown fields, invalid values', () => {
  const k = kubeadm('  podSubnet: "10.244.0.0/16, fd00:10:244::/56"\n');
  const ws = load({
    'k.yaml': k,
    'p.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostAliases:\n    - ip: 10.244.3.4\n  containers:\n    - name: c\n      env:\n        - {name: IP, value: 10.244.3.5}\n',
    'n.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: "`x`"}\n',
  });
  const v6 = hoverAt(ws, 'k.yaml', k.indexOf('fd00') + 2)!;
  assert.equal(k.slice(v6.span.start, v6.span.end), 'fd00:10:244::/56');
  assert.match(v6.markdown, /IPv6 network `fd00:10:244::`/);
  assert.match(v6.markdown, /4,722,366,482,869,645,213,696 \(2\^72\) addresses/);
  assert.equal(hoverAt(ws, 'k.yaml', k.indexOf('podSubnet') + 1), undefined, 'no hover on the key');
  const p = ws.get('p.yaml')!.manifest.text;
  const alias = hoverAt(ws, 'p.yaml', p.indexOf('10.244.3.4') + 1)!;
  assert.match(alias.markdown, /is inside pod subnet .*`10\.244\.0\.0\/16`/);
  assert.equal(hoverAt(ws, 'p.yaml', p.indexOf('10.244.3.5') + 1), undefined, 'an env value is not an address field');
  const n = ws.get('n.yaml')!.manifest.text;
  const bad = hoverAt(ws, 'n.yaml', n.indexOf('`x`') + 1)!;
  assert.match(bad.markdown, /Invalid:/);
  assert.ok(bad.markdown.includes('`` `x` ``'), 'the value is fenced, not interpreted');
});

test('cli: kube-netlens ipam prints ranges and problems; --json; usage errors exit 2', async () => {
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
  assert.equal(await main(['ipam', EXAMPLES], io), 0);
  const text = out.join('\n');
  assert.match(text, /10\.244\.0\.0\/16 .*kubeadm\.yaml:8 .*65,536 addresses, 256 nodes at \/24/);
  assert.match(text, /shop\.yaml:83:19 warning cidr-host-bits 203\.0\.113\.7\/24 has host bits set/);
  out.length = 0;
  assert.equal(await main(['ipam', EXAMPLES, '--json'], io), 0);
  const json = JSON.parse(out.join('\n'));
  assert.equal(json.serviceRanges[0].size, '1048576');
  assert.equal(json.problems[0].rule, 'cidr-host-bits');
  assert.equal(await main(['ipam', EXAMPLES, '--ipblock-reading', 'nope'], io), 2);
  assert.equal(await main(['ipam', EXAMPLES, '--service-cidr', '10.96.0.0/40'], io), 2);
  assert.equal(await main(['ipam'], io), 2);
});

test('spec audit: ipBlock values in non-standard forms say what the API server does with them (apimachinery IsValidCIDRForLegacyField)', () => {
  const policy = (cidrs: string[]) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: n, namespace: a}\nspec:\n  podSelector: {}\n  egress:\n${cidrs.map(c => `    - to: [{ipBlock: {cidr: "${c}"}}]`).join('\n')}\n`;
  const text = policy(['10.0.0.1/8', '::ffff:1.2.3.4/128', '::ffff:10.0.0.0/104', '0.0.0.0/0', '10.1.2.3/32', '::/0', '2001:DB8::1/128', '010.1.1.1/32']);
  const ws = load({ 'n.yaml': text, 'k.yaml': kubeadm('  podSubnet: 10.0.0.0/16\n') });
  const hover = (v: string) => hoverAt(ws, 'n.yaml', text.indexOf(`"${v}"`) + 2)!.markdown;
  const hostBits = hover('10.0.0.1/8');
  assert.match(hostBits, /host bits are set after \/8: it means `10\.0\.0\.0\/8`/);
  assert.match(hostBits, /The API server accepts it with a warning \(ambiguous: `10\.0\.0\.0\/8` or `10\.0\.0\.1\/32`\?\) and reads it as `10\.0\.0\.0\/8`; with the `StrictIPCIDRValidation` feature gate on .* it rejects it/);
  assert.match(hover('::ffff:1.2.3.4/128'), /IPv4-mapped IPv6 value: .*use `1\.2\.3\.4\/32`.*reads it as the IPv4 `1\.2\.3\.4\/32`; other plugins may read it as written \(IPv6\), so Kube NetLens says "may"/);
  assert.match(hover('::ffff:10.0.0.0/104'), /use `10\.0\.0\.0\/8`/);
  const all = hover('0.0.0.0/0');
  assert.match(all, /4,294,967,296 addresses/);
  assert.match(all, /contains pod subnet/);
  assert.doesNotMatch(all, /API server accepts/);
  assert.match(hover('10.1.2.3/32'), /- 1 address\n/);
  assert.match(hover('::/0'), /\(2\^128\) addresses/);
  const upper = hover('2001:DB8::1/128');
  assert.match(upper, /canonical form `2001:db8::1\/128`/);
  assert.doesNotMatch(upper, /API server accepts/);
  // Leading zeros: ParseCIDRSloppy reads them as decimal, with a warning; rejected only once StrictIPCIDRValidation is on.
  assert.match(hover('010.1.1.1/32'), /accepts it with a warning .*reads it as `10\.1\.1\.1\/32`.*StrictIPCIDRValidation/);
});
