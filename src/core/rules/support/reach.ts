/**
 * Whether one workload's pods can open a port on another's, per direction, through the policy
 * engine; and whether the ingress controller, whose namespace and labels manifests do not say,
 * could be admitted by a rule the engine (which places it in a namespace of its own) reads as not
 * matching it.
 */
import { explain, INGRESS_CONTROLLER, policyName, workloadId, type PeerRef } from '../../net/policy/index';
import { portEntryConns } from '../../net/policy/model';
import { servingPorts } from '../../net/policy/peers';
import { parseCIDR } from '../../net/ip';
import type { NetworkPolicy, Protocol, Workload } from '../../parse/views';
import type { Workspace } from '../../workspace';
import { selectedWorkloads } from './select';

/** One direction that blocks a connection, with the policies isolating that side. */
export interface Block {
  readonly direction: 'egress' | 'ingress';
  readonly policies: readonly NetworkPolicy[];
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
  const e = explain(ws, peerOf(src), peerOf(dst));
  const out = [e.egress, e.ingress]
    .filter(v => v.applies && v.isolated && !v.conns.allows(protocol, port))
    .map(v => ({ direction: v.direction, policies: v.policies }));
  return out.some(b => b.policies.some(rejected)) ? [] : out;
}

/**
 * Whether the API server would reject the policy (a peer with no selector and no ipBlock, an
 * ipBlock with a selector, an unreadable CIDR, an unknown protocol): it is then not in force, so
 * what it seems to block is not blocked; the rules for those errors speak instead.
 */
export function rejected(p: NetworkPolicy): boolean {
  const rules = [...(p.ingress ?? []), ...(p.egress ?? [])];
  return rules.some(r =>
    (r.peers ?? []).some(peer => {
      const selector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
      if (!peer.ipBlock) return !selector;
      if (selector) return true;
      const b = peer.ipBlock;
      return !b.cidr || !parseCIDR(b.cidr.value).ok || b.except.some(x => !parseCIDR(x.value).ok);
    })
    || (r.ports ?? []).some(x => x.protocol === undefined));
}

/**
 * Whether the ingress controller surely cannot open TCP `port` on `w`'s pods: the engine says its
 * ingress is denied, and no ingress rule of the isolating policies that admits the port has a peer
 * that could be the controller in reality: a namespaceSelector (its namespace's labels are unknown),
 * an ipBlock (a host-network controller connects from node addresses), or a podSelector alone that
 * matches no workload of the workspace (the controller could run in that namespace, deployed from
 * elsewhere). Returns the isolating policies when blocked, else undefined.
 */
export function controllerBlocked(ws: Workspace, w: Workload, port: number): readonly NetworkPolicy[] | undefined {
  const v = explain(ws, INGRESS_CONTROLLER, peerOf(w)).ingress;
  if (!v.applies || !v.isolated || v.conns.allows('TCP', port) || v.policies.some(rejected)) return undefined;
  const ports = servingPorts(w);
  for (const p of v.policies) {
    for (const rule of p.ingress ?? []) {
      const admitsPort = !rule.ports?.length || rule.ports.some(e => portEntryConns(e, ports).allows('TCP', port));
      if (!admitsPort) continue;
      if (!rule.peers?.length) return undefined;
      for (const peer of rule.peers) {
        if (peer.ipBlock || peer.namespaceSelector) return undefined;
        if (peer.podSelector && selectedWorkloads(ws, p.object.namespace, peer.podSelector).length === 0) return undefined;
      }
    }
  }
  return v.policies;
}

/** `NetworkPolicy ns/a` or `NetworkPolicies ns/a, ns/b and ns/c` (at most four named). */
export function policyList(policies: readonly NetworkPolicy[]): string {
  const names = policies.map(p => policyName({ policy: p }));
  const list = names.length === 1 ? names[0]! : names.length <= 4
    ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return `NetworkPolic${names.length === 1 ? 'y' : 'ies'} ${list}`;
}
