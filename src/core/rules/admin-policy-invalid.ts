import { adminPolicyView } from '../parse/admin';
import { adminProblems } from '../net/policy/admin-validate';
import { defineRule } from './rule';

/** What the API server's validation rejects in an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy. */
export default defineRule({
  id: 'admin-policy-invalid',
  severity: 'error',
  kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'],
  docs: {
    summary: 'A cluster-wide policy (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) breaks the API\'s validation.',
    rationale: 'The API server rejects the whole object (priority outside 0-1000, more than 100 rules, an empty from/to, a subject, peer or port that does not set exactly one field, an unknown action, an invalid CIDR, a port range that holds no port, a named port toward networks or nodes, a BaselineAdminNetworkPolicy not named default), so none of its rules apply. np-guard refuses these inputs too.',
  },
  check(object, ctx) {
    const p = adminPolicyView(object);
    if (!p) return;
    for (const problem of adminProblems(ctx.workspace, p)) ctx.report(problem);
  },
});
