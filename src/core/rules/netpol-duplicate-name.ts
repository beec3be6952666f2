import { multiNetworkPolicyView } from '../parse/views/policy';
import { defineRule } from './rule';
import { reportDuplicate } from './support/duplicates';

/** Two NetworkPolicies (or two MultiNetworkPolicies) with the same namespace/name. */
export default defineRule({
  id: 'netpol-duplicate-name',
  severity: 'error',
  kinds: ['NetworkPolicy', 'MultiNetworkPolicy'],
  docs: {
    summary: 'Two NetworkPolicies (or two MultiNetworkPolicies) have the same namespace and name.',
    rationale: 'Applying both keeps only the last one, so the rules of the other silently disappear from the cluster.',
  },
  check(object, ctx) {
    if (object.kind === 'MultiNetworkPolicy' && !multiNetworkPolicyView(object)) return;
    reportDuplicate(object, ctx, () => `${object.kind} ${object.name} is already declared in namespace ${object.namespace}`);
  },
});
