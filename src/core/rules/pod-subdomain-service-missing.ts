import { WORKLOAD_KINDS } from '../parse/kinds';
import { defineRule } from './rule';
import { reportSubdomainProblem } from './support/subdomain';

/**
 * "DNS for Services and Pods" › Pod's hostname and subdomain fields: the per-pod name
 * `<hostname>.<subdomain>.<ns>.svc.<zone>` exists only when a headless Service named like the
 * subdomain exists in the pod's namespace (and, being an endpoint hostname, selects the pod).
 */
export default defineRule({
  id: 'pod-subdomain-service-missing',
  severity: 'warning',
  kinds: WORKLOAD_KINDS.filter(k => k !== 'StatefulSet'),
  docs: {
    summary: 'A pod sets subdomain, but no headless Service of that name selects it in its namespace.',
    rationale: 'Without that Service the pod has no `<hostname>.<subdomain>.<ns>.svc.<zone>` record: peers that use the name get NXDOMAIN.',
  },
  check(object, ctx) {
    reportSubdomainProblem(ctx, object, w => w.subdomain);
  },
});
