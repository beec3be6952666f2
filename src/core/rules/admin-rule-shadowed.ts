import { IPIntervalSet, parseCIDR } from '../net/ip';
import { adminPortConns } from '../net/policy/admin';
import { ConnectionSet } from '../net/policy/connections';
import { isEmptySelector } from '../net/selectors';
import { adminPolicyView, adminRuleName, type AdminPeer, type AdminPort, type AdminRule } from '../parse/admin';
import type { LabelSelector } from '../parse/views/selectors';
import { inForce } from '../net/policy/reach';
import { defineRule } from './rule';

function selectorKey(s: LabelSelector): string {
  return JSON.stringify([Object.entries(s.matchLabels).sort(), s.matchExpressions.map(r => [r.key, r.operator, [...r.values].sort()])]);
}

function networksOf(p: AdminPeer): IPIntervalSet[] | undefined {
  let v4 = IPIntervalSet.empty(4);
  let v6 = IPIntervalSet.empty(6);
  for (const n of p.networks ?? []) {
    const c = parseCIDR(n.value);
    if (!c.ok) return undefined;
    if (c.cidr.family === 4) v4 = v4.union(IPIntervalSet.fromCIDR(c.cidr));
    else v6 = v6.union(IPIntervalSet.fromCIDR(c.cidr));
  }
  return [v4, v6];
}

/** Whether peer `e` selects every pod, node or address `l` selects, whatever the cluster holds. */
function peerCovers(e: AdminPeer, l: AdminPeer): boolean {
  if (e.fieldCount !== 1 || l.fieldCount !== 1) return false;
  const allPods = (e.namespaces && isEmptySelector(e.namespaces))
    || (e.pods && isEmptySelector(e.pods.namespaceSelector) && isEmptySelector(e.pods.podSelector));
  if (l.namespaces || l.pods) {
    if (allPods) return true;
    if (e.namespaces && l.namespaces) return selectorKey(e.namespaces) === selectorKey(l.namespaces);
    if (e.namespaces && l.pods) return selectorKey(e.namespaces) === selectorKey(l.pods.namespaceSelector);
    if (e.pods && l.pods) {
      return selectorKey(e.pods.namespaceSelector) === selectorKey(l.pods.namespaceSelector)
        && (isEmptySelector(e.pods.podSelector) || selectorKey(e.pods.podSelector) === selectorKey(l.pods.podSelector));
    }
    return false;
  }
  if (l.networks && e.networks) {
    const a = networksOf(e);
    const b = networksOf(l);
    return !!a && !!b && b.every((set, i) => set.subtract(a[i]!).isEmpty());
  }
  if (l.nodes && e.nodes) return isEmptySelector(e.nodes) || selectorKey(e.nodes) === selectorKey(l.nodes);
  return false;
}

/** Whether ports `e` hold every connection of ports `l` toward any destination (named ports by name). */
function portsCover(e: readonly AdminPort[] | undefined, l: readonly AdminPort[] | undefined): boolean {
  if (e === undefined) return true;
  if (l === undefined || l.length === 0) return false;
  const fixed = (ports: readonly AdminPort[]) => ports.filter(p => p.kind !== 'named').reduce((c, p) => c.union(adminPortConns(p, undefined)), ConnectionSet.none());
  const names = new Set(e.filter(p => p.kind === 'named').map(p => p.name?.value));
  return fixed(l).subtract(fixed(e)).isEmpty() && l.filter(p => p.kind === 'named').every(p => names.has(p.name?.value));
}

function covers(e: AdminRule, l: AdminRule): boolean {
  if (!e.actionValue || !e.peers?.length || !l.peers?.length) return false;
  return l.peers.every(lp => e.peers!.some(ep => peerCovers(ep, lp))) && portsCover(e.ports, l.ports);
}

/** A rule of a cluster-wide policy that an earlier rule of the same policy always decides first. */
export default defineRule({
  id: 'admin-rule-shadowed',
  severity: 'warning',
  kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'],
  docs: {
    summary: 'A rule of an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy can never decide anything: an earlier rule of the same policy matches every peer and port it matches.',
    rationale: 'Rules are tried in written order and the first one matching a connection decides it. A later rule whose peers and ports an earlier one covers is dead: if its action differs, the policy does not do what the later rule says (a Deny under an Allow of the same traffic never denies). The check is on the manifests alone (an empty selector covers every pod, the same selector covers itself, a CIDR covers the CIDRs inside it), so it holds whatever the cluster runs.',
  },
  check(object, ctx) {
    const p = adminPolicyView(object);
    // A policy the API server rejects has no rules in force: its validation errors speak instead.
    if (!p || !inForce(ctx.workspace, p)) return;
    for (const rules of [p.ingress, p.egress]) {
      rules.forEach((l, i) => {
        if (!l.actionValue) return;
        const e = rules.slice(0, i).find(x => covers(x, l));
        if (!e) return;
        const Dir = l.direction === 'ingress' ? 'Ingress' : 'Egress';
        const same = e.actionValue === l.actionValue;
        ctx.report({
          span: l.name?.span ?? l.action?.span ?? l.span,
          message: `${Dir} rule ${adminRuleName(l)} (${l.actionValue}) never decides anything: rule ${adminRuleName(e)} above matches every peer and port it does and ${same ? 'already' : 'instead'} ${e.actionValue === 'Allow' ? 'allows' : e.actionValue === 'Deny' ? 'denies' : 'passes'} them.`,
          related: [{ file: object.file, span: e.name?.span ?? e.span, message: `rule ${adminRuleName(e)} decides first` }],
        });
      });
    }
  },
});
