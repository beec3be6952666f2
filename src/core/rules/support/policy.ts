/** Walks a NetworkPolicy view's peers and ports together with their YAML nodes. */
import type { K8sObject } from '../../parse/manifest';
import { accepted } from '../../parse/validate';
import { networkPolicyView, type NetworkPolicy, type PolicyPeer, type PolicyPort, type PolicyRule } from '../../parse/views/policy';
import { at } from '../../parse/yaml';

/**
 * The NetworkPolicy view of `object` when the API server accepts it. Rules that judge what a policy
 * selects or allows read only policies in force; a rejected one gets its rejection, not guesses
 * about a meaning it never takes effect with.
 */
export function policyInForce(object: K8sObject): NetworkPolicy | undefined {
  return accepted(object) ? networkPolicyView(object) : undefined;
}

/** The peer-list key of a rule direction. */
export const peerKey = (direction: 'ingress' | 'egress'): 'from' | 'to' => (direction === 'ingress' ? 'from' : 'to');

/** Every rule of a policy, ingress first. */
export function rulesOf(p: NetworkPolicy): PolicyRule[] {
  return [...(p.ingress ?? []), ...(p.egress ?? [])];
}

/** Calls `fn` for every peer with its YAML node. */
export function forEachPeer(p: NetworkPolicy, fn: (peer: PolicyPeer, rule: PolicyRule, index: number, node: unknown) => void): void {
  const o = p.object;
  for (const rule of rulesOf(p)) {
    (rule.peers ?? []).forEach((peer, i) => fn(peer, rule, i, at(o.doc, o.node, 'spec', rule.direction, rule.index, peerKey(rule.direction), i)));
  }
}

/** Calls `fn` for every port entry with its YAML node. */
export function forEachPort(p: NetworkPolicy, fn: (port: PolicyPort, rule: PolicyRule, index: number, node: unknown) => void): void {
  const o = p.object;
  for (const rule of rulesOf(p)) {
    (rule.ports ?? []).forEach((port, i) => fn(port, rule, i, at(o.doc, o.node, 'spec', rule.direction, rule.index, 'ports', i)));
  }
}

/** Whether a port entry admits `protocol`/`port` (numbers only; named ports are resolved elsewhere). */
export function portEntryAdmits(entry: PolicyPort, protocol: string, port: number): boolean {
  if ((entry.protocol ?? 'TCP') !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port !== 'number') return false;
  return entry.endPort === undefined ? entry.port === port : entry.port <= port && port <= entry.endPort;
}
