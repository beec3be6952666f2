/**
 * Whether the ingress controller, whose namespace and labels manifests do not say, could be admitted
 * by a rule the engine (which places it in a namespace of its own) reads as not matching it.
 */
import { INGRESS_CONTROLLER } from '../../net/policy/index';
import { adminPolicies } from '../../net/policy/admin';
import { directionVerdict, endpointOf } from '../../net/policy/evaluate';
import { modelOf, portEntryConns, scopedModelOf } from '../../net/policy/model';
import { peerOf } from '../../net/policy/reach';
import { portReason, whyPair, type DecidingRule } from '../../net/policy/why';
import type { NetworkPolicy } from '../../parse/views/policy';
import { namedPortsOf, type Workload } from '../../parse/views/workload';
import { surelySameNamespace, type Workspace } from '../../workspace';

/**
 * Whether the ingress controller surely cannot open TCP `port` on `w`'s pods: the engine says its
 * ingress is denied, and no ingress rule of the isolating policies that admits the port has a peer
 * that could be the controller in reality: a namespaceSelector (its namespace's labels are unknown),
 * an ipBlock (a host-network controller connects from node addresses), or a podSelector alone that
 * matches no workload of the workspace (the controller could run in that namespace, deployed from
 * elsewhere). Returns the isolating policies when blocked, with the NetworkPolicy rules that deny
 * the port in the pair's explanation object (why.ts), else undefined.
 */
export function controllerBlocked(ws: Workspace, w: Workload, port: number): { policies: readonly NetworkPolicy[]; reason: readonly DecidingRule[] } | undefined {
  // Only the ingress side at `w` is needed: without cluster-wide tiers it depends on the policies of
  // `w`'s namespace alone, read from that namespace's model (kept across edits elsewhere).
  // In a render, policies other parts of the repository put in that namespace may admit it.
  if (ws.policiesElsewhere?.(w.object.namespace)) return undefined;
  const m = adminPolicies(ws).length ? modelOf(ws) : scopedModelOf(ws, [w.object.namespace]);
  const src = endpointOf(m, INGRESS_CONTROLLER);
  const dst = endpointOf(m, peerOf(w));
  if (!src || !dst) return undefined;
  const v = directionVerdict(m, 'ingress', dst, src);
  if (!v.applies || !v.isolated || v.conns.allows('TCP', port)) return undefined;
  // Isolated only by policies that may be applied into another namespace: no verdict.
  if (!v.policies.some(p => surelySameNamespace(p.object, w.object))) return undefined;
  const ports = namedPortsOf(w);
  for (const p of v.policies) {
    for (const rule of p.ingress ?? []) {
      const admitsPort = !rule.ports?.length || rule.ports.some(e => portEntryConns(e, ports).allows('TCP', port));
      if (!admitsPort) continue;
      if (!rule.peers?.length) return undefined;
      for (const peer of rule.peers) {
        if (peer.ipBlock || peer.namespaceSelector) return undefined;
        if (peer.podSelector && ws.workloadsSelectedBy(p.object.namespace, peer.podSelector).length === 0) return undefined;
      }
    }
  }
  // The explanation's ingress side also holds the Ingress/Route objects' rules: the policies' are the ones that deny.
  const why = whyPair(ws, INGRESS_CONTROLLER, peerOf(w), undefined, m);
  const reason = (why ? portReason(why, 'ingress', 'TCP', port).rules : []).filter(r => r.kind === 'NetworkPolicy');
  return { policies: v.policies, reason };
}

