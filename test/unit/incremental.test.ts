/**
 * The address plan and the DNS references keep per-file parts across edits of other files. These
 * tests edit a long-lived workspace step by step (with every cache primed before each edit) and
 * compare each result with a workspace freshly built from the same texts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateWorkspace } from '../../bench/gen';
import { dnsReferences, dnsReferencesInFile, resolveReference, type DnsReference } from '../../src/core/net/dns';
import { addressPlan, planEntriesIn, planProblems, problemsAt, type PlanEntry, type PlanProblem, type ProblemCode } from '../../src/core/net/ipam';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { findService, servicesNamed } from '../../src/core/net/dns/service-index';
import { Workspace } from '../../src/core/workspace';

const CODES: readonly ProblemCode[] = [
  'cidr-invalid', 'cidr-host-bits', 'ipblock-except-outside-cidr', 'pod-service-cidr-overlap', 'cluster-ip-outside-service-range',
  'cluster-ip-duplicate', 'pool-outside-pod-cidr', 'ipblock-covers-cluster', 'service-ip-family-mismatch',
];

const entryView = (e: PlanEntry) => ({
  role: e.role, value: e.value, where: e.where, span: e.source?.span, canonical: e.canonical, error: e.error, blockSize: e.blockSize,
  object: e.source ? `${e.source.object.kind}/${e.source.object.namespace}/${e.source.object.name}` : undefined,
});
const problemView = (p: PlanProblem) => ({
  code: p.code, severity: p.severity, message: p.message, at: p.at ? [p.at.file, p.at.span, p.at.line] : undefined,
  entry: p.entry && entryView(p.entry), related: p.related.map(r => [entryView(r.entry), r.message]),
});
const objectKey = (o: { file: string; kind: string; namespace: string; name: string; span: { start: number } }) =>
  `${o.file}:${o.span.start}:${o.kind}/${o.namespace}/${o.name}`;

const sameObjects = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Everything the plan says, plus every object's problems per code as the rules ask for them. */
function planView(ws: Workspace) {
  const plan = addressPlan(ws);
  const at: Record<string, unknown> = {};
  for (const o of ws.objects) {
    for (const code of CODES) {
      const ps = problemsAt(ws, o, code);
      // problemsAt is the plan's list narrowed to one object and code, in the same order.
      assert.deepEqual(ps, planProblems(ws).filter(p => p.at?.object === o && p.code === code));
      if (ps.length) at[`${objectKey(o)} ${code}`] = ps.map(problemView);
    }
  }
  for (const f of ws.fileNames) {
    const own = plan.entries.filter(e => e.source?.file === f);
    assert.ok(sameObjects(planEntriesIn(ws, f), own), `plan entries of ${f}`);
  }
  return {
    entries: plan.entries.map(entryView),
    clusterPodRanges: plan.clusterPodRanges.map(entryView),
    podRanges: plan.podRanges.map(entryView),
    serviceRanges: plan.serviceRanges.map(entryView),
    nodePodCIDRs: plan.nodePodCIDRs.map(entryView),
    ipPools: plan.ipPools.map(entryView),
    clusterIPs: plan.clusterIPs.map(entryView),
    clusterDNS: plan.clusterDNS.map(entryView),
    ipBlocks: plan.ipBlocks.map(b => [objectKey(b.object), b.cidr && entryView(b.cidr), b.except.map(entryView)]),
    nodeMaskSize: plan.nodeMaskSize,
    problems: planProblems(ws).map(problemView),
    at,
  };
}

const refView = (ws: Workspace, r: DnsReference) => {
  const res = resolveReference(ws, r);
  return {
    file: r.file, span: r.span, portSpan: r.portSpan, host: r.host, port: r.port, namespace: r.namespace, source: r.source,
    key: r.key, form: r.form, object: objectKey(r.object), workloads: r.workloads.map(w => objectKey(w.object)),
    found: res.found, fqdn: res.fqdn, service: res.service && objectKey(res.service.object),
  };
};

function dnsView(ws: Workspace) {
  const all = dnsReferences(ws);
  assert.deepEqual(all, ws.fileNames.flatMap(f => dnsReferencesInFile(ws, f)));
  return all.map(r => refView(ws, r));
}

/** A workspace built from scratch with the same texts, in the same order. */
function fresh(ws: Workspace): Workspace {
  const out = new Workspace(ws.settings);
  for (const f of ws.fileNames) out.set(f, ws.get(f)!.manifest.text);
  return out;
}

function assertSame(ws: Workspace, step: string): void {
  const again = fresh(ws);
  assert.deepEqual(planView(ws), planView(again), `address plan after ${step}`);
  assert.deepEqual(dnsView(ws), dnsView(again), `DNS references after ${step}`);
}

/** Primes every cache the edit path fills, so the next edit runs against warm per-file parts. */
function prime(ws: Workspace): void {
  planView(ws);
  dnsView(ws);
}

const kubeadm = (pods: string, services: string) => `apiVersion: kubeadm.k8s.io/v1beta3
kind: ClusterConfiguration
networking:
  podSubnet: ${pods}
  serviceSubnet: ${services}
`;
const service = (name: string, ns: string, ip: string, families = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  clusterIP: ${ip}
${families}  selector:
    app: ${name}
  ports:
    - port: 80
`;
const app = (env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web:1
          env:
${env}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
data:
  UPSTREAM_HOST: cache
`;
const policy = (cidr: string, except: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress
  namespace: shop
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock:
            cidr: ${cidr}
            except: [${except}]
`;
const pool = (cidr: string) => `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: pool
spec:
  cidr: ${cidr}
`;

test('the address plan and DNS references after each edit equal a fresh build', () => {
  const ws = new Workspace();
  ws.set('cluster/kubeadm.yaml', kubeadm('10.244.0.0/16', '10.96.0.0/12'));
  ws.set('shop/db.yaml', service('db', 'shop', '10.96.0.10'));
  ws.set('shop/api.yaml', service('api', 'shop', '10.96.0.20', '  ipFamilies: [IPv6]\n'));
  ws.set('shop/web.yaml', app('            - name: DB_HOST\n              value: db\n            - name: CACHE\n              value: cache:6379\n'));
  ws.set('shop/policy.yaml', policy('10.0.0.0/8', '10.244.0.0/16, 192.168.0.0/16'));
  ws.set('cluster/pool.yaml', pool('10.250.0.0/16'));
  ws.set('shop/bad.yaml', service('bad', 'shop', '10.96.0.0'));
  assertSame(ws, 'the first build');
  const problems = () => planProblems(ws).map(p => p.code);
  assert.ok(problems().includes('ipblock-except-outside-cidr'));
  assert.ok(problems().includes('pool-outside-pod-cidr'));
  assert.ok(!problems().includes('cluster-ip-duplicate'));

  const steps: Array<[string, () => void]> = [
    ['a duplicate clusterIP in another file', () => ws.set('shop/api.yaml', service('api', 'shop', '10.96.0.10'))],
    ['an edit of a file without addresses', () => ws.set('shop/web.yaml', app('            - name: DB_HOST\n              value: db.shop\n'))],
    ['a changed service range', () => ws.set('cluster/kubeadm.yaml', kubeadm('10.96.0.0/16', '10.96.0.0/12'))],
    ['the duplicate removed', () => ws.set('shop/db.yaml', service('db', 'shop', '10.100.0.10'))],
    ['a Service named by a bare word appears', () => ws.set('shop/cache.yaml', service('cache', 'shop', '10.96.0.30'))],
    ['an invalid address', () => ws.set('shop/policy.yaml', policy('10.0.0.0/33', '${EXCEPT}'))],
    ['the cluster ranges deleted', () => { ws.delete('cluster/kubeadm.yaml'); }],
    ['settings with ranges', () => ws.updateSettings({ ...DEFAULT_SETTINGS, podCIDRs: ['10.250.0.0/16'], serviceCIDRs: ['10.96.0.0/16'], ipBlockReading: 'all' })],
    ['a pool edited under settings ranges', () => ws.set('cluster/pool.yaml', pool('10.251.0.0/16'))],
    ['the bare-word Service deleted', () => { ws.delete('shop/cache.yaml'); }],
    ['the cluster ranges back', () => ws.set('cluster/kubeadm.yaml', kubeadm('10.244.0.0/16', '10.96.0.0/12'))],
    ['a second definition of a Service', () => ws.set('shop/db-copy.yaml', service('db', 'shop', '10.96.0.40'))],
    ['the first definition moved after the second', () => { ws.delete('shop/db.yaml'); ws.set('shop/db.yaml', service('db', 'shop', '10.96.0.10')); }],
    ['a Service renamed', () => ws.set('shop/db-copy.yaml', service('Cache', 'shop', '10.96.0.40'))],
    ['an earlier file takes the name of a later file\'s Service', () => ws.set('shop/api.yaml', service('cache', 'shop', '10.96.0.50'))],
  ];
  for (const [step, edit] of steps) {
    prime(ws);
    edit();
    assertSame(ws, step);
  }
  assert.ok(planProblems(ws).some(p => p.code === 'cluster-ip-outside-service-range'));
});

test('the generated bench workspace gives the same plan and references after edits as a fresh build', () => {
  const bench = generateWorkspace(300);
  const ws = new Workspace();
  for (const f of bench.files) ws.set(f.path, f.text);
  assert.ok(addressPlan(ws).entries.length > 0);
  assert.ok(dnsReferences(ws).length > 0);
  for (const text of [bench.editTexts[1], bench.editTexts[0], bench.editTexts[1]]) {
    prime(ws);
    ws.set(bench.editFile, text);
    assertSame(ws, `an edit of ${bench.editFile}`);
  }
});

test('the DNS Service table updated in place across edits equals a fresh build', () => {
  const svc = (name: string, ns: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {ports: [{port: 80}]}\n`;
  const texts = new Map<string, string>();
  const ws = new Workspace();
  const write = (file: string, ...docs: string[]) => {
    texts.set(file, docs.join('---\n'));
    ws.set(file, texts.get(file)!);
  };
  const remove = (file: string) => {
    texts.delete(file);
    ws.delete(file);
  };
  const names = ['db', 'DB', 'api', 'cache', 'web', 'gone'];
  const namespaces = ['a', 'b', 'c', 'B', 'none'];
  const view = (w: Workspace) => names.map(n => [
    n,
    servicesNamed(w, n).map(s => `${s.object.file}:${s.object.span.start}:${s.object.namespace}/${s.object.name}`),
    namespaces.map(ns => {
      const s = findService(w, ns, n);
      return s && `${s.object.file}:${s.object.span.start}`;
    }),
  ]);
  const check = (step: string) => {
    const fresh = new Workspace();
    for (const f of ws.fileNames) fresh.set(f, texts.get(f)!);
    assert.deepEqual(view(ws), view(fresh), step);
  };
  for (let i = 0; i < 6; i++) write(`f${i}.yaml`, svc('db', 'abc'[i % 3]!), svc(i % 2 ? 'api' : 'cache', 'a'));
  const steps: Array<[string, () => void]> = [
    ['a keystroke that keeps the names', () => write('f2.yaml', svc('db', 'c'), svc('cache', 'a'), '# edited\n')],
    ['a Service renamed', () => write('f3.yaml', svc('web', 'a'), svc('api', 'a'))],
    ['a second Service of a name in one file', () => write('f1.yaml', svc('db', 'b'), svc('db', 'a'), svc('api', 'a'))],
    ['an upper-case name and namespace', () => write('f4.yaml', svc('DB', 'B'), svc('cache', 'a'))],
    ['a name emptied', () => write('f3.yaml', svc('api', 'a'))],
    ['several edits between two lookups', () => {
      write('f0.yaml', svc('web', 'b'));
      write('f5.yaml', svc('db', 'c'), svc('web', 'c'), svc('api', 'a'));
      write('f0.yaml', svc('db', 'a'), svc('web', 'b'));
    }],
    ['the first definition of a namespace removed from a file', () => write('f0.yaml', svc('web', 'b'))],
    ['a file deleted', () => remove('f1.yaml')],
    ['a file added at the end', () => write('f1.yaml', svc('db', 'a'), svc('gone', 'a'))],
    ['an edit after the add', () => write('f1.yaml', svc('db', 'b'))],
    ['an edit of a file before it', () => write('f2.yaml', svc('db', 'a'), svc('gone', 'c'))],
    ['the file with every name cleared', () => write('f2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: a}\n')],
  ];
  check('the first build');
  for (const [step, edit] of steps) {
    view(ws);
    edit();
    check(step);
  }
});
