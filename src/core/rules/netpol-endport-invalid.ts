import { isKind } from '../parse/kinds';
import { defineRule } from './rule';
import { OWNED_CODES, reportRejections } from './support/rejections';

/** Port ranges the API server rejects: endPort with a named or missing port, endPort below port, ports outside 1-65535. */
export default defineRule({
  id: 'netpol-endport-invalid',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A policy port is outside 1-65535, or endPort is set with a named or missing port, or is below port.',
    rationale: 'The API server rejects the whole NetworkPolicy, so none of its rules apply.',
  },
  check(object, ctx) {
    if (isKind(object, 'NetworkPolicy')) reportRejections(ctx, object, OWNED_CODES['netpol-endport-invalid']!);
  },
});
