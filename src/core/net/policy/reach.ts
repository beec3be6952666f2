/**
 * What the policies in force block between two workloads, per direction. "In force" means what the
 * API server would accept: the index leaves a policy it would reject out of the engine (see
 * parse/validate.ts), so it blocks nothing and hides nothing. Shared by rules and the diagram, so a
 * red DNS edge and its diagnostic always agree.
 */
import type { NetworkPolicy, Protocol, Workload } from '../../parse/views';
import { surelySameNamespace, type Workspace } from '../../workspace';
import { explain, policyName, workloadId, type PeerRef } from './index';
import { explainPair } from './explain';
import { classKeyOf } from './model';
import { workloadPeers, type WorkloadPeer } from './peers';

/** One direction that blocks a connection, with the policies isolating that side. */
export interface Block {
  readonly direction: 'egress' | 'ingress';
  readonly policies: readonly NetworkPolicy[];
  /**
   * Set when the block holds only under the `external` ipBlock reading: an ipBlock in these policies
   * covers pod addresses, and CNIs that match pod IPs with ipBlock (the `all` reading) let it through.
   */
  readonly dependsOnCni?: boolean;
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
  // The explanation object every front end reads: the port's verdict and deciding rules per direction.
  const why = explain(ws, peerOf(src), peerOf(dst)).why;
  if (!why) return [];
  // Under the external reading, the other one says what a CNI matching pod IPs with ipBlock lets through.
  let allWhy: ReturnType<typeof explainPair>['why'] | null = null;
  const out: Block[] = [];
  for (const [direction, verdicts] of [['egress', why.egress], ['ingress', why.ingress]] as const) {
    const seg = verdicts.at(protocol, port);
    if (seg.allowed || seg.rules.onlyDefault()) continue;
    const deciding = new Set(seg.rules.rules.filter(r => r.kind === 'NetworkPolicy').map(r => r.object));
    const policies = ws.policies.filter(p => deciding.has(p.object));
    // A side is certainly isolated only by a policy certainly in its namespace: one whose namespace is
    // only assumed (no namespace written, another folder) may be applied elsewhere.
    if (!policies.some(p => surelySameNamespace(p.object, (direction === 'egress' ? src : dst).object))) continue;
    if (allWhy === null) allWhy = ws.settings.ipBlockReading === 'external' ? explainPair(ws, peerOf(src), peerOf(dst), 'all').why : undefined;
    const cni = allWhy ? allWhy[direction].at(protocol, port).allowed : false;
    out.push({ direction, policies, ...(cni ? { dependsOnCni: true } : {}) });
  }
  return out;
}

/**
 * Whether the engine's peer for `w` stands for `w`'s own pods. Objects with the same namespace, name
 * and kind are one peer, evaluated by the first definition (as np-guard merges the pods of one owner);
 * a repository often defines an app twice (an overlay per environment, an all-in-one file) with other
 * labels, and then no verdict about this definition can be certain.
 */
export function evaluatedAsItself(ws: Workspace, w: Workload): boolean {
  const byId = ws.derived('policy:peerById', () => new Map<string, WorkloadPeer>(workloadPeers(ws).map(p => [p.ref.id, p])));
  const peer = byId.get(workloadId(w));
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
