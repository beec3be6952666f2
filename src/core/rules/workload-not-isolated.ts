import { controllerOf } from '../net/policy/peers';
import { selectorMatches } from '../net/selectors';
import { objectRef } from '../parse/manifest';
import { WORKLOAD_KINDS } from '../parse/kinds';
import { workloadView } from '../parse/views/workload';
import { defineRule } from './rule';

/** A workload that no NetworkPolicy selects (off by default). */
export default defineRule({
  id: 'workload-not-isolated',
  severity: 'info',
  enabledByDefault: false,
  kinds: WORKLOAD_KINDS,
  docs: {
    summary: 'No NetworkPolicy in the workspace selects this workload, so all its traffic is allowed.',
    rationale: 'Pods that no policy selects accept and send any traffic. Teams that require every workload to be covered (a default-deny per namespace, say) turn this rule on to find the ones left out.',
  },
  check(object, ctx) {
    const w = workloadView(object);
    if (!w || controllerOf(w)) return;
    const ns = object.namespace;
    if (ctx.workspace.policies.some(p => p.object.namespace === ns && selectorMatches(p.podSelector, w.podLabels))) return;
    ctx.report({
      span: object.nameSpan ?? object.kindSpan,
      message: `No NetworkPolicy in namespace ${ns} selects ${objectRef(object)}, so all its ingress and egress traffic is allowed.`,
    });
  },
});
