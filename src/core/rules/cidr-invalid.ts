import { ADDRESS_KINDS } from '../net/ipam';
import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** An address-plan value (a CIDR or IP in kubeadm, kube-proxy, kubelet, Node, Calico, Service or NetworkPolicy fields) that does not parse. */
export default defineRule({
  id: 'cidr-invalid',
  severity: 'error',
  kinds: ADDRESS_KINDS,
  docs: {
    summary: 'An address-plan value (a CIDR or IP in kubeadm, kube-proxy, kubelet, Node, Calico, Service or NetworkPolicy fields) that does not parse.',
    rationale: 'The API server rejects the object (or, for cluster configuration, the component fails to start); an ipBlock with an invalid cidr makes the whole NetworkPolicy invalid.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'cidr-invalid');
  },
});
