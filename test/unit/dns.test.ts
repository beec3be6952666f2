import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { definitionAt } from '../../src/core/definition';
import { hoverAt } from '../../src/core/hover/index';
import {
  dnsNamesOf, dnsReferences, dnsReferencesInFile, lookupFqdn, podDnsNamesOf, resolveName, resolvePort, searchCandidates,
} from '../../src/core/net/dns/index';
import { extractHosts } from '../../src/core/net/dns/references';
import { Workspace } from '../../src/core/workspace';

/** A workspace of inline YAML files. */
function ws(files: Record<string, string>): Workspace {
  const w = new Workspace();
  for (const [f, t] of Object.entries(files)) w.set(f, t);
  return w;
}

const svc = (name: string, ns: string, spec: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}\n---\n`;
const deploy = (name: string, ns: string, labels: string, extra = '', replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {${labels}}
  template:
    metadata:
      labels: {${labels}}
    spec:
${extra}      containers:
        - name: c
          image: example/${name}:1.0
          ports:
            - name: http
              containerPort: 8080
---
`;

const CLUSTER = ws({
  'data.yaml':
    svc('db', 'data', '  clusterIP: None\n  selector: {app: db}\n  ports:\n    - name: pg\n      port: 5432')
    + `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: data
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: pg
          image: postgres:16
          ports:
            - name: pg
              containerPort: 5432
---
`
    + svc('api', 'data', '  selector: {app: api}\n  ipFamilies: [IPv6]\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n    - port: 9090')
    + deploy('api', 'data', 'app: api')
    + svc('empty', 'data', '  clusterIP: None\n  selector: {app: nothing}')
    + svc('zero', 'data', '  clusterIP: None\n  selector: {app: zero}')
    + deploy('zero', 'data', 'app: zero', '', 0)
    + svc('ext', 'data', '  type: ExternalName\n  externalName: db.example.com')
    + svc('manual', 'data', '  clusterIP: None\n  ports:\n    - port: 3306')
    + `apiVersion: v1
kind: Endpoints
metadata:
  name: manual
  namespace: data
subsets:
  - addresses:
      - ip: 192.0.2.10
        hostname: mysql-a
    notReadyAddresses:
      - ip: 192.0.2.11
        hostname: mysql-b
    ports:
      - port: 3306
---
`
    + svc('sub', 'data', '  clusterIP: None\n  selector: {app: pet}')
    + `apiVersion: v1
kind: Pod
metadata:
  name: pet
  namespace: data
  labels: {app: pet}
spec:
  hostname: my-pet
  subdomain: sub
  containers:
    - name: c
      image: busybox:1.36
`,
  'shop.yaml': deploy('web', 'shop', 'app: web')
    + deploy('hostnet', 'shop', 'app: hostnet', '      hostNetwork: true\n')
    + deploy('hostnet2', 'shop', 'app: hostnet2', '      hostNetwork: true\n      dnsPolicy: ClusterFirstWithHostNet\n')
    + deploy('nodedns', 'shop', 'app: nodedns', '      dnsPolicy: Default\n')
    + deploy('custom', 'shop', 'app: custom', '      dnsPolicy: None\n      dnsConfig:\n        nameservers: [10.96.0.10]\n        searches: [data.svc.corp.internal]\n        options:\n          - name: ndots\n            value: "2"\n')
    + deploy('extra', 'shop', 'app: extra', '      dnsConfig:\n        searches: [data.svc.corp.internal]\n        options:\n          - name: ndots\n            value: "1"\n'),
  'cluster.yaml': `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  dnsDomain: corp.internal
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
clusterDomain: corp.internal
clusterDNS: [10.96.0.10]
`,
});
const workload = (name: string) => CLUSTER.workloads.find(w => w.object.name === name)!;

test('the zone comes from the kubeadm ClusterConfiguration; default cluster.local otherwise', () => {
  assert.equal(CLUSTER.clusterDomain.value, 'corp.internal');
  assert.equal(ws({ 'a.yaml': svc('x', 'z', '  ports: [{port: 1}]') }).clusterDomain.value, 'cluster.local');
});

test('ClusterIP Service: A, or AAAA for an IPv6 Service; case-insensitive', () => {
  const a = lookupFqdn(CLUSTER, 'API.Data.SVC.corp.internal.');
  assert.equal(a.found, true);
  assert.equal(a.type, 'AAAA');
  assert.equal(a.target?.kind, 'Service');
  assert.deepEqual(a.workloads.map(w => w.object.name), ['api']);
  const v4 = ws({ 'a.yaml': svc('x', 'z', '  clusterIP: 10.0.0.5\n  ports: [{port: 1}]') });
  assert.equal(lookupFqdn(v4, 'x.z.svc.cluster.local').type, 'A');
});

test('SRV records exist for named ports only, with the port protocol', () => {
  const named = lookupFqdn(CLUSTER, '_http._tcp.api.data.svc.corp.internal');
  assert.equal(named.found, true);
  assert.equal(named.type, 'SRV');
  const udp = lookupFqdn(CLUSTER, '_http._udp.api.data.svc.corp.internal');
  assert.equal(udp.found, false);
  assert.match(udp.reason!, /no port named http with protocol UDP .*_http\._tcp/);
  const headless = lookupFqdn(CLUSTER, '_pg._tcp.db.data.svc.corp.internal');
  assert.equal(headless.type, 'SRV');
  assert.match(headless.note!, /one answer per ready pod/);
  const names = dnsNamesOf(CLUSTER, CLUSTER.service('data', 'api')!).map(n => `${n.type} ${n.name}`);
  assert.deepEqual(names, ['AAAA api.data.svc.corp.internal', 'SRV _http._tcp.api.data.svc.corp.internal']);
});

test('headless Service: A for the selected pods; no ready endpoints is NXDOMAIN with the reason', () => {
  const db = lookupFqdn(CLUSTER, 'db.data.svc.corp.internal');
  assert.equal(db.found, true);
  assert.deepEqual(db.workloads.map(w => `${w.kind}/${w.object.name}`), ['StatefulSet/db']);
  const empty = lookupFqdn(CLUSTER, 'empty.data.svc.corp.internal');
  assert.equal(empty.found, false);
  assert.match(empty.reason!, /selects no pods.*NXDOMAIN.*publishNotReadyAddresses/);
  const zero = lookupFqdn(CLUSTER, 'zero.data.svc.corp.internal');
  assert.equal(zero.found, false);
  assert.match(zero.reason!, /Deployment zero with replicas: 0/);
});

test('selector-less headless Service: ready Endpoints addresses and their hostnames', () => {
  assert.equal(lookupFqdn(CLUSTER, 'manual.data.svc.corp.internal').found, true);
  assert.equal(lookupFqdn(CLUSTER, 'mysql-a.manual.data.svc.corp.internal').found, true);
  const notReady = lookupFqdn(CLUSTER, 'mysql-b.manual.data.svc.corp.internal');
  assert.equal(notReady.found, false);
  assert.match(notReady.reason!, /has no endpoint with hostname mysql-b \(it has mysql-a\)/);
});

test('StatefulSet pods: <sts>-<i>.<serviceName> for ordinals 0..replicas-1 only', () => {
  const p2 = lookupFqdn(CLUSTER, 'db-2.db.data.svc.corp.internal');
  assert.equal(p2.found, true);
  assert.equal(p2.target?.kind, 'StatefulSet');
  assert.equal(p2.perPod?.ordinal, 2);
  const p3 = lookupFqdn(CLUSTER, 'db-3.db.data.svc.corp.internal');
  assert.equal(p3.found, false);
  assert.match(p3.reason!, /ordinals 0\.\.2 \(replicas: 3\)/);
  assert.deepEqual(podDnsNamesOf(CLUSTER, workload('db')).names.map(n => n.name),
    ['db-0.db.data.svc.corp.internal', 'db-1.db.data.svc.corp.internal', 'db-2.db.data.svc.corp.internal']);
});

test('StatefulSet per-pod names need the headless Service to exist, be headless and select the pods; ordinals.start shifts them', () => {
  const sts = (serviceName: string, extra = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kv, namespace: kvns}
spec:
  serviceName: ${serviceName}
  replicas: 2
${extra}  selector: {matchLabels: {app: kv}}
  template:
    metadata: {labels: {app: kv}}
    spec: {containers: [{name: c, image: kv}]}
`;
  const missing = ws({ 'a.yaml': sts('kv') });
  assert.match(podDnsNamesOf(missing, missing.workloads[0]!).reason!, /no Service kv in namespace kvns/);
  const clusterIP = ws({ 'a.yaml': svc('kv', 'kvns', '  selector: {app: kv}\n  ports: [{port: 1}]') + sts('kv') });
  assert.match(podDnsNamesOf(clusterIP, clusterIP.workloads[0]!).reason!, /not headless/);
  // CoreDNS answers endpoint names of a Service with a cluster IP too; the specification does not require them: "may".
  const viaClusterIP = lookupFqdn(clusterIP, 'kv-0.kv.kvns.svc.cluster.local');
  assert.equal(viaClusterIP.found, true);
  assert.equal(viaClusterIP.perPod?.ordinal, 0);
  assert.match(viaClusterIP.note!, /has a cluster IP, and the specification defines per-pod names for headless Services only: CoreDNS answers them .* kube-dns does not/);
  assert.match(lookupFqdn(clusterIP, 'kv-2.kv.kvns.svc.cluster.local').reason!, /ordinals 0\.\.1 \(replicas: 2\): there is no pod kv-2/);
  const other = ws({ 'a.yaml': svc('kv', 'kvns', '  clusterIP: None\n  selector: {app: other}') + sts('kv') });
  assert.match(podDnsNamesOf(other, other.workloads[0]!).reason!, /does not select these pods/);
  const shifted = ws({ 'a.yaml': svc('kv', 'kvns', '  clusterIP: None\n  selector: {app: kv}') + sts('kv', '  ordinals: {start: 5}\n') });
  assert.equal(lookupFqdn(shifted, 'kv-5.kv.kvns.svc.cluster.local').found, true);
  assert.equal(lookupFqdn(shifted, 'kv-6.kv.kvns.svc.cluster.local').found, true);
  assert.equal(lookupFqdn(shifted, 'kv-0.kv.kvns.svc.cluster.local').found, false);
});

test('pods with hostname + subdomain under a headless Service of that name', () => {
  const pet = lookupFqdn(CLUSTER, 'my-pet.sub.data.svc.corp.internal');
  assert.equal(pet.found, true);
  assert.equal(pet.target?.kind, 'Pod');
  assert.equal(pet.target?.name, 'pet');
  const none = ws({ 'a.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: kvns}\nspec:\n  hostname: h\n  subdomain: s\n  containers: [{name: c, image: i}]\n' });
  assert.match(podDnsNamesOf(none, none.workloads[0]!).reason!, /no Service s in namespace kvns/);
  assert.equal(lookupFqdn(none, 'h.s.kvns.svc.cluster.local').found, false);
});

test('pod A records: not in the specification since 1.1.0, CoreDNS answers them by its pods mode ("may"); IPv6 dashed; no leading zeros', () => {
  const p = lookupFqdn(CLUSTER, '10-244-1-7.shop.pod.corp.internal');
  assert.equal(p.found, true);
  assert.equal(p.type, 'A');
  assert.match(p.note!, /^may answer 10\.244\.1\.7: .*removed in schema 1\.1\.0.*pods option \(insecure: any IP.*disabled, CoreDNS's default: NXDOMAIN\).*cannot be known/);
  assert.equal(lookupFqdn(CLUSTER, '10-244-1-300.shop.pod.corp.internal').found, false);
  // CoreDNS reads dashes as colons unless there are exactly three and no `--` (plugin/kubernetes findPods).
  const v6 = lookupFqdn(CLUSTER, '2001-db8--1.shop.pod.corp.internal');
  assert.equal(v6.type, 'AAAA');
  assert.match(v6.note!, /may answer 2001:db8::1/);
  // Go's net.ParseIP rejects leading zeros since Go 1.17: NXDOMAIN, and the reason says why.
  const zero = lookupFqdn(CLUSTER, '010-244-1-7.shop.pod.corp.internal');
  assert.equal(zero.found, false);
  assert.match(zero.reason!, /without leading zeros/);
  assert.match(resolveName(CLUSTER, '010-244-1-7.shop.pod.corp.internal', 'shop').reason!, /without leading zeros/);
});

test('ExternalName: a CNAME, no ports, not selectable by NetworkPolicy', () => {
  const r = resolveName(CLUSTER, 'ext.data', 'shop');
  assert.equal(r.type, 'CNAME');
  assert.match(r.note!, /CNAME to db\.example\.com.*NetworkPolicy cannot select it/);
  const p = resolvePort(r, 5432);
  assert.deepEqual([p.exposed, p.direct], [true, true]);
  assert.equal(lookupFqdn(CLUSTER, '_x._tcp.ext.data.svc.corp.internal').found, false);
});

test('names that do not exist are NXDOMAIN with why', () => {
  assert.match(lookupFqdn(CLUSTER, 'nope.data.svc.corp.internal').reason!, /no Service nope in namespace data/);
  assert.match(lookupFqdn(CLUSTER, 'db.shop.svc.corp.internal').reason!, /no Service db in namespace shop; a Service db exists in namespace data \(write db\.data\)/);
  assert.match(lookupFqdn(CLUSTER, 'db.ghost.svc.corp.internal').reason!, /no object in the workspace is in that namespace/);
  assert.match(lookupFqdn(CLUSTER, 'db.data.corp.internal').reason!, /missing \.svc/);
  assert.equal(lookupFqdn(CLUSTER, 'data.svc.corp.internal').found, false);
  assert.match(lookupFqdn(CLUSTER, 'example.com').reason!, /outside the cluster zone/);
});

test('search path: a short name finds only the caller\'s namespace', () => {
  const same = resolveName(CLUSTER, 'db', 'data');
  assert.equal(same.fqdn, 'db.data.svc.corp.internal');
  assert.deepEqual(same.steps.map(s => s.candidate), ['db.data.svc.corp.internal']);
  const other = resolveName(CLUSTER, 'db', 'shop');
  assert.equal(other.found, false);
  assert.match(other.reason!, /db exists in namespace data \(write db\.data\)/);
  assert.deepEqual(other.steps.map(s => s.candidate),
    ['db.shop.svc.corp.internal', 'db.svc.corp.internal', 'db.corp.internal', 'db']);
  assert.equal(other.external, false);
});

test('search path: name.ns and name.ns.svc resolve through the second and first search domains', () => {
  const a = resolveName(CLUSTER, 'db.data', 'shop');
  assert.equal(a.fqdn, 'db.data.svc.corp.internal');
  assert.deepEqual(a.steps.map(s => s.found), [false, true]);
  const b = resolveName(CLUSTER, 'db.data.svc', 'shop');
  assert.equal(b.fqdn, 'db.data.svc.corp.internal');
  assert.equal(b.steps.length, 3);
});

test('search path: FQDNs, with a trailing dot absolute only, with ≥ ndots dots tried as is first', () => {
  const dot = resolveName(CLUSTER, 'db-0.db.data.svc.corp.internal.', 'shop');
  assert.deepEqual(dot.steps.map(s => s.candidate), ['db-0.db.data.svc.corp.internal']);
  assert.equal(dot.perPod?.ordinal, 0);
  const five = resolveName(CLUSTER, 'db-0.db.data.svc.corp.internal', 'shop');
  assert.deepEqual(five.steps.map(s => s.candidate), ['db-0.db.data.svc.corp.internal']);
  // Four dots < ndots 5: the search domains come first (and fail), the name as is last.
  const four = resolveName(CLUSTER, 'db.data.svc.corp.internal', 'shop');
  assert.deepEqual(four.steps.map(s => s.found), [false, false, false, true]);
  assert.deepEqual(searchCandidates('a.b', ['s1', 's2'], 1), ['a.b', 'a.b.s1', 'a.b.s2']);
  assert.deepEqual(searchCandidates('a', ['s1'], 1), ['a.s1', 'a']);
});

test('names outside the zone are external: upstream DNS answers them', () => {
  const r = resolveName(CLUSTER, 'payments.example.net', 'shop');
  assert.equal(r.found, false);
  assert.equal(r.external, true);
});

test('dnsPolicy Default and hostNetwork with ClusterFirst do not use cluster DNS; ClusterFirstWithHostNet does', () => {
  const d = resolveName(CLUSTER, 'db.data', 'shop', { workload: workload('nodedns') });
  assert.equal(d.found, false);
  assert.match(d.reason!, /dnsPolicy Default.*with dnsPolicy ClusterFirst it would resolve to db\.data\.svc\.corp\.internal/);
  const h = resolveName(CLUSTER, 'db.data', 'shop', { workload: workload('hostnet') });
  assert.equal(h.found, false);
  assert.match(h.reason!, /hostNetwork: true with dnsPolicy ClusterFirst falls back to Default/);
  const h2 = resolveName(CLUSTER, 'db.data', 'shop', { workload: workload('hostnet2') });
  assert.equal(h2.found, true);
});

test('dnsPolicy None uses dnsConfig only: its searches and ndots, cluster DNS when a nameserver is the kubelet clusterDNS', () => {
  const r = resolveName(CLUSTER, 'db', 'shop', { workload: workload('custom') });
  assert.equal(r.resolver.ndots, 2);
  assert.deepEqual(r.resolver.search, ['data.svc.corp.internal']);
  assert.equal(r.fqdn, 'db.data.svc.corp.internal');
  const unknown = ws({ 'a.yaml': deploy('x', 'other', 'app: x', '      dnsPolicy: None\n      dnsConfig:\n        nameservers: [1.1.1.1]\n') });
  const u = resolveName(unknown, 'x', 'other', { workload: unknown.workloads[0]! });
  assert.equal(u.found, false);
  assert.equal(u.unknown, true);
});

test('dnsConfig with ClusterFirst appends searches and overrides ndots', () => {
  const r = resolveName(CLUSTER, 'db', 'shop', { workload: workload('extra') });
  assert.equal(r.resolver.ndots, 1);
  assert.deepEqual(r.resolver.search, ['shop.svc.corp.internal', 'svc.corp.internal', 'corp.internal', 'data.svc.corp.internal']);
  assert.equal(r.fqdn, 'db.data.svc.corp.internal');
  // ndots:1: a dotted name is tried as is first.
  assert.equal(resolveName(CLUSTER, 'db.data', 'shop', { workload: workload('extra') }).steps[0]!.candidate, 'db.data');
});

test('a name asked by pods with different resolvers in one namespace resolves per resolver, in any order (answers are shared only between default resolvers)', () => {
  // 'db' from shop: only the `extra` pod's search list (data.svc.corp.internal) finds it.
  for (const order of [['web', 'extra', 'nodedns'], ['extra', 'nodedns', 'web'], ['nodedns', 'web', 'extra']]) {
    const fresh = ws(Object.fromEntries([...CLUSTER.fileNames].map(f => [f, CLUSTER.get(f)!.manifest.text])));
    const of = (name: string) => fresh.workloads.find(w => w.object.name === name)!;
    const got = Object.fromEntries(order.map(name => [name, resolveName(fresh, 'db', 'shop', { workload: of(name) })]));
    assert.deepEqual([got.web!.found, got.extra!.found, got.nodedns!.found], [false, true, false], order.join(' '));
    assert.equal(got.extra!.fqdn, 'db.data.svc.corp.internal');
    assert.equal(got.nodedns!.resolver.dnsPolicy, 'Default');
    assert.deepEqual(got.web!.resolver.search, ['shop.svc.corp.internal', 'svc.corp.internal', 'corp.internal']);
    // A default pod and no pod at all ask the same question: one answer.
    assert.equal(resolveName(fresh, 'db', 'shop'), got.web);
  }
});

test('resolvePort: exposed ports map to targetPort (named ports per workload); others are not exposed', () => {
  const r = resolveName(CLUSTER, 'api.data', 'shop');
  const p = resolvePort(r, 80);
  assert.deepEqual([p.exposed, p.direct, p.targetPort], [true, false, 'http']);
  assert.deepEqual(p.resolvedTargetPorts!.map(t => [t.workload.object.name, t.port]), [['api', 8080]]);
  assert.equal(resolvePort(r, 9090).targetPort, 9090);
  assert.deepEqual([resolvePort(r, 8080).exposed, resolvePort(r, 8080).direct], [false, false]);
  const h = resolvePort(resolveName(CLUSTER, 'db-0.db.data', 'shop'), 5432);
  assert.deepEqual([h.exposed, h.direct], [true, true]);
});

test('host extraction: URLs, JDBC, multi-host lists, flags, user@host, host:port', () => {
  const hosts = (v: string) => extractHosts(v).map(h => `${h.form}:${h.host}${h.port !== undefined ? `:${h.port}` : ''}`);
  assert.deepEqual(hosts('postgres://shop@db.data:5432/shop'), ['url:db.data:5432']);
  // Raw tokens: plain words (useSSL, false) are dropped later unless a Service has the name.
  assert.deepEqual(hosts('jdbc:mysql://mysql-0.mysql:3306/app?useSSL=false'), ['url:mysql-0.mysql:3306', 'name:useSSL', 'name:false']);
  assert.deepEqual(hosts('mongodb://a:1,b:2/db'), ['url:a:1', 'url:b:2']);
  // A list of URLs is not one multi-host URL: each URL's host, none named after the next scheme.
  assert.deepEqual(hosts('http://a.ns.svc:1,http://b.ns.svc:2,http://c.ns.svc:3'), ['url:a.ns.svc:1', 'url:b.ns.svc:2', 'url:c.ns.svc:3']);
  assert.deepEqual(hosts('etcd-0=http://etcd-0.etcd-headless:2380,etcd-1=http://etcd-1.etcd-headless:2380').filter(h => h.startsWith('url')),
    ['url:etcd-0.etcd-headless:2380', 'url:etcd-1.etcd-headless:2380']);
  assert.deepEqual(hosts('kafka-0.kafka:9092,kafka-1.kafka:9092'), ['hostport:kafka-0.kafka:9092', 'hostport:kafka-1.kafka:9092']);
  assert.ok(hosts('--bootstrap-server=kafka:9092').includes('hostport:kafka:9092'));
  assert.deepEqual(hosts('http://[fd00::1]:80/'), []);
  // URL authorities read by offsets: userinfo skipped, an out-of-range port dropped (the host kept),
  // empty and bracketed items skipped, each host and port at its exact offsets.
  const spans = (v: string) => extractHosts(v).map(h => `${h.host}@${h.start}${h.port !== undefined ? `:${h.port}@${h.portStart}-${h.portEnd}` : ''}`);
  assert.deepEqual(spans('mongodb://u:p@a.db:27017,b.db:99999,,[::1]:5,c.db/x'), ['a.db@14:27017@19-24', 'b.db@25', 'c.db@45']);
  assert.deepEqual(spans('redis://:secret@cache:6379'), ['cache@16:6379@22-26']);
  assert.deepEqual(spans('x://:80'), []);
  assert.ok(!hosts('nginx:1.25').some(h => h.startsWith('hostport')));
  assert.ok(!hosts('/var/lib/data:80').some(h => h.includes('data')));
});

const REFS = ws({
  'svc.yaml': svc('db', 'data', '  selector: {app: db}\n  ports: [{port: 5432}]')
    + svc('cache', 'shop', '  selector: {app: cache}\n  ports: [{port: 6379}]')
    + svc('web', 'shop', '  selector: {app: web}\n  ports: [{port: 80}]'),
  'app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          command: ["/bin/sh", "-c", "until nc -z db.data.svc.cluster.local 5432; do echo waiting for cache; sleep 1; done"]
          args: ["--cache", "cache", "--db=db.data:5432", "--level=info", "--debug=true"]
          envFrom:
            - configMapRef: {name: web-config}
          env:
            - name: DB
              value: "jdbc:postgresql://db.data:5432/app"
            - name: MODE
              value: cache
            - name: CACHE_HOST
              value: cache
            - name: PEERS
              value: 'cache:6379,db.data:5432'
            - name: VERSION
              value: 1.2.3
            - name: ADDR
              value: 10.0.0.1:80
            - name: LOCAL
              value: localhost:8080
            - name: ESCAPED
              value: "db.data\\u003a5432 is db.data:5432"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  CACHE_URL: redis://cache:6379/0
  app.properties: |
    spring.datasource.url=jdbc:postgresql://db.data:5432/app
    cache.host=cache
    greeting=hello cache
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  defaultBackend:
    service:
      name: web
      port: {number: 80}
`,
});

test('references: exact host and port spans in env, args, command, ConfigMap and Ingress; no noise', () => {
  const text = REFS.get('app.yaml')!.manifest.text;
  const refs = dnsReferencesInFile(REFS, 'app.yaml');
  const shown = refs.map(r => `${r.source}|${r.key ?? ''}|${text.slice(r.span.start, r.span.end)}${r.portSpan ? `:${text.slice(r.portSpan.start, r.portSpan.end)}` : ''}`);
  assert.deepEqual(shown, [
    'command|-c|db.data.svc.cluster.local:5432', // nc -z host port: the probe's port is read too
    'args|--cache|cache',
    'args|--db|db.data:5432',
    'env|DB|db.data:5432',
    'env|CACHE_HOST|cache',
    'env|PEERS|cache:6379',
    'env|PEERS|db.data:5432',
    // The escaped colon cannot be mapped to one port span: the host is still exact.
    'env|ESCAPED|db.data',
    'env|ESCAPED|db.data:5432',
    'configmap|CACHE_URL|cache:6379',
    'configmap|spring.datasource.url|db.data:5432',
    'configmap|cache.host|cache',
    'ingress||web:80',
  ]);
  for (const r of refs) {
    assert.equal(text.slice(r.span.start, r.span.end), r.host);
    if (r.port !== undefined) assert.equal(text.slice(r.portSpan!.start, r.portSpan!.end), String(r.port));
  }
  const cm = refs.find(r => r.source === 'configmap')!;
  assert.deepEqual(cm.workloads.map(w => w.object.name), ['web']);
  assert.equal(cm.namespace, 'shop');
  assert.equal(dnsReferences(REFS).length, refs.length);
  assert.equal(dnsReferencesInFile(REFS, 'app.yaml'), refs, 'cached per generation');
});

test('hover on a reference: FQDN, search steps, Service ports and the workloads behind it', () => {
  const text = REFS.get('app.yaml')!.manifest.text;
  const at = text.indexOf('db.data:5432/app') + 2;
  const h = hoverAt(REFS, 'app.yaml', at)!;
  assert.match(h.markdown, /`db\.data` → `db\.data\.svc\.cluster\.local` \(A\)/);
  assert.match(h.markdown, /Service `data\/db` \(ClusterIP\) — \[svc\\\.yaml:4\]\(command:kubeNetlens\.reveal\?/);
  assert.match(h.markdown, /Port `5432` → targetPort `5432`/);
  assert.match(h.markdown, /1\. `db\.data\.shop\.svc\.cluster\.local` NXDOMAIN/);
  assert.match(h.markdown, /2\. `db\.data\.svc\.cluster\.local` ✓ A/);
  assert.equal(text.slice(h.span.start, h.span.end), 'db.data');
});

test('hover on an unresolved name says why; on a Service name lists its names; definition jumps to the Service', () => {
  const w = ws({ 'a.yaml': svc('db', 'data', '  ports: [{name: pg, port: 5432}]') + deploy('x', 'shop', 'app: x').replace('containers:', 'containers:\n        - name: y\n          image: y\n          env: [{name: DB_HOST, value: "db:5432"}]') });
  const text = w.get('a.yaml')!.manifest.text;
  const h = hoverAt(w, 'a.yaml', text.indexOf('"db:5432"') + 1)!;
  assert.match(h.markdown, /\*\*does not resolve\*\* from namespace `shop`/);
  assert.match(h.markdown, /write db\\\.data/);
  const names = hoverAt(w, 'a.yaml', text.indexOf('name: db') + 6)!;
  assert.match(names.markdown, /`db\.data\.svc\.cluster\.local` A/);
  assert.match(names.markdown, /`_pg\._tcp\.db\.data\.svc\.cluster\.local` SRV/);
  const rt = REFS.get('app.yaml')!.manifest.text;
  const d = definitionAt(REFS, 'app.yaml', rt.indexOf('db.data:5432/app') + 1)!;
  assert.equal(d.locations[0]!.file, 'svc.yaml');
  assert.equal(REFS.get('svc.yaml')!.manifest.text.slice(d.locations[0]!.span.start, d.locations[0]!.span.end), 'db');
  assert.equal(REFS.get('svc.yaml')!.manifest.lines.position(d.locations[0]!.span.start).line + 1, 4);
});

test('hover on a StatefulSet name lists its per-pod names; per-pod names jump to the StatefulSet', () => {
  const text = CLUSTER.get('data.yaml')!.manifest.text;
  const stsName = text.indexOf('name: db', text.indexOf('kind: StatefulSet')) + 6;
  const h = hoverAt(CLUSTER, 'data.yaml', stsName)!;
  assert.match(h.markdown, /`db-0\.db\.data\.svc\.corp\.internal` A/);
  assert.match(h.markdown, /`db-2\.db\.data\.svc\.corp\.internal` A/);
  const w = ws({ ...Object.fromEntries([['data.yaml', text]]), 'use.yaml': deploy('u', 'shop', 'app: u').replace('containers:', 'containers:\n        - name: y\n          image: y\n          env: [{name: SEED, value: db-1.db.data.svc.cluster.local}]') });
  const ut = w.get('use.yaml')!.manifest.text;
  // The zone here is cluster.local (no kubeadm config in this workspace).
  const d = definitionAt(w, 'use.yaml', ut.indexOf('db-1.db') + 1)!;
  assert.equal(d.locations[0]!.file, 'data.yaml');
  assert.equal(text.slice(d.locations[0]!.span.start, d.locations[0]!.span.end), 'db');
  assert.ok(d.locations[0]!.span.start > text.indexOf('kind: StatefulSet'));
});

test('the demo workspace: every reference in examples/ resolves as its README says', () => {
  const root = path.resolve(__dirname, '../../examples');
  const w = new Workspace();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.yaml')) w.set(path.relative(root, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  const primary = resolveName(w, 'postgres-0.postgres.data.svc.cluster.local', 'shop');
  assert.deepEqual([primary.target?.kind, primary.perPod?.ordinal], ['StatefulSet', 0]);
  assert.equal(resolveName(w, 'postgres.data', 'shop').service?.headless, true);
});

// Adversarial cases checked against the kubernetes/dns specification and CoreDNS's kubernetes plugin
// (docs/dns.md, "Checked against the specification").

test('spec audit: an ExternalName naming an IP address is not resolved (NXDOMAIN); a relative CNAME target is not searched', () => {
  const w = ws({
    'a.yaml': svc('db', 'data', '  selector: {app: db}\n  ports: [{port: 5432}]')
      + svc('byip', 'shop', '  type: ExternalName\n  externalName: 192.0.2.7\n  ports: [{port: 5432}]')
      + svc('alias', 'shop', '  type: ExternalName\n  externalName: db.data')
      + svc('good', 'shop', '  type: ExternalName\n  externalName: db.data.svc.cluster.local.')
      + deploy('api', 'shop', 'app: api'),
  });
  const ip = resolveName(w, 'byip', 'shop');
  assert.equal(ip.found, false);
  assert.match(ip.reason!, /names the IP address 192\.0\.2\.7: externalName must be a DNS name.*NXDOMAIN/);
  assert.match(dnsNamesOf(w, w.services.find(s => s.object.name === 'byip')!)[0]!.detail, /none: 192\.0\.2\.7 is an IP address, not a CNAME target/);
  const alias = resolveName(w, 'alias', 'shop');
  assert.equal(alias.type, 'CNAME');
  assert.match(alias.note!, /CNAME target db\.data is absolute \(no search list applies to it\).*not as db\.data\.svc\.cluster\.local/);
  const good = resolveName(w, 'good', 'shop');
  assert.equal(good.type, 'CNAME');
  assert.doesNotMatch(good.note!, /absolute/);
  // No name under an ExternalName, and no SRV record (CoreDNS skips it for endpoint, port and protocol).
  assert.equal(lookupFqdn(w, 'x.alias.shop.svc.cluster.local').found, false);
});

test('spec audit: musl tries a name with >= ndots dots only as is; glibc searches it after trying it as is', () => {
  const w = ws({
    'a.yaml': svc('db', 'data', '  selector: {app: db}\n  ports: [{port: 5432}]')
      + deploy('lowdots', 'shop', 'app: lowdots', '      dnsConfig:\n        options:\n          - name: ndots\n            value: "1"\n'),
  });
  const low = w.workloads.find(x => x.object.name === 'lowdots')!;
  const r = resolveName(w, 'db.data', 'shop', { workload: low });
  assert.equal(r.found, true);
  assert.deepEqual(r.steps.map(s => s.candidate).slice(0, 2), ['db.data', 'db.data.shop.svc.cluster.local']);
  assert.match(r.note!, /has 1 dot \(ndots:1\): glibc tries it as is first, then the search list; musl libc \(Alpine images\) tries it only as is/);
  // With the default ndots:5 the same name is searched first by both: no caveat.
  assert.doesNotMatch(resolveName(w, 'db.data', 'shop').note ?? '', /musl/);
});

test('spec audit: the zone apex, svc.<zone> and an existing namespace\'s <ns>.svc.<zone> are NODATA, not NXDOMAIN', () => {
  const w = ws({ 'a.yaml': svc('db', 'data', '  selector: {app: db}\n  ports: [{port: 5432}]') });
  for (const n of ['cluster.local', 'svc.cluster.local', 'pod.cluster.local', 'data.svc.cluster.local']) {
    const a = lookupFqdn(w, n);
    assert.equal(a.found, false, n);
    assert.equal(a.nodata, true, n);
  }
  assert.equal(lookupFqdn(w, 'nowhere.svc.cluster.local').nodata, undefined);
  const r = resolveName(w, 'data.svc.cluster.local.', 'shop');
  assert.match(r.steps[0]!.outcome, /^NODATA \(the name exists, with no address\)/);
});

test('spec audit: a pod with hostname + subdomain under a ClusterIP Service: CoreDNS answers its endpoint name ("may"), the rule says why it is still wrong', () => {
  const w = ws({
    'a.yaml': svc('sub', 'data', '  selector: {app: pet}\n  ports: [{port: 80}]')
      + 'apiVersion: v1\nkind: Pod\nmetadata: {name: pet, namespace: data, labels: {app: pet}}\nspec:\n  hostname: my-pet\n  subdomain: sub\n  containers: [{name: c, image: i}]\n',
  });
  const a = lookupFqdn(w, 'my-pet.sub.data.svc.cluster.local');
  assert.equal(a.found, true);
  assert.equal(a.target?.kind, 'Pod');
  assert.match(a.note!, /specification defines per-pod names for headless Services only: CoreDNS answers them/);
  assert.equal(lookupFqdn(w, 'other.sub.data.svc.cluster.local').found, false);
  assert.match(lookupFqdn(w, 'other.sub.data.svc.cluster.local').reason!, /Service data\/sub has no endpoint with hostname other \(it has my-pet\); per-pod names are defined for headless Services/);
  assert.match(podDnsNamesOf(w, w.workloads[0]!).reason!, /not headless.*CoreDNS also answers <hostname>\.sub for its endpoints, kube-dns does not/);
});

test('spec audit: hand-written not-ready addresses are not published by publishNotReadyAddresses; the tolerate-unready annotation is a "may"', () => {
  const endpoints = `apiVersion: v1\nkind: Endpoints\nmetadata: {name: m, namespace: data}\nsubsets:\n  - notReadyAddresses: [{ip: 192.0.2.11, hostname: b}]\n    ports: [{port: 3306}]\n---\n`;
  const publish = ws({ 'a.yaml': svc('m', 'data', '  clusterIP: None\n  publishNotReadyAddresses: true\n  ports: [{port: 3306}]') + endpoints });
  const p = lookupFqdn(publish, 'm.data.svc.cluster.local');
  assert.equal(p.found, false);
  assert.match(p.reason!, /publishNotReadyAddresses does not publish hand-written not-ready addresses: the EndpointSlice mirroring controller keeps them ready: false/);
  const tolerate = ws({ 'a.yaml': svc('m', 'data', '  clusterIP: None\n  ports: [{port: 3306}]').replace('spec:', 'spec:').replace('  namespace: data\n', '  namespace: data\n  annotations: {service.alpha.kubernetes.io/tolerate-unready-endpoints: "true"}\n') + endpoints });
  const t = lookupFqdn(tolerate, 'm.data.svc.cluster.local');
  assert.equal(t.found, true);
  assert.match(t.note!, /may: its only addresses are not ready.*tolerate-unready-endpoints.*CoreDNS serves only endpoints marked ready/);
});

test('spec audit: a bare Pod\'s name under its headless Service resolves only with CoreDNS endpoint_pod_names ("may")', () => {
  const w = ws({
    'a.yaml': svc('hl', 'data', '  clusterIP: None\n  selector: {app: solo}')
      + 'apiVersion: v1\nkind: Pod\nmetadata: {name: solo-pod, namespace: data, labels: {app: solo}}\nspec:\n  containers: [{name: c, image: i}]\n',
  });
  const a = lookupFqdn(w, 'solo-pod.hl.data.svc.cluster.local');
  assert.equal(a.found, true);
  assert.equal(a.target?.kind, 'Pod');
  assert.match(a.note!, /^may: only CoreDNS's endpoint_pod_names option \(off by default\)/);
  assert.equal(lookupFqdn(w, 'other.hl.data.svc.cluster.local').found, false);
});

test('spec audit: the hover says where the zone comes from; a <svc>.<ns>.svc.<other zone> name may resolve when the zone is only assumed', () => {
  const caller = deploy('api', 'shop', 'app: api').replace('containers:', 'containers:\n        - name: y\n          image: y\n          env:\n            - {name: A, value: "db.data:5432"}\n            - {name: B, value: "db.data.svc.acme.internal:5432"}\n            - {name: REDIS_IMAGE, value: "db:7"}');
  const w = ws({ 'a.yaml': svc('db', 'data', '  selector: {app: db}\n  ports: [{port: 5432}]') + svc('db', 'shop', '  selector: {app: db}\n  ports: [{port: 5432}]') + caller });
  const text = w.get('a.yaml')!.manifest.text;
  const a = hoverAt(w, 'a.yaml', text.indexOf('db.data:5432') + 1)!;
  assert.match(a.markdown, /zone `cluster\.local` assumed: no kubelet clusterDomain in the workspace, from the `kubeNetlens\.clusterDomain` setting/);
  const b = hoverAt(w, 'a.yaml', text.indexOf('db.data.svc.acme') + 1)!;
  assert.match(b.markdown, /\*\*may resolve\*\* from namespace `shop`: the manifests cannot decide/);
  assert.match(b.markdown, /names Service data\/db if the cluster domain is acme\\\.internal/);
  // An image reference under an image key is not a host and port.
  assert.equal(dnsReferencesInFile(w, 'a.yaml').some(r => r.key === 'REDIS_IMAGE'), false);
  // With the zone in a manifest, the hover names it and a foreign zone is external.
  const k = ws({ 'a.yaml': text, 'k.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDomain: corp.internal\n' });
  assert.match(hoverAt(k, 'a.yaml', text.indexOf('db.data:5432') + 1)!.markdown, /zone `corp\.internal` from KubeletConfiguration/);
});

test('spec audit: setHostnameAsFQDN: the hover on hostname gives the pod\'s own FQDN, and says when it passes the 64 characters Linux allows', () => {
  const pod = (name: string, host: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: data, labels: {app: ${name}}}\nspec:\n  hostname: ${host}\n  subdomain: hl\n  setHostnameAsFQDN: true\n  containers: [{name: c, image: i}]\n---\n`;
  const long = 'a-rather-long-hostname-for-this-particular-pod';
  const w = ws({ 'a.yaml': svc('hl', 'data', '  clusterIP: None\n  selector: {tier: x}') + pod('short', 'web') + pod('long', long) });
  const text = w.get('a.yaml')!.manifest.text;
  const short = hoverAt(w, 'a.yaml', text.indexOf('hostname: web') + 11)!;
  assert.match(short.markdown, /setHostnameAsFQDN: the pod's own hostname is `web\.hl\.data\.svc\.cluster\.local` \(29 of the 64 characters Linux allows\)/);
  const tooLong = hoverAt(w, 'a.yaml', text.indexOf(`hostname: ${long}`) + 11)!;
  assert.match(tooLong.markdown, /\(72 characters\): Linux allows 64, so the pod does not start/);
});

test('a Service whose selector matches no workload of the workspace: the answer says pods may come from elsewhere, not that connections fail for sure', () => {
  const w = ws({ 'a.yaml': svc('db', 'x', '  selector: {app: db}\n  ports: [{port: 5432}]') + deploy('web', 'x', 'app: web') });
  const r = resolveName(w, 'db', 'x');
  assert.equal(r.found, true);
  assert.equal(r.note, 'its selector matches no workload in the workspace: unless pods made elsewhere match it, it has no endpoints and connections fail');
});
