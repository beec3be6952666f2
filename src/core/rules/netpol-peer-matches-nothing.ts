import { formatSelector, isEmptySelector } from '../net/selectors';
import { defineRule } from './rule';
import { forEachPeer, peerKey, policyInForce } from './support/policy';
import { peerPods, peerSurelyIncomplete, pinnedNamespaces } from './support/select';
import { keySpan } from './support/text';

/** A from/to peer whose podSelector selects no workload where the workspace knows every candidate. */
export default defineRule({
  id: 'netpol-peer-matches-nothing',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A from/to peer\'s podSelector selects no workload in the namespaces it looks in, although the workspace defines workloads there.',
    rationale: 'A peer that selects nothing allows nothing: usually a misspelt label, or a podSelector meant for another namespace. The rule speaks only when the workspace knows every candidate: a podSelector alone (the policy\'s namespace, which must have workloads here) or with a namespaceSelector that names namespaces by kubernetes.io/metadata.name, all of which have workloads here. Peers that select namespaces by other labels may match namespaces deployed from elsewhere (kube-system, monitoring) and are never reported.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p) return;
    forEachPeer(p, (peer, rule, _i, node) => {
      if (!peer.podSelector || isEmptySelector(peer.podSelector) || peerSurelyIncomplete(peer)) return;
      const { workloads, complete } = peerPods(ctx.workspace, object.namespace, peer, object);
      if (!complete || workloads.length) return;
      const span = keySpan(object.doc, node, 'podSelector');
      if (!span) return;
      const namespaces = peer.namespaceSelector ? pinnedNamespaces(peer.namespaceSelector)! : [object.namespace];
      const where = `namespace ${namespaces.join(', ')}`;
      const keys = [...Object.keys(peer.podSelector.matchLabels), ...peer.podSelector.matchExpressions.map(r => r.key)];
      if (!namespaces.some(ns => ctx.workspace.workloadsIn(ns).some(w => keys.some(k => k in w.podLabels || w.addedLabels.has(k))))) {
        // No workload there uses any of the peer's label keys: nothing hints at a mistake. Clients
        // a chart asks to be labelled (`kafka-client: "true"`) come from other releases and repositories.
        ctx.report({
          span, severity: 'hint',
          message: `${peerKey(rule.direction)} podSelector ${formatSelector(peer.podSelector)} selects no workload defined in this workspace (no workload in ${where} has ${keys.length === 1 ? `a label ${keys[0]}` : `any of the labels ${keys.join(', ')}`}); pods created elsewhere may carry it`,
        });
        return;
      }
      ctx.report({
        span,
        message: `${peerKey(rule.direction)} podSelector ${formatSelector(peer.podSelector)} selects no workload in ${where}, so this peer allows nothing.`,
      });
    });
  },
});
