import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** An ipBlock whose addresses include pod or service addresses. */
export default defineRule({
  id: 'ipblock-covers-cluster',
  severity: 'info',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'An ipBlock whose addresses include pod or service addresses.',
    rationale: "Under the NetworkPolicy API's documented intent ipBlock matches only traffic from or to outside the cluster, so its pod part matches nothing and pods need selectors; CNIs such as Calico match pod IPs too, so the same peer admits every pod. Most implementations translate Service IPs to pod IPs before policies apply, so an ipBlock over the service range usually matches nothing.",
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'ipblock-covers-cluster');
  },
});
