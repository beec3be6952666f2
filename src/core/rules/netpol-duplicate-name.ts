import { defineRule } from './rule';
import { reportDuplicate } from './support/duplicates';

/** Two NetworkPolicies with the same namespace/name. */
export default defineRule({
  id: 'netpol-duplicate-name',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'Two NetworkPolicies have the same namespace and name.',
    rationale: 'Applying both keeps only the last one, so the rules of the other silently disappear from the cluster.',
  },
  check(object, ctx) {
    reportDuplicate(object, ctx, () => `NetworkPolicy ${object.name} is already declared in namespace ${object.namespace}`);
  },
});
