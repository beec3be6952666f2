import { formatSelector } from '../net/selectors';
import { networkPolicyView } from '../parse/views';
import { defineRule } from './rule';
import { forEachPeer, peerKey } from './support/policy';
import { keySpan } from './support/text';

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
    const p = networkPolicyView(object);
    if (!p) return;
    forEachPeer(p, (peer, rule, _i, node) => {
      if (!peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return;
      const span = keySpan(object.doc, node, 'ipBlock');
      if (!span) return;
      const selector = peer.podSelector
        ? `podSelector ${formatSelector(peer.podSelector)}`
        : `namespaceSelector ${formatSelector(peer.namespaceSelector!)}`;
      ctx.report({
        span,
        message: `ipBlock ${peer.ipBlock.cidr?.value ?? ''} shares one peer with ${selector}, which the API server rejects; make them two ${peerKey(rule.direction)} items.`,
      });
    });
  },
});
