/**
 * The NetworkPolicy engine's public API (networking.k8s.io/v1, evaluated exactly; see
 * docs/policy-engine.md). Everything here reads a {@link Workspace} and caches whole-workspace
 * results per generation with `workspace.derived('policy:…')`.
 */
import { selectorMatches } from '../selectors';
import type { NetworkPolicy, PolicyPeer } from '../../parse/views/policy';
import type { Workload } from '../../parse/views/workload';
import type { Workspace } from '../../workspace';
import type { ConnectionSet } from './connections';
import { allowedBetween, connectivityReport, type ConnectivityReport } from './evaluate';
import { explainPair, type Explanation } from './explain';
import { selectorPeerMatches, type IPBlockReading } from './model';
import { compareIds, workloadId, workloadPeers, type PeerRef } from './peers';

export { ConnectionSet, PROTOCOLS, type PortRange } from './connections';
export { externalPeer, INGRESS_CONTROLLER, workloadId, type PeerRef, type WorkloadPeerRef } from './peers';
export type { Connection, ConnectivityReport, DirectionVerdict, RuleContribution } from './evaluate';
export { policyName, readingSentence, type Explanation } from './explain';
export { CONNECTIVITY_FORMATS, formatConnectivity, type ConnectivityFormat } from './format';
export type { IPBlockReading } from './model';

/** Workload peers (one per owner after merging Pods into their controller), sorted by id. */
export function peersOf(ws: Workspace): PeerRef[] {
  return workloadPeers(ws).map(p => p.ref);
}

/** NetworkPolicies (in force) of the workload's namespace whose podSelector selects its pods. */
export function policiesSelecting(ws: Workspace, workload: Workload): NetworkPolicy[] {
  return ws.policiesIn(workload.object.namespace).filter(p => selectorMatches(p.podSelector, workload.podLabels));
}

/** The policies isolating the workload's pods per direction; an empty list means not isolated. */
export function isolation(ws: Workspace, workload: Workload): { ingress: NetworkPolicy[]; egress: NetworkPolicy[] } {
  const selecting = policiesSelecting(ws, workload);
  return { ingress: selecting.filter(p => p.isolatesIngress), egress: selecting.filter(p => p.isolatesEgress) };
}

/**
 * The workloads a policy's podSelector selects ({@link Workspace.workloadsSelectedBy}, the one
 * selection), one per peer as the engine evaluates it (by the object that represents the peer), sorted by id.
 */
export function workloadsSelectedBy(ws: Workspace, policy: NetworkPolicy): Workload[] {
  const representatives = ws.derived('policy:representatives', () => new Set(workloadPeers(ws).map(p => p.ref.workload)));
  return ws.workloadsSelectedBy(policy.object.namespace, policy.podSelector)
    .filter(w => representatives.has(w))
    .sort((a, b) => compareIds(workloadId(a), workloadId(b)));
}

/**
 * What one `from`/`to` peer of `policy` selects among the workspace's pods: the workloads and the
 * namespaces whose pods are eligible (the policy's own for a podSelector alone). An ipBlock peer
 * selects no workload here (see {@link IPBlockReading}); an invalid peer (empty, or ipBlock with a
 * selector) selects nothing.
 */
export function peerMatches(ws: Workspace, policy: NetworkPolicy, peer: PolicyPeer): { workloads: Workload[]; namespaces: string[] } {
  const policyNs = policy.object.namespace;
  if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return { workloads: [], namespaces: [] };
  const namespaces = peer.namespaceSelector
    ? [...ws.namespaces.values()].filter(n => selectorMatches(peer.namespaceSelector!, n.labels)).map(n => n.name).sort()
    : [policyNs];
  const workloads = peersOf(ws).flatMap(p => {
    if (p.kind !== 'workload') return [];
    const w = p.workload;
    const ns = w.object.namespace;
    const nsLabels = ws.namespaces.get(ns)?.labels ?? {};
    return selectorPeerMatches(peer, policyNs, ns, w.podLabels, nsLabels) ? [w] : [];
  });
  return { workloads, namespaces };
}

/** Connections allowed from `src` to `dst` under the workspace's ipBlock reading. */
export function allowed(ws: Workspace, src: PeerRef, dst: PeerRef): ConnectionSet {
  return allowedBetween(ws, src, dst);
}

/** Why the connection from `src` to `dst` is what it is (per direction, per rule, with text). */
export function explain(ws: Workspace, src: PeerRef, dst: PeerRef): Explanation {
  return explainPair(ws, src, dst);
}

/**
 * Every ordered pair of distinct peers with allowed connections, sorted as np-guard sorts, with the
 * ipBlock reading in force (`options.ipBlockReading` overrides the workspace setting).
 */
export function connectivity(ws: Workspace, options?: { ipBlockReading?: IPBlockReading }): ConnectivityReport {
  return connectivityReport(ws, options?.ipBlockReading);
}
