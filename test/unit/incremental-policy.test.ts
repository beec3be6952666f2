/**
 * The policy verdicts the rules and the diagram ask for between two workloads (`blocks`) come from
 * a model scoped to the two namespaces, kept across edits to other namespaces. These tests compare
 * every verdict with the whole-workspace engine (`explain`), and check what an edit keeps.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { boutique } from '../../bench/corpus';
import { generateWorkspace } from '../../bench/gen';
import { explain } from '../../src/core/net/policy/index';
import { explainPair } from '../../src/core/net/policy/explain';
import { modelOf, namespacePeers, sameCompiledModel, scopedModelOf, type CompiledPolicy, type Model } from '../../src/core/net/policy/model';
import { whyPair } from '../../src/core/net/policy/why';
import { workloadPeers } from '../../src/core/net/policy/peers';
import type { Workload } from '../../src/core/parse/views/workload';
import { adminPolicies } from '../../src/core/net/policy/admin';
import { thirdPartyPolicies } from '../../src/core/net/policy/thirdparty';
import { userDefinedNetworks } from '../../src/core/net/policy/networks';
import { secondaryNetworks } from '../../src/core/net/policy/secondary';
import { duplicatesOf } from '../../src/core/rules/support/duplicates';
import { blocks, evaluatedAsItself, governedByPolicy, peerOf, verdictUncertain } from '../../src/core/net/policy/reach';
import type { Protocol } from '../../src/core/parse/views/protocol';
import { surelySameNamespace, Workspace } from '../../src/core/workspace';
import { CORPUS, filesUnder } from './corpus';

/** What the whole-workspace engine says blocks the pair (the definition `blocks` must agree with). */
function blocksByWholeEngine(ws: Workspace, src: Parameters<typeof blocks>[1], dst: Parameters<typeof blocks>[2], protocol: Protocol, port: number) {
  if (!governedByPolicy(src) || !governedByPolicy(dst)) return [];
  if (!evaluatedAsItself(ws, src) || !evaluatedAsItself(ws, dst)) return [];
  if (verdictUncertain(ws, src, 'egress', true) || verdictUncertain(ws, dst, 'ingress', true)) return [];
  const why = explain(ws, peerOf(src), peerOf(dst)).why;
  if (!why) return [];
  const out: Array<{ direction: 'egress' | 'ingress'; policies: unknown[]; reason: readonly unknown[]; dependsOnCni?: true }> = [];
  for (const [direction, verdicts] of [['egress', why.egress], ['ingress', why.ingress]] as const) {
    const seg = verdicts.at(protocol, port);
    if (seg.allowed || seg.rules.onlyDefault()) continue;
    const deciding = new Set(seg.rules.rules.filter(r => r.kind === 'NetworkPolicy').map(r => r.object));
    const policies = ws.policies.filter(p => deciding.has(p.object));
    // The same judgement blocks() adds on top of the verdict: a sure namespace, and the CNI's reading.
    const subject = direction === 'egress' ? src : dst;
    if (!policies.some(p => surelySameNamespace(p.object, subject.object))) continue;
    const all = ws.settings.ipBlockReading === 'external' ? explainPair(ws, peerOf(src), peerOf(dst), 'all') : undefined;
    // The reason is the deciding rules of the port in the whole engine's explanation object.
    const reason = seg.rules.rules;
    out.push(all && all[direction].conns.allows(protocol, port) ? { direction, policies, reason, dependsOnCni: true } : { direction, policies, reason });
  }
  return out;
}

let blocked = 0;

function assertSameVerdicts(ws: Workspace, label: string, limit = 4000): number {
  const workloads = ws.workloads.filter(w => w.object.name);
  let compared = 0;
  for (const src of workloads) {
    for (const dst of workloads) {
      if (compared >= limit) return compared;
      for (const [protocol, port] of [['TCP', 80], ['TCP', 8080], ['UDP', 53]] as const) {
        const b = blocks(ws, src, dst, protocol, port);
        if (b.length) blocked++;
        assert.deepEqual(b, blocksByWholeEngine(ws, src, dst, protocol, port),
          `${label}: ${src.object.name} -> ${dst.object.name} ${protocol}/${port}`);
        compared++;
      }
    }
  }
  return compared;
}

test('blocks() from the two namespaces equals the whole engine: the policy conformance inputs', () => {
  const root = path.join(CORPUS, 'connectivity');
  const dirs = fs.existsSync(root) ? fs.readdirSync(root).map(d => path.join(root, d)).filter(d => fs.statSync(d).isDirectory()) : [];
  assert.ok(dirs.length > 5, 'the corpus has connectivity inputs');
  let compared = 0;
  for (const dir of dirs) {
    const ws = new Workspace();
    for (const f of filesUnder(dir).filter(f => /\.(ya?ml|json)$/.test(f))) ws.set(f, fs.readFileSync(f, 'utf8'));
    compared += assertSameVerdicts(ws, path.basename(dir), 600);
  }
  assert.ok(compared > 1000);
  assert.ok(blocked > 100, `${blocked} blocked verdicts compared`);
});

test('blocks() equals the whole engine on the generated workspace', () => {
  const w = generateWorkspace(500);
  const ws = new Workspace();
  for (const f of w.files) ws.set(f.path, f.text);
  assert.ok(assertSameVerdicts(ws, 'generated 500') > 1000);
});

test('a whole-workspace pass moves to one model and keeps the verdicts of the per-pair models', () => {
  const w = generateWorkspace(500);
  const ws = new Workspace();
  for (const f of w.files) ws.set(f.path, f.text);
  const workloads = ws.workloads.filter(x => x.object.name);
  const pairs = workloads.flatMap(src => workloads.filter((_, i) => i % 7 === 0).map(dst => [src, dst] as const));
  // One generation: past a few pair models, the whole model answers the rest.
  const pass = pairs.map(([src, dst]) => blocks(ws, src, dst, 'TCP', 8080));
  const [a, b] = [...new Set(workloads.map(x => x.object.namespace))];
  assert.equal(scopedModelOf(ws, [a!, b!]), modelOf(ws), 'the pass ended on the whole model');
  // A generation per pair: each verdict from the model of its two namespaces.
  let blockedPairs = 0;
  pairs.forEach(([src, dst], i) => {
    ws.set('bump.yaml', `# generation ${i}\n`);
    const alone = blocks(ws, src, dst, 'TCP', 8080);
    assert.notEqual(scopedModelOf(ws, [src.object.namespace, dst.object.namespace]), modelOf(ws));
    assert.deepEqual(pass[i], alone, `${src.object.name} -> ${dst.object.name}`);
    if (alone.length) blockedPairs++;
  });
  assert.ok(blockedPairs > 100, `${blockedPairs} blocked pairs compared`);
});

test('an edit keeps the policy models of other namespaces and rebuilds the edited one', () => {
  const w = boutique(3);
  if (!w) return;
  const ws = new Workspace();
  for (const f of w.files) ws.set(f.path, f.text);
  const before = ['boutique-0', 'boutique-1', 'boutique-2'].map(ns => scopedModelOf(ws, [ns]));
  const file = w.files.find(f => f.path.startsWith('boutique-1/') && /kind: Deployment/.test(f.text))!;
  ws.set(file.path, `${file.text}\n# edited\n`);
  const after = ['boutique-0', 'boutique-1', 'boutique-2'].map(ns => scopedModelOf(ws, [ns]));
  assert.equal(after[0], before[0]);
  // A comment changes no policy input: the compiled model is kept, on the file's new workloads.
  assert.notEqual(after[1], before[1]);
  assert.ok(sameCompiledModel(before[1]!, after[1]!));
  assert.ok(after[1]!.peers.every(p => ws.workloadsIn('boutique-1').includes(p.ref.workload)));
  assert.equal(after[2], before[2]);
  // A label change of a namespace (a cluster-scoped object, in no namespace's files) rebuilds its model.
  ws.set('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: boutique-2, labels: {team: x}}\n');
  assert.equal(scopedModelOf(ws, ['boutique-0']), after[0]);
  assert.notEqual(scopedModelOf(ws, ['boutique-2']), after[2]);
});

test('namespaces, addresses, the cluster domain, admin and Calico/Cilium policies, duplicates, user-defined and secondary networks kept across edits equal a fresh build', () => {
  const texts = new Map<string, string>();
  const ws = new Workspace();
  const view = (w: Workspace) => ({
    namespaces: [...w.namespaces.values()].map(n => [n.name, n.labels, n.objects.map(o => `${o.file}:${o.span.start}`)]),
    addresses: w.addresses.map(a => [a.role, a.value, a.object.file]),
    zone: w.clusterDomain.value,
    admin: adminPolicies(w).map(p => [p.object.file, p.object.name, p.tier]),
    thirdParty: thirdPartyPolicies(w).map(p => [p.object.file, p.object.name, p.engine]),
    namespaceDuplicates: [...duplicatesOf(w, 'Namespace')].map(([k, os]) => [k, os.map(o => o.file)]),
    udn: userDefinedNetworks(w).map(v => [v.object.file, v.object.name, v.kind]),
    nad: [...secondaryNetworks(w)].map(([k, n]) => [k, [...n.namespaces]]),
  });
  const steps: Array<[string, string | undefined]> = [
    ['a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {clusterIP: 10.0.0.1}\n'],
    ['b.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: b}\n'],
    ['ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a, labels: {team: x}}\n'],
    ['b.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: b}\n# edited\n'],
    ['b.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: c}\n'],
    ['kubeadm.yaml', 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {dnsDomain: corp.local, podSubnet: 10.244.0.0/16}\n'],
    ['a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {clusterIP: 10.0.0.2}\n'],
    ['anp.yaml', 'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: guard}\nspec: {priority: 1, subject: {namespaces: {}}}\n'],
    ['b.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: c}\n# edited again\n'],
    ['calico.yaml', 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: cp, namespace: a}\nspec: {selector: all()}\n'],
    ['ns2.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec: {subject: {namespaces: {}}}\n'],
    ['a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {clusterIP: 10.0.0.3}\n'],
    ['udn.yaml', 'apiVersion: k8s.ovn.org/v1\nkind: UserDefinedNetwork\nmetadata: {name: blue, namespace: a}\nspec: {topology: Layer2, layer2: {role: Primary, subnets: [10.100.0.0/16]}}\n'],
    ['nad.yaml', 'apiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: l2, namespace: a}\nspec: {config: \'{}\'}\n'],
    ['b.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: c}\n# edited a third time\n'],
    ['udn.yaml', 'apiVersion: k8s.ovn.org/v1\nkind: ClusterUserDefinedNetwork\nmetadata: {name: red}\nspec: {namespaceSelector: {}, network: {topology: Layer3, layer3: {role: Primary, subnets: [{cidr: 10.200.0.0/16}]}}}\n---\napiVersion: k8s.cni.cncf.io/v1\nkind: NetworkAttachmentDefinition\nmetadata: {name: l2, namespace: c}\nspec: {config: \'{}\'}\n'],
    ['nad.yaml', undefined],
    ['anp.yaml', undefined],
    ['calico.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cp, namespace: a}\n'],
    ['ns.yaml', undefined],
    ['kubeadm.yaml', undefined],
    ['b.yaml', undefined],
  ];
  for (const [file, text] of steps) {
    view(ws);
    if (text === undefined) {
      ws.delete(file);
      texts.delete(file);
    } else {
      ws.set(file, text);
      texts.set(file, text);
    }
    const fresh = new Workspace();
    for (const f of ws.fileNames) fresh.set(f, texts.get(f)!);
    assert.deepEqual(view(ws), view(fresh), `after ${file}`);
  }
  assert.deepEqual(view(ws).udn, [['udn.yaml', 'red', 'ClusterUserDefinedNetwork']]);
  assert.deepEqual(view(ws).nad, [['l2', ['c']]]);
});

/** A Deployment in `ns` with pod labels, containers' named ports and one env value. */
function deployment(name: string, ns: string, labels: Record<string, string>, ports: Array<[string, number]>, env = '1'): string {
  const l = Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ');
  const p = ports.map(([n, port]) => `{name: ${n}, containerPort: ${port}}`).join(', ');
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {${l}}}\n  template:\n    metadata: {labels: {${l}}}\n    spec:\n      containers:\n      - name: c\n        image: x\n        env: [{name: FOO, value: "${env}"}]\n        ports: [${p}]\n`;
}

const POLICY_A = (port: string, cidr: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: blue}}}]
    ports: [{port: ${port}}]
  egress:
  - to: [{ipBlock: {cidr: ${cidr}, except: [10.1.0.0/16]}}, {podSelector: {matchLabels: {app: db}}}]
    ports: [{port: sql}]
`;
const POLICY_B = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: b}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: a}}, podSelector: {matchLabels: {app: web}}}]
    ports: [{port: http}, {port: 53, protocol: UDP}]
`;
const ANP = (action: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
  ingress:
  - {name: r, action: ${action}, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: c}}}], ports: [{portNumber: {protocol: TCP, port: 8080}}]}
`;
const SERVICE_A = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: a}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n';

/** Everything a verdict reads from a model, as plain data (no object identities). */
function modelFacts(m: Model) {
  const policyName = (cp: CompiledPolicy) => `${cp.namespace}/${cp.policy.object.name}`;
  return {
    peers: m.peers.map((p, i) => [p.ref.id, m.classOfPeer[i]]),
    classes: m.classes.map(c => [c.namespace, c.labels, c.namespaceLabels, c.ports.map(p => [p.name, p.protocol, p.containerPort]), c.portsId, c.peers, c.network ? `${c.network.kind}:${c.network.name}` : null]),
    policies: m.policies.map(cp => [policyName(cp), cp.selected, ...[...cp.ingress, ...cp.egress].map(r => [
      r.direction, r.allPeers, r.fixedConns?.toString() ?? null, r.peers.map(p => [p.kind, [...p.classes], p.ingressController, p.podOverlap, p.block ? `${p.block.v4.toString()}|${p.block.v6.toString()}` : null]),
    ])]),
    isolation: [m.ingressPolicies.map(l => l.map(policyName)), m.egressPolicies.map(l => l.map(policyName))],
    externals: [m.sourceExternals, m.destinationExternals].map(list => list.map(r => `${r.family}:${r.first}-${r.last}`)),
    admin: [m.admin.any, m.admin.matchClass, m.admin.matchClasses, [...m.admin.admin, ...m.admin.baseline].map(p => [p.policy.object.name, [...p.selected]])],
  };
}

/** A pair's verdicts as plain data: per direction, per protocol, segments with their deciding rules. */
function verdictFacts(w: ReturnType<typeof whyPair>) {
  if (!w) return undefined;
  const side = (v: NonNullable<ReturnType<typeof whyPair>>['egress']) => v.protocols().map(p => [p, v.byProtocol[p]!.map(s => [s.first, s.last, s.allowed, s.rules.rules.map(r => [r.tier, r.kind, r.text, r.object ? `${r.object.file}:${r.object.span.start}` : null])])]);
  return [side(w.egress), side(w.ingress)];
}

// Each input of the fingerprint (policyInputsOf: peers' pod labels and named ports, the policies,
// the namespace's labels and primary network; the pod networks and admin policies of every model)
// was left out of it in turn: this test then fails (a model kept where a fresh build differs).
test('policy models kept across a series of edits give every verdict of a fresh workspace; an edit that changes no policy input keeps the compiled model', () => {
  const texts = new Map<string, string>();
  const ws = new Workspace();
  // Scopes asked per generation: few enough that a generation never moves to the whole model.
  const scopes = [['a'], ['b'], ['c'], ['a', 'b'], ['a', 'c'], ['b', 'c']];
  type Step = { file: string; text: string | undefined; keeps?: string[]; rebuilds?: string[] };
  const web = (labels: Record<string, string> = { app: 'web' }, ports: Array<[string, number]> = [['http', 8080]], env = '1') =>
    `${deployment('web', 'a', labels, ports, env)}---\n${deployment('db', 'a', { app: 'db' }, [['sql', 5432]])}`;
  const steps: Step[] = [
    { file: 'a/app.yaml', text: web() },
    { file: 'b/app.yaml', text: deployment('client', 'b', { app: 'client' }, [['metrics', 9090]]) },
    { file: 'c/app.yaml', text: deployment('x', 'c', { app: 'x', tier: 't' }, []) },
    { file: 'a/policy.yaml', text: POLICY_A('http', '10.0.0.0/8') },
    { file: 'b/policy.yaml', text: POLICY_B },
    { file: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {team: blue}}\n' },
    // An env value: no policy input; every model kept (rebased on the new workloads).
    { file: 'a/app.yaml', text: web(undefined, undefined, '2'), keeps: ['a', 'a,b', 'a,c', 'b', 'c', 'b,c'] },
    // A Service beside the workloads: no policy input.
    { file: 'a/app.yaml', text: `${web(undefined, undefined, '2')}---\n${SERVICE_A}`, keeps: ['a', 'a,b', 'a,c'] },
    // Pod labels, a named port's name, a named port's number: the models of a rebuilt, the others kept.
    { file: 'a/app.yaml', text: web({ app: 'web', v: '2' }), rebuilds: ['a', 'a,b', 'a,c'], keeps: ['b', 'c', 'b,c'] },
    { file: 'a/app.yaml', text: web({ app: 'web2' }), rebuilds: ['a', 'a,b'] },
    { file: 'a/app.yaml', text: web(undefined, [['web', 8080]]), rebuilds: ['a', 'a,b'] },
    { file: 'a/app.yaml', text: web(undefined, [['web', 8081]]), rebuilds: ['a', 'a,b'] },
    { file: 'a/app.yaml', text: web(undefined, [['http', 8081], ['extra', 1234]]), rebuilds: ['a', 'a,b'] },
    // A policy: its port, its ipBlock.
    { file: 'a/policy.yaml', text: POLICY_A('8081', '10.0.0.0/8'), rebuilds: ['a', 'a,b'], keeps: ['b', 'b,c'] },
    { file: 'a/policy.yaml', text: POLICY_A('8081', '10.0.0.0/9'), rebuilds: ['a', 'a,c'] },
    // A namespace's labels (a cluster-scoped object in no namespace's files).
    { file: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {team: red}}\n', rebuilds: ['b', 'a,b'], keeps: ['a', 'c', 'a,c'] },
    { file: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: b, labels: {team: blue}}\n', rebuilds: ['b', 'a,b'] },
    // A file added and deleted: a new workload, and a second policy.
    { file: 'a/more.yaml', text: deployment('cache', 'a', { app: 'cache' }, [['sql', 6379]]), rebuilds: ['a', 'a,b'], keeps: ['b', 'b,c'] },
    { file: 'a/more.yaml', text: `${deployment('cache', 'a', { app: 'cache' }, [['sql', 6379]])}---\n${POLICY_A('sql', '0.0.0.0/0').replace('web-in', 'cache-in').replace('app: web}', 'app: cache}')}`, rebuilds: ['a'] },
    { file: 'a/more.yaml', text: undefined, rebuilds: ['a', 'a,c'] },
    // Admin policies: added, edited, removed (every model reads the cluster-wide tiers).
    { file: 'anp.yaml', text: ANP('Deny'), rebuilds: ['a', 'b', 'c', 'a,c'] },
    { file: 'a/app.yaml', text: web(undefined, [['http', 8081], ['extra', 1234]], '3'), keeps: ['a', 'a,c', 'b,c'] },
    { file: 'anp.yaml', text: ANP('Allow'), rebuilds: ['a', 'a,c'] },
    { file: 'anp.yaml', text: undefined, rebuilds: ['a', 'a,c'] },
    // Calico policies: not in the model (rules abstain where one may select); the models are kept.
    { file: 'calico.yaml', text: 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: cp, namespace: a}\nspec: {selector: all()}\n', keeps: ['a', 'b', 'a,b'] },
    { file: 'calico.yaml', text: undefined, keeps: ['a'] },
    // The pod networks, and a primary user-defined network of a namespace.
    { file: 'kubeadm.yaml', text: 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\nnetworking: {podSubnet: 10.0.0.0/16}\n', rebuilds: ['a', 'b', 'a,b'] },
    { file: 'ns-c.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: c, labels: {k8s.ovn.org/primary-user-defined-network: ""}}\n', rebuilds: ['c', 'a,c'], keeps: ['a', 'a,b'] },
    // A cluster user-defined network (in no namespace's files) makes it c's primary network.
    { file: 'udn.yaml', text: 'apiVersion: k8s.ovn.org/v1\nkind: ClusterUserDefinedNetwork\nmetadata: {name: red}\nspec: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: c}}, network: {topology: Layer3, layer3: {role: Primary, subnets: [{cidr: 10.200.0.0/16}]}}}\n', rebuilds: ['c', 'a,c'], keeps: ['a', 'a,b'] },
    { file: 'b/app.yaml', text: deployment('client', 'b', { app: 'client' }, [['metrics', 9090]], '2'), keeps: ['b', 'a,b', 'b,c'] },
    { file: 'b/app.yaml', text: deployment('client', 'b', { app: 'client' }, [['http', 9090]], '2'), rebuilds: ['b', 'a,b'], keeps: ['a', 'c', 'a,c'] },
    { file: 'kubeadm.yaml', text: undefined, rebuilds: ['a'] },
  ];
  let previous = new Map<string, Model>();
  let kept = 0;
  for (const step of steps) {
    if (step.text === undefined) {
      ws.delete(step.file);
      texts.delete(step.file);
    } else {
      ws.set(step.file, step.text);
      texts.set(step.file, step.text);
    }
    const fresh = new Workspace();
    for (const f of ws.fileNames) fresh.set(f, texts.get(f)!);
    const label = `after ${step.file} (${steps.indexOf(step)})`;
    const models = new Map<string, Model>();
    for (const scope of scopes) {
      const m = scopedModelOf(ws, scope);
      assert.notEqual(m, modelOf(ws), 'scoped, not the whole model');
      models.set(scope.join(), m);
      assert.deepEqual(modelFacts(m), modelFacts(scopedModelOf(fresh, scope)), `${label}: model of ${scope.join()}`);
      // A kept model holds the workspace's current objects, never those an edit replaced.
      for (const p of m.peers) assert.ok(namespacePeers(ws, p.ref.workload.object.namespace).includes(p), `${label}: current peer ${p.ref.id}`);
      for (const cp of m.policies) assert.ok(ws.policiesIn(cp.namespace).includes(cp.policy), `${label}: current policy`);
      for (const cp of [...m.admin.admin, ...m.admin.baseline]) assert.ok(adminPolicies(ws).includes(cp.policy), `${label}: current admin policy`);
    }
    // The whole model too: kept where no namespace's inputs changed, equal to a fresh build.
    const whole = modelOf(ws);
    models.set('whole', whole);
    assert.deepEqual(modelFacts(whole), modelFacts(modelOf(fresh)), `${label}: the whole model`);
    assert.equal(whole.peers, workloadPeers(ws), `${label}: the workspace's peers (whole)`);
    for (const cp of whole.policies) assert.ok(ws.policiesIn(cp.namespace).includes(cp.policy), `${label}: current policy (whole)`);
    if (step.keeps?.length === 6) step.keeps.push('whole');
    if (step.rebuilds) step.rebuilds.push('whole');
    for (const s of step.keeps ?? []) {
      assert.ok(sameCompiledModel(previous.get(s)!, models.get(s)!), `${label}: the model of ${s} is kept`);
      kept++;
    }
    for (const s of step.rebuilds ?? []) assert.ok(!sameCompiledModel(previous.get(s)!, models.get(s)!), `${label}: the model of ${s} is rebuilt`);
    previous = models;
    // Every verdict between the workloads, from the kept models and from a fresh workspace.
    const workloads = ws.workloads.filter(w => w.object.name);
    const freshOf = (w: Workload) => fresh.workloads.find(x => x.object.file === w.object.file && x.object.index === w.object.index)!;
    for (const src of workloads) {
      for (const dst of workloads) {
        const scope = [src.object.namespace, dst.object.namespace];
        const fs = freshOf(src);
        const fd = freshOf(dst);
        assert.deepEqual(verdictFacts(whyPair(ws, peerOf(src), peerOf(dst), undefined, scopedModelOf(ws, scope))),
          verdictFacts(whyPair(fresh, peerOf(fs), peerOf(fd), undefined, scopedModelOf(fresh, scope))), `${label}: ${src.object.name} -> ${dst.object.name}`);
        for (const [protocol, port] of [['TCP', 8080], ['TCP', 8081], ['TCP', 5432], ['UDP', 53]] as const) {
          const facts = (w: Workspace, b: ReturnType<typeof blocks>) => b.map(x => [x.direction, x.policies.map(p => `${p.object.file}:${p.object.name}`), x.reason.map(r => r.text), !!x.dependsOnCni, x.decidedBy?.policy.object.name ?? null,
            x.policies.every(p => w.policies.includes(p))]);
          assert.deepEqual(facts(ws, blocks(ws, src, dst, protocol, port)), facts(fresh, blocks(fresh, fs, fd, protocol, port)), `${label}: blocks ${src.object.name} -> ${dst.object.name} ${protocol}/${port}`);
        }
      }
    }
  }
  assert.ok(kept > 20);
});
