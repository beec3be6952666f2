/** Reports the address plan's problems of one rule at one object. */
import type { K8sObject } from '../../parse/manifest';
import { problemsAt, type PlanProblem, type ProblemCode } from '../../net/ipam';
import type { Fix, RuleContext } from '../rule';

/**
 * Reports every plan problem of kind `id` located at `object` through a rule context, with the
 * problem's related values (those defined in manifests) and the fixes `fixes` builds for it.
 */
export function reportPlanProblems(ctx: RuleContext, object: K8sObject, id: ProblemCode, fixes?: (p: PlanProblem) => Fix[]): void {
  for (const p of problemsAt(ctx.workspace, object, id)) {
    if (!p.at) continue;
    ctx.report({
      span: p.at.span,
      message: p.message,
      fixes: fixes?.(p) ?? [],
      related: p.related.flatMap(r => (r.entry.source ? [{ file: r.entry.source.file, span: r.entry.source.span, message: r.message }] : [])),
    });
  }
}
