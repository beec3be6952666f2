import { formatSelector } from '../net/selectors';
import { networkPolicyView } from '../parse/views/policy';
import { entries, spanOf } from '../parse/yaml';
import { defineRule, type Fix } from './rule';
import { forEachPeer, peerKey } from './support/policy';
import { dashPrefix, isBlock, keySpan } from './support/text';

/** A namespaceSelector item followed by a podSelector item: two peers (OR), often meant as one (AND). */
export default defineRule({
  id: 'netpol-peer-or-looks-like-and',
  severity: 'hint',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A from/to list has a namespaceSelector item followed by a podSelector item: two peers, either of which matches.',
    rationale: 'A `-` before podSelector starts a new peer. `namespaceSelector` then `- podSelector` allows every pod of the selected namespaces OR the selected pods of the policy\'s own namespace; written in one item, both must match (AND). The one-character difference often opens far more than intended.',
  },
  check(object, ctx) {
    const p = networkPolicyView(object);
    if (!p) return;
    const text = ctx.entry.manifest.text;
    const nodes = new Map<unknown, unknown>();
    forEachPeer(p, (peer, rule, i, node) => {
      nodes.set(peer, node);
      const prev = rule.peers![i - 1];
      if (!prev || !prev.namespaceSelector || prev.podSelector || prev.ipBlock) return;
      if (!peer.podSelector || peer.namespaceSelector || peer.ipBlock) return;
      const span = keySpan(object.doc, node, 'podSelector');
      if (!span) return;
      const prevNode = nodes.get(prev);
      const fixes: Fix[] = [];
      const prevStart = spanOf(prevNode)?.start;
      const prevDash = prevStart === undefined ? undefined : dashPrefix(text, prevStart);
      const dash = dashPrefix(text, span.start);
      // Merging is one character (the second `-` becomes a space) when both items are block maps of
      // one key each, written with the same dash layout; anything else is left to the author.
      if (prevDash && dash === prevDash && isBlock(prevNode) && isBlock(node)
        && entries(object.doc, prevNode).length === 1 && entries(object.doc, node).length === 1) {
        const dashAt = span.start - dash.length + dash.indexOf('-');
        fixes.push({
          title: 'Merge into one peer (namespaceSelector AND podSelector)',
          edits: [{ file: object.file, span: { start: dashAt, end: dashAt + 1 }, newText: ' ' }],
        });
      }
      const key = peerKey(rule.direction);
      ctx.report({
        span,
        message: `podSelector ${formatSelector(peer.podSelector)} is a separate ${key} peer from namespaceSelector ${formatSelector(prev.namespaceSelector)} above it, so either one matches; to require both, write them in one item.`,
        fixes,
      });
    });
  },
});
