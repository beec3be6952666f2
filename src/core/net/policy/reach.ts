/**
 * What the policies in force block between two workloads, per direction. "In force" means what the
 * API server would accept: the index leaves a policy it would reject out of the engine (see
 * parse/validate.ts), so it blocks nothing and hides nothing. Shared by rules and the diagram, so a
 * red DNS edge and its diagnostic always agree.
 */
import type { NetworkPolicy } from '../../parse/views/policy';
import type { Protocol } from '../../parse/views/protocol';
import type { Workload } from '../../parse/views/workload';
import { surelySameNamespace, type Workspace } from '../../workspace';
import { explain, policyName, workloadId, type PeerRef } from './index';
import { whyPair, type DecidingRule } from './why';
import { explainPair } from './explain';
import { adminPeerSelects, adminPolicies, type AdminDecision, type AdminPolicy } from './admin';
import { adminProblems } from './admin-validate';
import { classKeyOf, namespacePeers, scopedModelOf, type Model } from './model';
import { thirdPartyPoliciesOn } from './thirdparty';
import { NAMESPACE_NAME_LABEL } from '../../workspace';

/** One direction that blocks a connection, with the policies isolating that side. */
export interface Block {
  readonly direction: 'egress' | 'ingress';
  /** The NetworkPolicies isolating that side (they decided, unless `decidedBy` says an admin or baseline rule did). */
  readonly policies: readonly NetworkPolicy[];
  /**
   * Set when the block holds only under the `external` ipBlock reading: an ipBlock in these policies
   * covers pod addresses, and CNIs that match pod IPs with ipBlock (the `all` reading) let it through.
   */
  readonly dependsOnCni?: boolean;
  /** The admin or baseline rule that denied the port, when a cluster-wide tier decided it. */
  readonly decidedBy?: AdminDecision;
  /**
   * Why the port is denied on this side: the deciding rules of the pair's explanation object
   * (why.ts), in np-guard's words, which the rules' messages quote.
   */
  readonly reason: readonly DecidingRule[];
}

/**
 * Whether NetworkPolicy governs `w`'s traffic. Host-network pods (`hostNetwork: true`) send and
 * receive on the node's addresses: the API leaves their treatment to the network plugin, so verdicts
 * (rules, hovers, the diagram's DNS edges) say nothing about them. The connectivity report keeps
 * np-guard's reading (a host-network pod is evaluated like any pod), which its goldens encode.
 */
export function governedByPolicy(w: Workload): boolean {
  return !w.hostNetwork;
}

/** The peer of a workload, as the engine names it. */
export function peerOf(w: Workload): PeerRef {
  return { kind: 'workload', workload: w, id: workloadId(w) };
}

/**
 * The directions that block `protocol`/`port` from `src`'s pods to `dst`'s (egress at the source,
 * ingress at the destination); empty when allowed. Under the `all` ipBlock reading an ipBlock that
 * may hold the pod counts as allowing, so a block is only returned when it is certain.
 */
export function blocks(ws: Workspace, src: Workload, dst: Workload, protocol: Protocol, port: number): Block[] {
  if (!governedByPolicy(src) || !governedByPolicy(dst)) return [];
  if (!evaluatedAsItself(ws, src) || !evaluatedAsItself(ws, dst)) return [];
  if (verdictUncertain(ws, src, 'egress', true) || verdictUncertain(ws, dst, 'ingress', true)) return [];
  const out: Block[] = [];
  // A side without an admin Deny is certainly isolated only by a policy certainly in its namespace (one
  // whose namespace is only assumed may be applied elsewhere); under the external reading, the other
  // reading says what a CNI matching pod IPs with ipBlock lets through.
  // `allReadingAllows` asks the same engine as the verdict (whole, or scoped to the two namespaces).
  let allReadingAllows: (direction: 'egress' | 'ingress') => boolean = () => false;
  const external = ws.settings.ipBlockReading === 'external';
  const push = (direction: 'egress' | 'ingress', policies: readonly NetworkPolicy[], reason: readonly DecidingRule[], decidedBy?: AdminDecision): void => {
    if (!decidedBy) {
      const subject = direction === 'egress' ? src : dst;
      if (!policies.some(p => surelySameNamespace(p.object, subject.object))) return;
      if (external && allReadingAllows(direction)) {
        out.push({ direction, policies, reason, dependsOnCni: true });
        return;
      }
    }
    out.push({ direction, policies, reason, ...(decidedBy ? { decidedBy } : {}) });
  };
  if (adminPolicies(ws).length) {
    // Cluster-wide tiers decide before and after the NetworkPolicies: the whole engine's verdict.
    const e = explain(ws, peerOf(src), peerOf(dst));
    let all: ReturnType<typeof explainPair> | undefined;
    allReadingAllows = direction => (all ??= explainPair(ws, peerOf(src), peerOf(dst), 'all'))[direction].conns.allows(protocol, port);
    for (const v of [e.egress, e.ingress]) {
      if (!v.applies || (!v.isolated && !v.tiers) || v.conns.allows(protocol, port)) continue;
      const t = v.tiers;
      const decidedBy = t && [...(t.admin?.decisions ?? []), ...(t.baseline?.decisions ?? [])]
        .find(d => d.action === 'Deny' && d.conns.allows(protocol, port));
      if (decidedBy && !inForce(ws, decidedBy.policy)) return [];
      push(v.direction, v.policies, e.why?.[v.direction].at(protocol, port).rules.rules ?? [], decidedBy);
    }
    return out;
  }
  // Without cluster-wide tiers the verdict between two workloads depends on the policies of their two
  // namespaces only: a model of those two is kept across edits elsewhere, so a keystroke costs the
  // edited namespaces. The port's verdict and deciding rules come from the explanation object.
  const namespaces = [src.object.namespace, dst.object.namespace];
  const model = scopedModelOf(ws, namespaces);
  const why = whyPair(ws, peerOf(src), peerOf(dst), undefined, model);
  if (!why) return [];
  let allWhy: ReturnType<typeof whyPair>;
  allReadingAllows = direction => {
    // The readings differ only on ipBlock peers that may hold pod addresses: without one among the
    // policies of the two namespaces, the `all` reading denies what this one denies (no second model).
    if (!ipBlocksMayHoldPods(model)) return false;
    allWhy ??= whyPair(ws, peerOf(src), peerOf(dst), 'all', scopedModelOf(ws, namespaces, 'all'));
    return !!allWhy && allWhy[direction].at(protocol, port).allowed;
  };
  for (const [direction, verdicts] of [['egress', why.egress], ['ingress', why.ingress]] as const) {
    const seg = verdicts.at(protocol, port);
    if (seg.allowed || seg.rules.onlyDefault()) continue;
    const deciding = new Set(seg.rules.rules.filter(r => r.kind === 'NetworkPolicy').map(r => r.object));
    // The isolating policies of this direction live in the subject's namespace.
    const subject = direction === 'egress' ? src : dst;
    push(direction, ws.policiesIn(subject.object.namespace).filter(p => deciding.has(p.object)), seg.rules.rules);
  }
  return out;
}

/**
 * Whether a workload's verdicts in a direction depend on what the engine cannot evaluate: a Calico
 * or Cilium policy that may select its pods, or (`podTarget`) an admin rule with a `networks` peer,
 * which the API also applies to pod addresses while the engine reads it as external only.
 */
const podOverlapOf = new WeakMap<Model, boolean>();

/** Whether a model has an ipBlock peer that may hold pod addresses (where the `all` reading differs). */
function ipBlocksMayHoldPods(m: Model): boolean {
  let v = podOverlapOf.get(m);
  if (v === undefined) {
    v = m.policies.some(p => [p.ingress, p.egress].some(rules => rules.some(r => r.peers.some(c => c.kind === 'ipBlock' && c.podOverlap !== 'none'))));
    podOverlapOf.set(m, v);
  }
  return v;
}

export function verdictUncertain(ws: Workspace, w: Workload, direction: 'egress' | 'ingress', podTarget: boolean): boolean {
  if (thirdPartyPoliciesOn(ws, w).length) return true;
  if (!podTarget || direction !== 'egress') return false;
  const ns = w.object.namespace;
  const target = { namespace: ns, labels: w.podLabels, namespaceLabels: ws.namespaces.get(ns)?.labels ?? { [NAMESPACE_NAME_LABEL]: ns } };
  return adminPolicies(ws).some(p => p.subject && adminPeerSelects(p.subject, target)
    && p.egress.some(r => (r.peers ?? []).some(peer => peer.networks && peer.networks.length > 0)));
}

/** Whether the API server would accept an admin policy (the validation rule reports why not). */
export function inForce(ws: Workspace, p: AdminPolicy): boolean {
  return adminProblems(ws, p).length === 0;
}

/**
 * Whether the engine's peer for `w` stands for `w`'s own pods. Objects with the same namespace, name
 * and kind are one peer, evaluated by the first definition (as np-guard merges the pods of one owner);
 * a repository often defines an app twice (an overlay per environment, an all-in-one file) with other
 * labels, and then no verdict about this definition can be certain.
 */
export function evaluatedAsItself(ws: Workspace, w: Workload): boolean {
  const id = workloadId(w);
  const peer = namespacePeers(ws, w.object.namespace).find(p => p.ref.id === id);
  return !!peer && (peer.ref.workload === w || classKeyOf(peer.ref.workload) === classKeyOf(w));
}

/** `NetworkPolicy ns/a` or `NetworkPolicies ns/a, ns/b and ns/c` (at most four named). */
export function policyList(policies: readonly NetworkPolicy[]): string {
  const names = policies.map(p => policyName({ policy: p }));
  const list = names.length === 1 ? names[0]! : names.length <= 4
    ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return `NetworkPolic${names.length === 1 ? 'y' : 'ies'} ${list}`;
}
