/**
 * What the two per-pod-name rules share (pod-subdomain-service-missing, statefulset-service-missing):
 * the field that names the governing Service, and the finding when that Service gives no names.
 */
import { subdomainProblem } from '../../net/dns/checks';
import type { K8sObject } from '../../parse/manifest';
import type { Workload } from '../../parse/views/workload';
import type { Ranged } from '../../span';
import { relatedObject, type Fix, type RuleContext } from '../rule';

/**
 * Reports the problem of `object`'s pods when the Service `field` names gives them no per-pod
 * names; `fix` is asked for a fix when the Service is missing.
 */
export function reportSubdomainProblem(
  ctx: RuleContext, object: K8sObject, field: (w: Workload) => Ranged<string> | undefined,
  fix?: (w: Workload, name: string) => Fix | undefined,
  notHeadless?: { severity: 'info'; why: string },
): void {
  const w = ctx.entry.workloads.find(x => x.object === object);
  const name = w && field(w);
  if (!w || !name?.value) return;
  const problem = subdomainProblem(ctx.workspace, w, name.value);
  if (!problem) return;
  const s = problem.service;
  const f = problem.missing ? fix?.(w, name.value) : undefined;
  const plain = !!s && !problem.missing && !s.headless && notHeadless;
  ctx.report({
    span: name.span,
    message: plain ? `${problem.message}${notHeadless.why}` : problem.message,
    ...(plain ? { severity: notHeadless.severity } : {}),
    ...(f ? { fixes: [f] } : {}),
    ...(s ? { related: [relatedObject(s.object)] } : {}),
  });
}
