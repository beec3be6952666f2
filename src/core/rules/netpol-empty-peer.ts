import { isKind } from '../parse/kinds';
import { defineRule } from './rule';
import { OWNED_CODES, reportRejections } from './support/rejections';

/** A `from`/`to` item with no podSelector, namespaceSelector or ipBlock: the API server rejects it. */
export default defineRule({
  id: 'netpol-empty-peer',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A from/to peer sets no podSelector, namespaceSelector or ipBlock.',
    rationale: 'The API server rejects the whole NetworkPolicy ("must specify a peer"), so none of its rules apply.',
  },
  check(object, ctx) {
    if (isKind(object, 'NetworkPolicy')) reportRejections(ctx, object, OWNED_CODES['netpol-empty-peer']!);
  },
});
