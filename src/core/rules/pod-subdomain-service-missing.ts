import { subdomainProblem } from '../net/dns/checks';
import { WORKLOAD_KINDS } from '../parse/kinds';
import { defineRule } from './rule';

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
    const w = ctx.entry.workloads.find(x => x.object === object);
    const sub = w?.subdomain;
    if (!w || !sub?.value) return;
    const problem = subdomainProblem(ctx.workspace, w, sub.value);
    if (!problem) return;
    const s = problem.service;
    ctx.report({
      span: sub.span,
      message: problem.message,
      ...(s ? { related: [{ file: s.object.file, span: s.object.nameSpan ?? s.object.span, message: `Service ${s.object.namespace}/${s.object.name}` }] } : {}),
    });
  },
});
