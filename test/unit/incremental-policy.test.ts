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
import { modelOf, scopedModelOf } from '../../src/core/net/policy/model';
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
  assert.notEqual(after[1], before[1]);
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
