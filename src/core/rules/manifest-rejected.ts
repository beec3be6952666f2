import { rejections } from '../parse/validate';
import { defineRule } from './rule';
import { ownedElsewhere } from './support/rejections';

/**
 * What the API server rejects in an object the analysis reads (a value of the wrong type, an invalid
 * label key or value, a selector operator, a port name, a protocol, a policyTypes entry), except
 * what a rule of its own reports (empty peers, ipBlock with a selector, port ranges, CIDRs).
 */
export default defineRule({
  id: 'manifest-rejected',
  severity: 'error',
  docs: {
    summary: 'The API server rejects the object: a value of the wrong type, an invalid label key or value, selector operator, port name, protocol or policyTypes entry.',
    rationale: 'A rejected object is never created: a NetworkPolicy it names does not isolate anything, a Deployment runs no pods. The analysis leaves it out, as the cluster would.',
  },
  check(object, ctx) {
    for (const r of rejections(object)) {
      if (!ownedElsewhere(r.code, object.kind)) ctx.report({ span: r.span, message: r.message });
    }
  },
});
