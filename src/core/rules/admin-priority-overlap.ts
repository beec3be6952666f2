import { adminPolicies, adminRuleConns, type CompiledAdminPolicy, type CompiledAdminRule } from '../net/policy/admin';
import { modelOf, type Model } from '../net/policy/model';
import { peersOf } from '../net/policy/index';
import { adminPolicyView } from '../parse/admin';
import { inForce } from '../net/policy/reach';
import { defineRule, type Fix } from './rule';
import type { AdminPolicy } from '../parse/admin';
import type { Workspace } from '../workspace';

/** A class both rules match on the other side, or the ingress controller, or shared addresses; undefined if none. */
function sharedPeer(a: CompiledAdminRule, b: CompiledAdminRule): number | 'controller' | 'addresses' | undefined {
  for (const pa of a.peers) {
    for (const pb of b.peers) {
      for (const c of pa.classes) if (pb.classes.has(c)) return c;
      if (pa.ingressController && pb.ingressController) return 'controller';
      if (pa.block && pb.block && !pa.block.intersect(pb.block).isEmpty()) return 'addresses';
      if (pa.block6 && pb.block6 && !pa.block6.intersect(pb.block6).isEmpty()) return 'addresses';
    }
  }
  return undefined;
}

/** A workload both policies select for one direction, where one rule of each matches one connection. */
function overlap(m: Model, p: CompiledAdminPolicy, q: CompiledAdminPolicy): { subject: number; direction: 'ingress' | 'egress'; a: CompiledAdminRule; b: CompiledAdminRule } | undefined {
  for (const subject of p.selected) {
    if (!q.selected.has(subject)) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      for (const a of p[direction]) {
        if (!a.action) continue;
        for (const b of q[direction]) {
          if (!b.action) continue;
          const other = sharedPeer(a, b);
          if (other === undefined) continue;
          const dst = direction === 'ingress' ? subject : typeof other === 'number' ? other : undefined;
          const ports = dst === undefined ? undefined : m.classes[dst]!.ports;
          if (adminRuleConns(a, ports).intersect(adminRuleConns(b, ports)).isEmpty()) continue;
          return { subject, direction, a, b };
        }
      }
    }
  }
  return undefined;
}

/**
 * Moving `view` just before or just after the other policies of its priority, without passing any
 * other policy: a neighbouring priority no policy of the admin tier holds (ANP or CNP, in force or
 * not, to be safe). The user chooses which one should decide; none is preferred.
 */
function priorityFixes(ws: Workspace, view: AdminPolicy, other: AdminPolicy): Fix[] {
  const p = view.priority!;
  const taken = new Set(adminPolicies(ws).filter(x => x.tier === view.tier).flatMap(x => (x.priority ? [x.priority.value] : [])));
  const fixes: Fix[] = [];
  for (const [value, order] of [[p.value - 1, 'before'], [p.value + 1, 'after']] as const) {
    if (value < 0 || value > 1000 || taken.has(value)) continue;
    fixes.push({
      title: `Evaluate ${view.kind} "${view.object.name}" ${order} "${other.object.name}": priority ${value}`,
      edits: [{ file: view.object.file, span: p.span, newText: String(value) }],
    });
  }
  return fixes;
}

/** Two cluster-wide policies of one tier and one priority that both match a connection. */
export default defineRule({
  id: 'admin-priority-overlap',
  severity: 'warning',
  kinds: ['AdminNetworkPolicy', 'ClusterNetworkPolicy'],
  docs: {
    summary: 'Two AdminNetworkPolicies (or ClusterNetworkPolicies of one tier) have the same priority and both match some connection of the workspace\'s pods.',
    rationale: 'The API leaves the order of policies with equal priority to the implementation: which rule decides such a connection is undefined and can differ between CNIs or restarts. np-guard refuses such inputs. The rule speaks only when the workspace holds a pod both subjects select and a peer and port both rules match.',
  },
  check(object, ctx) {
    const view = adminPolicyView(object);
    if (!view?.priority || !inForce(ctx.workspace, view)) return;
    const m = modelOf(ctx.workspace);
    const all = [...m.admin.admin, ...m.admin.baseline];
    const self = all.find(c => c.policy.object === object);
    if (!self) return;
    const peers = peersOf(ctx.workspace);
    for (const other of all) {
      if (other === self || other.policy.tier !== self.policy.tier || other.policy.priority?.value !== view.priority.value) continue;
      if (!inForce(ctx.workspace, other.policy)) continue;
      if ((self.policy.kind === 'ClusterNetworkPolicy') !== (other.policy.kind === 'ClusterNetworkPolicy')) continue;
      // Two objects of one kind and name are versions of one policy (files applied one at a time,
      // or one replacing the other): they never coexist. admin-policy-duplicate-name reports the name.
      if (other.policy.kind === object.kind && other.policy.object.name === object.name) continue;
      const o = overlap(m, self, other);
      if (!o) continue;
      const who = peers[m.classes[o.subject]!.peers[0]!]?.id ?? m.classes[o.subject]!.namespace;
      const rule = (r: CompiledAdminRule) => r.rule.name?.value ?? `#${r.rule.index + 1}`;
      ctx.report({
        span: view.priority.span,
        message: `${object.kind} "${object.name}" and ${other.policy.kind} "${other.policy.object.name}" both have priority ${view.priority.value} and both match ${o.direction} traffic of ${who} (rules ${rule(o.a)} and ${rule(o.b)}): which one decides is undefined.`,
        fixes: priorityFixes(ctx.workspace, view, other.policy),
        related: [{ file: other.policy.object.file, span: other.policy.priority?.span ?? other.policy.object.kindSpan, message: `${other.policy.kind} "${other.policy.object.name}" has the same priority` }],
      });
      return;
    }
  },
});
