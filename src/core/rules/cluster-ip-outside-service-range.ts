import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A Service clusterIP outside the cluster's service range, or its reserved network or broadcast address. */
export default defineRule({
  id: 'cluster-ip-outside-service-range',
  severity: 'error',
  kinds: ['Service'],
  docs: {
    summary: "A Service clusterIP outside the cluster's service range, or its reserved network or broadcast address.",
    rationale: 'The API server only accepts clusterIPs from its --service-cluster-ip-range and never allocates the network address (nor the IPv4 broadcast address); the manifest cannot be applied.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'cluster-ip-outside-service-range');
  },
});
