import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { hoverAt } from '../../src/core/hover/index';
import {
  allowed, ConnectionSet, connectivity, explain, externalPeer, formatConnectivity,
  INGRESS_CONTROLLER, isolation, peerMatches, peersOf, policiesSelecting, workloadsSelectedBy, type PeerRef,
} from '../../src/core/net/policy/index';
import { blocks } from '../../src/core/net/policy/reach';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../../src/core/settings';
import { Workspace } from '../../src/core/workspace';

function workspace(yaml: string, settings: Partial<AnalysisSettings> = {}): Workspace {
  const ws = new Workspace({ ...DEFAULT_SETTINGS, ...settings });
  ws.set('test.yaml', yaml);
  return ws;
}

function dep(name: string, ns: string, labels: Record<string, string>, ports = ''): string {
  const l = Object.entries(labels).map(([k, v]) => `        ${k}: "${v}"`).join('\n') || '        {}';
  return `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: "${ns}"}
spec:
  selector: {matchLabels: {}}
  template:
    metadata:
      labels:
${l}
    spec:
      containers:
      - name: c
        image: x
${ports ? `        ports:\n${ports}` : ''}
`;
}

function ns(name: string, labels: Record<string, string> = {}): string {
  return `---
apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels: {${Object.entries(labels).map(([k, v]) => `${k}: "${v}"`).join(', ')}}
`;
}

function peer(ws: Workspace, id: string): PeerRef {
  const p = peersOf(ws).find(x => x.id === id);
  assert.ok(p, `no peer ${id} among ${peersOf(ws).map(x => x.id).join(', ')}`);
  return p;
}

function wl(ws: Workspace, id: string) {
  const p = peer(ws, id);
  assert.ok(p.kind === 'workload');
  return p.workload;
}

function conns(ws: Workspace, src: string, dst: string): string {
  return allowed(ws, peer(ws, src), peer(ws, dst)).toString();
}

const EXT = externalPeer(4, 0n, 0xffffffffn);

test('ConnectionSet: union, intersection and difference equal a port-by-port model on random sets', () => {
  // Ports 1-40 and 65500-65535 per protocol stand for the whole range's edges; a seeded generator.
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const protocols = ['SCTP', 'TCP', 'UDP'] as const;
  const probe = [...Array.from({ length: 40 }, (_, i) => i + 1), ...Array.from({ length: 36 }, (_, i) => 65500 + i)];
  const random = (): ConnectionSet => {
    let c = rnd(8) === 0 ? ConnectionSet.all() : ConnectionSet.none();
    for (let k = rnd(5); k > 0; k--) {
      const protocol = protocols[rnd(3)]!;
      const piece = rnd(6) === 0 ? ConnectionSet.protocol(protocol) : (() => {
        const first = rnd(2) ? rnd(40) + 1 : 65500 + rnd(36);
        return ConnectionSet.ports(protocol, first, first + rnd(12));
      })();
      c = rnd(4) === 0 ? c.subtract(piece) : c.union(piece);
    }
    return c;
  };
  const model = (c: ConnectionSet) => protocols.map(p => probe.map(port => c.allows(p, port)));
  for (let i = 0; i < 3000; i++) {
    const a = random();
    const b = random();
    const [ma, mb] = [model(a), model(b)];
    const each = (f: (x: boolean, y: boolean) => boolean) => ma.map((row, p) => row.map((x, k) => f(x, mb[p]![k]!)));
    assert.deepEqual(model(a.union(b)), each((x, y) => x || y), `${a} | ${b}`);
    assert.deepEqual(model(a.intersect(b)), each((x, y) => x && y), `${a} & ${b}`);
    assert.deepEqual(model(a.subtract(b)), each((x, y) => x && !y), `${a} - ${b}`);
    // Normal form: intervals sorted, disjoint and not adjacent; equal sets print alike.
    for (const c of [a.union(b), a.intersect(b), a.subtract(b)]) {
      for (const p of protocols) {
        const r = c.portRanges(p);
        r.forEach((x, k) => assert.ok(x.first <= x.last && (k === 0 || r[k - 1]!.last + 1 < x.first), `${c}`));
      }
      assert.equal(c.isAll(), c.toString() === 'All Connections');
    }
    assert.equal(a.union(b).toString(), b.union(a).toString());
    assert.ok(a.intersect(b).equals(b.intersect(a)));
  }
});

test('ConnectionSet: algebra and np-guard notation', () => {
  const tcp80 = ConnectionSet.ports('TCP', 80);
  assert.equal(ConnectionSet.all().toString(), 'All Connections');
  assert.equal(ConnectionSet.none().toString(), 'No Connections');
  assert.equal(ConnectionSet.all().subtract(tcp80).toString(), 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  const dns = ConnectionSet.ports('TCP', 10053, 10054).union(ConnectionSet.ports('UDP', 10053));
  assert.equal(dns.toString(), 'TCP 10053-10054,UDP 10053');
  assert.equal(ConnectionSet.ports('TCP', 1, 79).union(ConnectionSet.ports('TCP', 80, 65535)).union(ConnectionSet.protocol('UDP')).union(ConnectionSet.protocol('SCTP')).isAll(), true);
  assert.ok(dns.allows('UDP', 10053));
  assert.ok(!dns.allows('UDP', 10054));
  assert.ok(dns.intersect(tcp80).isEmpty());
  assert.ok(dns.subtract(dns).isEmpty());
  assert.ok(dns.equals(ConnectionSet.ports('UDP', 10053).union(ConnectionSet.ports('TCP', 10054)).union(ConnectionSet.ports('TCP', 10053))));
  assert.equal(ConnectionSet.ports('TCP', 9, 5).isEmpty(), true);
});

test('no policy: everything is allowed, including to and from outside the cluster', () => {
  const ws = workspace(dep('a', 'x', { app: 'a' }) + dep('b', 'x', { app: 'b' }));
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.equal(allowed(ws, EXT, peer(ws, 'x/a[Deployment]')).toString(), 'All Connections');
  assert.deepEqual(isolation(ws, wl(ws, 'x/a[Deployment]')), { ingress: [], egress: [] });
});

test('policyTypes defaulting: absent or empty means Ingress, plus Egress only when egress rules exist', () => {
  const base = dep('a', 'x', { app: 'a' }) + dep('b', 'x', { app: 'b' });
  const pol = (spec: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: a}}\n${spec}`;
  // No policyTypes, egress rules present: isolates both directions.
  let ws = workspace(base + pol('  egress:\n  - to: [{podSelector: {matchLabels: {app: b}}}]\n'));
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.equal(allowed(ws, peer(ws, 'x/a[Deployment]'), EXT).toString(), 'No Connections');
  assert.equal(conns(ws, 'x/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
  // No policyTypes and no egress: ingress only.
  ws = workspace(base + pol('  ingress: []\n'));
  assert.equal(allowed(ws, peer(ws, 'x/a[Deployment]'), EXT).toString(), 'All Connections');
  assert.equal(conns(ws, 'x/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
  // policyTypes: [] is defaulted like an absent field.
  ws = workspace(base + pol('  policyTypes: []\n'));
  assert.equal(conns(ws, 'x/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
  // policyTypes [Egress] without egress denies all egress; its ingress rules are ignored.
  ws = workspace(base + pol('  policyTypes: [Egress]\n  ingress: []\n'));
  assert.equal(conns(ws, 'x/a[Deployment]', 'x/b[Deployment]'), 'No Connections');
  assert.equal(conns(ws, 'x/b[Deployment]', 'x/a[Deployment]'), 'All Connections');
});

test('ingress: [{}] allows everything; from: [] is the same as an absent from; ingress: [] denies', () => {
  const base = dep('a', 'x', { app: 'a' }) + dep('b', 'y', { app: 'b' });
  const pol = (ingress: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress: ${ingress}\n`;
  for (const [ingress, expected] of [['[{}]', 'All Connections'], ['[{from: []}]', 'All Connections'], ['[{from: [], ports: []}]', 'All Connections'], ['[]', 'No Connections'], ['[{from: [], ports: [{port: 80}]}]', 'TCP 80']] as const) {
    const ws = workspace(base + pol(ingress));
    assert.equal(conns(ws, 'y/b[Deployment]', 'x/a[Deployment]'), expected, ingress);
    assert.equal(allowed(ws, EXT, peer(ws, 'x/a[Deployment]')).toString(), expected, ingress);
  }
});

test('podSelector {} selects every pod of the policy namespace and no other', () => {
  const ws = workspace(dep('a', 'x', { app: 'a' }) + dep('b', 'y', { app: 'b' }) +
    '---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: x}\nspec:\n  podSelector: {}\n');
  const pol = ws.policies[0]!;
  assert.deepEqual(workloadsSelectedBy(ws, pol).map(w => w.object.name), ['a']);
  assert.equal(conns(ws, 'x/a[Deployment]', 'y/b[Deployment]'), 'All Connections');
  assert.equal(conns(ws, 'y/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
});

test('namespaceSelector + podSelector in one peer is AND; in two items it is OR', () => {
  const pods = ns('prod', { env: 'prod' }) + ns('dev', { env: 'dev' }) + dep('db', 'data', { app: 'db' }) +
    dep('api', 'prod', { role: 'api' }) + dep('web', 'prod', { role: 'web' }) + dep('api', 'dev', { role: 'api' });
  const pol = (from: string) => `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: data}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n${from}`;
  const and = workspace(pods + pol('    - namespaceSelector: {matchLabels: {env: prod}}\n      podSelector: {matchLabels: {role: api}}\n'));
  assert.equal(conns(and, 'prod/api[Deployment]', 'data/db[Deployment]'), 'All Connections');
  assert.equal(conns(and, 'prod/web[Deployment]', 'data/db[Deployment]'), 'No Connections');
  assert.equal(conns(and, 'dev/api[Deployment]', 'data/db[Deployment]'), 'No Connections');
  const or = workspace(pods + pol('    - namespaceSelector: {matchLabels: {env: prod}}\n    - podSelector: {matchLabels: {role: api}}\n'));
  assert.equal(conns(or, 'prod/web[Deployment]', 'data/db[Deployment]'), 'All Connections');
  // The podSelector item alone means the policy's own namespace: dev/api is not in it.
  assert.equal(conns(or, 'dev/api[Deployment]', 'data/db[Deployment]'), 'No Connections');
  const peerAnd = and.policies[0]!.ingress![0]!.peers![0]!;
  assert.deepEqual(peerMatches(and, and.policies[0]!, peerAnd), { workloads: [wl(and, 'prod/api[Deployment]')], namespaces: ['prod'] });
});

test('namespaces implied by objects carry kubernetes.io/metadata.name; matchExpressions operators', () => {
  const pods = dep('db', 'data', { app: 'db' }) + dep('a', 'team-a', { tier: 'fe' }) + dep('b', 'team-b', { tier: 'be' }) + dep('c', 'team-c', {});
  const pol = (sel: string) => workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: data}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {}\n      podSelector:\n        matchExpressions: [${sel}]\n`);
  const ok = (ws: Workspace, who: string) => conns(ws, who, 'data/db[Deployment]') === 'All Connections';
  let ws = pol('{key: tier, operator: In, values: [fe, x]}');
  assert.deepEqual(['team-a/a', 'team-b/b', 'team-c/c'].map(w => ok(ws, `${w}[Deployment]`)), [true, false, false]);
  ws = pol('{key: tier, operator: NotIn, values: [fe]}');
  assert.deepEqual(['team-a/a', 'team-b/b', 'team-c/c'].map(w => ok(ws, `${w}[Deployment]`)), [false, true, true]);
  ws = pol('{key: tier, operator: Exists}');
  assert.deepEqual(['team-a/a', 'team-b/b', 'team-c/c'].map(w => ok(ws, `${w}[Deployment]`)), [true, true, false]);
  ws = pol('{key: tier, operator: DoesNotExist}');
  assert.deepEqual(['team-a/a', 'team-b/b', 'team-c/c'].map(w => ok(ws, `${w}[Deployment]`)), [false, false, true]);
  const byName = workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: data}\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: team-b}}\n`);
  assert.deepEqual(['team-a/a', 'team-b/b'].map(w => ok(byName, `${w}[Deployment]`)), [false, true]);
});

test('ports: TCP by default, UDP and SCTP tracked, endPort ranges; a policy with endPort below port is rejected, so not in force', () => {
  const pods = dep('a', 'x', { app: 'a' }) + dep('b', 'x', { app: 'b' });
  const pol = (ports: string) => workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: b}}\n  ingress:\n  - ports: ${ports}\n`);
  assert.equal(conns(pol('[{port: 53}, {port: 53, protocol: UDP}, {protocol: SCTP}]'), 'x/a[Deployment]', 'x/b[Deployment]'), 'SCTP 1-65535,TCP 53,UDP 53');
  assert.equal(conns(pol('[{port: 32000, endPort: 32768}]'), 'x/a[Deployment]', 'x/b[Deployment]'), 'TCP 32000-32768');
  assert.equal(conns(pol('[{port: 8080, endPort: 8000}]'), 'x/a[Deployment]', 'x/b[Deployment]'), 'All Connections');
  assert.equal(conns(pol('[{protocol: UDP}]'), 'x/a[Deployment]', 'x/b[Deployment]'), 'UDP 1-65535');
});

test('named ports resolve per destination pod; name and protocol must both match', () => {
  const pods = dep('client', 'x', { app: 'client' }) +
    dep('dns1', 'x', { app: 'dns' }, '        - {name: dns, containerPort: 53, protocol: UDP}\n        - {name: dns-tcp, containerPort: 53}\n') +
    dep('dns2', 'x', { app: 'dns' }, '        - {name: dns, containerPort: 5353, protocol: UDP}\n');
  const ingress = workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: dns}}\n  ingress:\n  - ports: [{port: dns, protocol: UDP}, {port: dns}]\n`);
  assert.equal(conns(ingress, 'x/client[Deployment]', 'x/dns1[Deployment]'), 'UDP 53');
  assert.equal(conns(ingress, 'x/client[Deployment]', 'x/dns2[Deployment]'), 'UDP 5353');
  // `{port: dns}` is TCP: no container port is named dns with TCP, so it adds nothing.
  const mismatch = workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: dns}}\n  ingress:\n  - ports: [{port: dns}]\n`);
  assert.equal(conns(mismatch, 'x/client[Deployment]', 'x/dns1[Deployment]'), 'No Connections');
  // Egress: the destination pod's container ports resolve the name; an address outside gets nothing.
  const egress = workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: client}}\n  policyTypes: [Egress]\n  egress:\n  - ports: [{port: dns, protocol: UDP}]\n`);
  assert.equal(conns(egress, 'x/client[Deployment]', 'x/dns1[Deployment]'), 'UDP 53');
  assert.equal(conns(egress, 'x/client[Deployment]', 'x/dns2[Deployment]'), 'UDP 5353');
  assert.equal(allowed(egress, peer(egress, 'x/client[Deployment]'), EXT).toString(), 'No Connections');
});

test('ipBlock with except: external peers cut at cidr-minus-except boundaries; adjacent excepts do not cut', () => {
  const pods = dep('a', 'x', { app: 'a' });
  const pol = (block: string) => workspace(pods + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{ipBlock: ${block}}]\n`);
  const ws = pol('{cidr: 10.0.0.0/8, except: [10.0.0.0/16, 10.1.0.0/16]}');
  assert.equal(formatConnectivity(connectivity(ws), 'txt'), [
    '10.2.0.0-10.255.255.255[External] => x/a[Deployment] : All Connections',
    'x/a[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
  ].join('\n'));
  assert.deepEqual(connectivity(ws).externalSources.map(p => p.id), [
    '0.0.0.0-10.1.255.255[External]', '10.2.0.0-10.255.255.255[External]', '11.0.0.0-255.255.255.255[External]',
  ]);
  // The external reading: an ipBlock never matches a pod, even 0.0.0.0/0.
  const all = workspace(pods + dep('b', 'x', { app: 'b' }) + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: a}}\n  ingress:\n  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n`);
  assert.equal(conns(all, 'x/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
  assert.equal(connectivity(all).reading, 'external');
});

test('ipBlock reading "all": a block holding the pod network matches pods, a partial overlap may', () => {
  const kubeadm = '---\napiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {podSubnet: 10.244.0.0/16}\n';
  const yaml = (cidr: string) => kubeadm + dep('a', 'x', { app: 'a' }) + dep('b', 'x', { app: 'b' }) +
    `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: a}}\n  ingress:\n  - from: [{ipBlock: {cidr: ${cidr}}}]\n`;
  const reading = { ipBlockReading: 'all' as const };
  const full = workspace(yaml('10.0.0.0/8'), reading);
  assert.equal(conns(full, 'x/b[Deployment]', 'x/a[Deployment]'), 'All Connections');
  assert.equal(connectivity(full).reading, 'all');
  const partial = workspace(yaml('10.244.1.0/24'), reading);
  assert.equal(conns(partial, 'x/b[Deployment]', 'x/a[Deployment]'), 'All Connections');
  const e = explain(partial, peer(partial, 'x/b[Deployment]'), peer(partial, 'x/a[Deployment]'));
  assert.equal(e.ingress.contributions[0]!.mayMatch, true);
  assert.match(e.text, /ipBlock reading: all/);
  const outside = workspace(yaml('192.168.0.0/16'), reading);
  assert.equal(conns(outside, 'x/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
  // Same manifests, external reading: pods never match.
  assert.equal(conns(workspace(yaml('10.0.0.0/8')), 'x/b[Deployment]', 'x/a[Deployment]'), 'No Connections');
  // Pod network unknown: only a whole-family block surely holds pod addresses; others may.
  const unknown = workspace(dep('a', 'x', { app: 'a' }) + dep('b', 'x', { app: 'b' }) + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: a}}\n  ingress:\n  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n`, reading);
  const u = explain(unknown, peer(unknown, 'x/b[Deployment]'), peer(unknown, 'x/a[Deployment]'));
  assert.equal(u.conns.toString(), 'All Connections');
  assert.equal(u.ingress.contributions[0]!.mayMatch, false);
  assert.equal(formatConnectivity(connectivity(unknown), 'txt').includes('x/b[Deployment] => x/a[Deployment] : All Connections'), true);
});

test('Pods with a controller ownerReference merge into their owner; others stay Pods', () => {
  const pod = (name: string, owner: string) => `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: x\n  labels: {app: web}\n${owner}spec:\n  containers: [{name: c, image: x}]\n`;
  const ws = workspace(
    pod('web-1', '  ownerReferences: [{kind: ReplicaSet, name: web-7d4, controller: true}]\n') +
    pod('web-2', '  ownerReferences: [{kind: ReplicaSet, name: web-7d4, controller: true}]\n') +
    pod('loose', '  ownerReferences: [{kind: ReplicaSet, name: other}]\n') +
    pod('bare', ''));
  assert.deepEqual(peersOf(ws).map(p => p.id), ['x/bare[Pod]', 'x/loose[Pod]', 'x/web-7d4[ReplicaSet]']);
  assert.equal(formatConnectivity(connectivity(ws), 'txt').split('\n').filter(l => l.startsWith('x/web-7d4')).length, 3);
});

test('ingress controller reaches a Service backend through a named targetPort, within policies', () => {
  const yaml = dep('web', 'shop', { app: 'web' }, '        - {name: http, containerPort: 8080}\n') + dep('other', 'shop', { app: 'other' }) + `---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {name: http}}}
`;
  const open = workspace(yaml);
  assert.equal(allowed(open, INGRESS_CONTROLLER, peer(open, 'shop/web[Deployment]')).toString(), 'TCP 8080');
  assert.equal(allowed(open, INGRESS_CONTROLLER, peer(open, 'shop/other[Deployment]')).toString(), 'No Connections');
  assert.ok(formatConnectivity(connectivity(open), 'txt').endsWith('{ingress-controller} => shop/web[Deployment] : TCP 8080'));
  const deny = (from: string) => workspace(yaml + `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [${from}]\n`);
  // A podSelector alone means the policy's namespace: the controller is not in it.
  assert.equal(allowed(deny('{podSelector: {}}'), INGRESS_CONTROLLER, peer(deny('{podSelector: {}}'), 'shop/web[Deployment]')).toString(), 'No Connections');
  const anyNs = deny('{namespaceSelector: {}}');
  assert.equal(allowed(anyNs, INGRESS_CONTROLLER, peer(anyNs, 'shop/web[Deployment]')).toString(), 'TCP 8080');
});

test('blocks names the blocking side and its policies; isolation and policiesSelecting', () => {
  const ws = workspace(dep('app', 'x', { app: 'app' }) + dep('db', 'x', { app: 'db' }) + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-in, namespace: x}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: app}}}]
    ports: [{port: 5432}]
`);
  const app = wl(ws, 'x/app[Deployment]');
  const db = wl(ws, 'x/db[Deployment]');
  assert.deepEqual(blocks(ws, app, db, 'TCP', 5432), []);
  assert.deepEqual(blocks(ws, app, db, 'TCP', 5433).map(b => [b.direction, b.policies.map(p => p.object.name)]), [['ingress', ['db-in']]]);
  assert.deepEqual(isolation(ws, db).ingress.map(p => p.object.name), ['db-in']);
  assert.deepEqual(isolation(ws, db).egress, []);
  assert.deepEqual(policiesSelecting(ws, app), []);
  const e = explain(ws, peer(ws, 'x/app[Deployment]'), peer(ws, 'x/db[Deployment]'));
  assert.equal(e.conns.toString(), 'TCP 5432');
  assert.equal(e.egress.isolated, false);
  assert.equal(e.ingress.contributions[0]!.ruleIndex, 0);
  assert.match(e.text, /Allowed TCP:\[5432\] due to the following policies and rules:\n\t\tEgress \(Allowed\) due to the system default \(Allow all\)\n\t\tIngress \(Allowed\)\n\t\t\tNetworkPolicy 'x\/db-in' allows connections by Ingress rule #1/);
  assert.deepEqual(e.why!.ingress.at('TCP', 5432).rules.rules.map(r => [r.tier, r.object?.name, r.rule === ws.policies[0]!.ingress![0]]), [['networkpolicy', 'db-in', true]]);
});

test('CLI connectivity: formats, reading note, exit codes', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const dir = `${__dirname}/../../../shared/corpus/connectivity/netpol-analysis-example-minimal/input`;
  assert.equal(await main(['connectivity', dir, '-o', 'csv'], io), 0);
  assert.equal(out.join('\n').split('\n')[0], 'src,dst,conn');
  assert.match(err.join('\n'), /ipBlock reading: external/);
  assert.equal(await main(['connectivity', dir, '-o', 'yaml'], io), 2);
  assert.equal(await main(['connectivity', dir, '--ipblock-reading', 'calico'], io), 2);
  assert.equal(await main(['connectivity', dir, '-o', 'json', '--explain'], io), 2);
  assert.equal(await main(['connectivity'], io), 2);
});

test('hovers: policy podSelector, peer selectors (AND spelled out), workload labels', () => {
  const yaml = dep('api', 'prod', { role: 'api' }) + dep('db', 'data', { app: 'db' }) + ns('prod', { env: 'prod' }) + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {env: prod}}
      podSelector: {matchLabels: {role: api}}
    ports: [{port: 5432}]
`;
  const ws = workspace(yaml);
  const at = (needle: string, from = 0) => hoverAt(ws, 'test.yaml', yaml.indexOf(needle, from) + 1)?.markdown ?? '';
  const policyAt = yaml.indexOf('kind: NetworkPolicy');
  const sel = at('app: db}}', policyAt);
  assert.match(sel, /selects 1 workload of namespace `data`/);
  assert.match(sel, /`data\/db\[Deployment\]`/);
  assert.match(sel, /isolates it for \*\*ingress\*\*/);
  const peerMd = at('env: prod}}', policyAt);
  assert.match(peerMd, /\*\*AND\*\*/);
  assert.match(peerMd, /`prod\/api\[Deployment\]`/);
  const labels = at('app: "db"');
  assert.match(labels, /Selected by:\n- `data\/db`/);
  assert.match(labels, /`prod\/api\[Deployment\]`: TCP 5432/);
  assert.match(labels, /Allowed out\*\*: everything/);
  assert.equal(hoverAt(ws, 'test.yaml', yaml.indexOf('ports: [{port: 5432}]') + 2), undefined);
});

test('policy hovers count in words: one workload is "it", one peer is "1 peer", none is said, and an ipBlock peer names its range', () => {
  const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cache, namespace: shop}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: "cache"}}
    spec: {containers: [{name: c, image: i}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
  - to:
    - ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.8/29]}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: cache}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cache, namespace: shop}
spec:
  podSelector: {matchLabels: {app: nothing-here}}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cache}}
  policyTypes: [Ingress]
`;
  const ws = workspace(yaml);
  const at = (needle: string) => hoverAt(ws, 'test.yaml', yaml.indexOf(needle) + 1)?.markdown ?? '';
  assert.match(at('app: api}}\n  policyTypes'), /selects 1 workload of namespace `shop` \(selector `app=api`\) and isolates it for \*\*ingress and egress\*\*/);
  assert.match(at('app: nothing-here'), /selects no workload of the workspace in namespace `shop` \(selector `app=nothing-here`\); the pods it selects are isolated for \*\*ingress\*\*/);
  const dns = at('kubernetes.io/metadata.name: kube-system');
  assert.match(dns, /Namespaces: _none in the workspace_\n\nWorkloads: _none in the workspace_$/);
  assert.equal(at('ipBlock'), '**Egress rule #2, peer #1** admits as destinations: the addresses in `203.0.113.0/24`, except `203.0.113.8/29`.\n\n'
    + 'ipBlock reading: external \\(an ipBlock matches only addresses outside the cluster, never a pod\\).');
  // cache may send to api (not isolated for egress), api admits cache: one peer in; api's egress lets nothing reach a workload.
  const labels = at('app: api}}\n    spec');
  assert.match(labels, /\*\*Allowed in\*\* \(1 peer\):\n- `shop\/cache\[Deployment\]`: All Connections/);
  assert.match(labels, /\*\*Allowed out\*\* \(2 peers\):\n- `203\.0\.113\.0-203\.0\.113\.7\[External\]`: All Connections\n- `203\.0\.113\.16-/);
  assert.match(labels, /both allow it\._/);
  const cache = at('app: "cache"');
  assert.match(cache, /\*\*Allowed in\*\*: nothing\n/);
});
