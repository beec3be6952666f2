import { modelOf } from '../net/policy/model';
import { thirdPartyPoliciesOn } from '../net/policy/thirdparty';
import { adminPolicyTitle, adminPolicyView, adminRuleName } from '../parse/admin';
import { inForce } from '../net/policy/reach';
import { defineRule } from './rule';
import { nameList } from './support/text';

/** A Pass rule whose subject pods no NetworkPolicy isolates: the traffic goes straight to the baseline tier. */
export default defineRule({
  id: 'admin-pass-unused',
  severity: 'info',
  kinds: ['AdminNetworkPolicy', 'ClusterNetworkPolicy'],
  docs: {
    summary: 'An admin-tier Pass rule hands traffic to the NetworkPolicy tier, but no NetworkPolicy of the workspace isolates the pods it applies to, so the baseline tier (or the default allow) decides.',
    rationale: 'Pass means "let the namespace\'s NetworkPolicies decide". When no NetworkPolicy selects the pods for that direction, the NetworkPolicy tier decides nothing and the traffic falls to the BaselineAdminNetworkPolicy (or ClusterNetworkPolicy Baseline tier), and without one it is allowed: the Pass behaves like an Allow or a baseline Deny, rarely what was meant. The rule speaks only about the subject\'s pods the workspace holds, only when their namespaces have NetworkPolicies in the workspace (so the namespace tier is managed here), and not for pods a Calico or Cilium policy may select.',
  },
  check(object, ctx) {
    const view = adminPolicyView(object);
    if (!view || view.tier !== 'admin' || !inForce(ctx.workspace, view)) return;
    const ws = ctx.workspace;
    const m = modelOf(ws);
    const cp = m.admin.admin.find(c => c.policy.object === object);
    if (!cp || cp.selected.size === 0) return;
    for (const direction of ['ingress', 'egress'] as const) {
      const passes = cp[direction].filter(r => r.action === 'Pass');
      if (!passes.length) continue;
      const subjects = [...cp.selected];
      const isolating = direction === 'ingress' ? m.ingressPolicies : m.egressPolicies;
      if (subjects.some(c => isolating[c]!.length > 0)) continue;
      const workloads = subjects.flatMap(c => m.classes[c]!.peers.map(i => m.peers[i]!.ref));
      // A namespace without any NetworkPolicy here may have its policies applied from elsewhere: only
      // namespaces whose NetworkPolicies the workspace holds are judged.
      if (subjects.some(c => ws.policiesIn(m.classes[c]!.namespace).length === 0)) continue;
      if (workloads.some(w => thirdPartyPoliciesOn(ws, w.workload).length)) continue;
      const baseline = (direction === 'ingress' ? m.admin.baselineIngress : m.admin.baselineEgress);
      const base = subjects.flatMap(c => baseline[c]!).map(b => adminPolicyTitle(b.policy));
      const then = base.length ? `the baseline tier decides (${[...new Set(base)].join(', ')})` : 'it is allowed by default';
      for (const r of passes) {
        ctx.report({
          span: r.rule.action?.span ?? r.rule.span,
          message: `Pass rule ${adminRuleName(r.rule)} hands ${direction} traffic of ${nameList(workloads.map(w => w.id), 3)} to the NetworkPolicy tier, but no NetworkPolicy of the workspace isolates them for ${direction}: ${then}.`,
        });
      }
    }
  },
});
