import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A Service clusterIP equal to another Service's clusterIP. */
export default defineRule({
  id: 'cluster-ip-duplicate',
  severity: 'error',
  kinds: ['Service'],
  docs: {
    summary: "A Service clusterIP equal to another Service's clusterIP.",
    rationale: 'The API server allocates each clusterIP once: the second Service is rejected with "provided IP is already allocated".',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'cluster-ip-duplicate');
  },
});
