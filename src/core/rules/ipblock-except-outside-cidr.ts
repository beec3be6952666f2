import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** An ipBlock except entry that is not a strict subset of its cidr. */
export default defineRule({
  id: 'ipblock-except-outside-cidr',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'An ipBlock except entry that is not a strict subset of its cidr.',
    rationale: 'Kubernetes rejects a NetworkPolicy whose except entries are not strictly inside the cidr; an except of the other family never matches anything.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'ipblock-except-outside-cidr');
  },
});
