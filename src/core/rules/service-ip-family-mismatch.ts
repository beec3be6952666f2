import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A Service whose clusterIPs do not follow its ipFamilies order, or that asks for an IP family the cluster has no service range for. */
export default defineRule({
  id: 'service-ip-family-mismatch',
  severity: 'warning',
  kinds: ['Service'],
  docs: {
    summary: 'A Service whose clusterIPs do not follow its ipFamilies order, or that asks for an IP family the cluster has no service range for.',
    rationale: 'The API server requires clusterIPs[i] to be of family ipFamilies[i], and rejects a family that is not configured on the cluster.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'service-ip-family-mismatch');
  },
});
