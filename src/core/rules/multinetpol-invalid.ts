import { POLICY_FOR_ANNOTATION } from '../parse/networks';
import { multiNetworkPolicyView } from '../parse/views/policy';
import { at, pairOf, spanOf } from '../parse/yaml';
import { defineRule } from './rule';

/**
 * What np-guard refuses in a MultiNetworkPolicy (`eval/internal/k8s/multi_netpol.go`), with its
 * words: no `k8s.v1.cni.cncf.io/policy-for` annotation, a rule peer that sets nothing, a rule peer
 * that sets an ipBlock beside a selector. The CRD accepts all three, so the cluster keeps the object.
 */
export default defineRule({
  id: 'multinetpol-invalid',
  severity: 'warning',
  kinds: ['MultiNetworkPolicy'],
  docs: {
    summary: 'A MultiNetworkPolicy has no policy-for annotation, or a from/to peer that sets nothing or an ipBlock beside a selector.',
    rationale: 'Without `k8s.v1.cni.cncf.io/policy-for` the policy applies to no secondary network, so it restricts nothing. A peer must set a podSelector and/or namespaceSelector, or an ipBlock alone (the NetworkPolicy rules the MultiNetworkPolicy follows); implementations read the others differently. np-guard refuses all three inputs.',
  },
  check(object, ctx) {
    const p = multiNetworkPolicyView(object);
    if (!p) return;
    const full = `MultiNetworkPolicy '${object.namespace}/${object.name}'`;
    const value = object.annotations[POLICY_FOR_ANNOTATION];
    const doc = object.doc;
    if (value === undefined || value.trim() === '') {
      const annotations = at(doc, object.node, 'metadata', 'annotations');
      const written = pairOf(doc, annotations, POLICY_FOR_ANNOTATION);
      const span = spanOf(written?.[1]) ?? spanOf(written?.[0]) ?? object.nameSpan ?? object.span;
      ctx.report({
        span,
        message: `${full} has no ${POLICY_FOR_ANNOTATION} annotation naming the secondary networks it applies to, so it applies to none (np-guard: annotations error: a policy-for annotation indicating to which secondary networks the policy applies must be specified)`,
      });
    }
    for (const rule of [...(p.ingress ?? []), ...(p.egress ?? [])]) {
      (rule.peers ?? []).forEach((peer, i) => {
        const selector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
        if (!selector && !peer.ipBlock) {
          ctx.report({ span: peer.span, message: `${full}: rule MultiNetworkPolicyPeer error: cannot have empty rule peer` });
        } else if (selector && peer.ipBlock) {
          // At the `ipBlock` key of the peer.
          const node = at(doc, object.node, 'spec', rule.direction, rule.index, rule.direction === 'ingress' ? 'from' : 'to', i);
          const key = pairOf(doc, node, 'ipBlock')?.[0];
          ctx.report({
            span: spanOf(key) ?? peer.ipBlock.span,
            message: `${full}: rule MultiNetworkPolicyPeer error: cannot have both IPBlock and PodSelector/NamespaceSelector set`,
          });
        }
      });
    }
  },
});
