import { networkPolicyView } from '../parse/views';
import { defineRule } from './rule';
import { forEachPeer, peerKey } from './support/policy';
import { nodeSpan } from './support/text';

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
    const p = networkPolicyView(object);
    if (!p) return;
    const text = ctx.entry.manifest.text;
    forEachPeer(p, (peer, rule, _i, node) => {
      if (peer.podSelector || peer.namespaceSelector || peer.ipBlock) return;
      const span = nodeSpan(text, node);
      if (!span) return;
      const key = peerKey(rule.direction);
      ctx.report({
        span,
        message: `${key} peer ${text.slice(span.start, span.end)} sets no podSelector, namespaceSelector or ipBlock, which the API server rejects; to mean every ${rule.direction === 'ingress' ? 'source' : 'destination'}, leave out the ${key} list.`,
      });
    });
  },
});
