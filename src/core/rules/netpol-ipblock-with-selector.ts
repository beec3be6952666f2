import { isKind } from '../parse/kinds';
import { defineRule } from './rule';
import { OWNED_CODES, reportRejections } from './support/rejections';

/** A peer with an ipBlock and a selector: the API server rejects it. */
export default defineRule({
  id: 'netpol-ipblock-with-selector',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A from/to peer sets ipBlock together with podSelector or namespaceSelector.',
    rationale: 'The API server rejects the whole NetworkPolicy ("may not specify both ipBlock and another peer"), so none of its rules apply.',
  },
  check(object, ctx) {
    if (isKind(object, 'NetworkPolicy')) reportRejections(ctx, object, OWNED_CODES['netpol-ipblock-with-selector']!);
  },
});
