import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A pod range (podSubnet, clusterCIDR, an IP pool or the podCIDRs setting) that overlaps a service range. */
export default defineRule({
  id: 'pod-service-cidr-overlap',
  severity: 'error',
  kinds: ['ClusterConfiguration', 'KubeProxyConfiguration', 'IPPool', 'Installation'],
  docs: {
    summary: 'A pod range (podSubnet, clusterCIDR, an IP pool or the podCIDRs setting) that overlaps a service range.',
    rationale: 'Pod IPs and Service clusterIPs must be disjoint: kube-proxy would route traffic for a pod address to a Service, and the allocators would hand out the same address twice.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'pod-service-cidr-overlap');
  },
});
