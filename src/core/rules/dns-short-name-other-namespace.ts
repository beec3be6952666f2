import { LOOKUP_KINDS, lookupsOf, shortNameElsewhere } from '../net/dns/checks';
import { LISTED_NAMESPACES } from '../net/dns/records';
import { resolveReference } from '../net/dns/references';
import { defineRule, relatedObject } from './rule';
import { nameList } from './support/text';

/**
 * A single-label name finds Services of the caller's namespace only (the first search domain is
 * `<ns>.svc.<zone>`); when the Service exists only in another namespace, the name must say it.
 */
export default defineRule({
  id: 'dns-short-name-other-namespace',
  severity: 'warning',
  kinds: LOOKUP_KINDS,
  docs: {
    summary: 'A short Service name is used from a namespace where that Service does not exist, but another namespace has it.',
    rationale: 'A pod resolves `db` only as `db.<its namespace>.svc.<zone>`; a Service `db` in namespace `prod` is reached as `db.prod`. The short name gives NXDOMAIN at run time.',
  },
  check(object, ctx) {
    const ws = ctx.workspace;
    for (const ref of lookupsOf(ws, object)) {
      const elsewhere = shortNameElsewhere(ws, ref, resolveReference(ws, ref));
      if (!elsewhere.length) continue;
      const all = [...new Set(elsewhere.map(s => s.object.namespace))];
      // A name can be in hundreds of namespaces: the message, fixes and related locations name the first few.
      const namespaces = all.slice(0, LISTED_NAMESPACES);
      ctx.report({
        span: ref.span,
        message: `${ref.host} is not a Service in namespace ${ref.namespace}; it exists in namespace ${nameList(all, LISTED_NAMESPACES)} (write ${namespaces.map(ns => `${ref.host}.${ns}`).join(' or ')}${all.length > LISTED_NAMESPACES ? ', ...' : ''})`,
        fixes: namespaces.map(ns => ({
          title: `Change to ${ref.host}.${ns}`,
          edits: [{ file: ref.file, span: ref.span, newText: `${ref.host}.${ns}` }],
          preferred: all.length === 1,
        })),
        related: elsewhere.filter(s => namespaces.includes(s.object.namespace)).map(s => relatedObject(s.object)),
      });
    }
  },
});
