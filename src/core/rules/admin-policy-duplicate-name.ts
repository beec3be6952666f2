import { defineRule } from './rule';
import { reportDuplicate } from './support/duplicates';

/** Two cluster-wide policies of one kind with one name. */
export default defineRule({
  id: 'admin-policy-duplicate-name',
  severity: 'error',
  kinds: ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'],
  docs: {
    summary: 'Two AdminNetworkPolicies, BaselineAdminNetworkPolicies or ClusterNetworkPolicies have the same name.',
    rationale: 'They are cluster-scoped: only one object of a given kind can have a given name at a time, so applying both keeps only the last one and the rules of the other silently disappear.',
  },
  check(object, ctx) {
    reportDuplicate(object, ctx, () => `Only one ${object.kind} can be named "${object.name}" (the kind is cluster-scoped), and one is already declared`);
  },
});
