import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A Calico IP pool or a Node podCIDR outside the cluster's pod range (kubeadm podSubnet, kube-proxy clusterCIDR or the podCIDRs setting). */
export default defineRule({
  id: 'pool-outside-pod-cidr',
  severity: 'warning',
  kinds: ['IPPool', 'Installation', 'Node'],
  docs: {
    summary: "A Calico IP pool or a Node podCIDR outside the cluster's pod range (kubeadm podSubnet, kube-proxy clusterCIDR or the podCIDRs setting).",
    rationale: 'kube-proxy treats the pod range as cluster-internal; pods given addresses outside it are masqueraded or mis-routed, and policies written for the pod range miss them.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'pool-outside-pod-cidr');
  },
});
