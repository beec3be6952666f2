import { POLICY_FOR_ANNOTATION } from '../parse/networks';
import { multiNetworkPolicyView } from '../parse/views/policy';
import { at, pairOf, spanOf } from '../parse/yaml';
import { defineRule } from './rule';

/**
 * What np-guard refuses in a MultiNetworkPolicy (`eval/internal/k8s/multi_netpol.go`), with its
 * words: no `k8s.v1.cni.cncf.io/policy-for` annotation, a rule peer that sets nothing, a rule peer
 * that sets an ipBlock beside a selector, an endPort beside a named port, a port range that holds no
 * port. The CRD accepts them, so the cluster keeps the object.
 */
export default defineRule({
  id: 'multinetpol-invalid',
  severity: 'warning',
  kinds: ['MultiNetworkPolicy'],
  docs: {
    summary: 'A MultiNetworkPolicy has no policy-for annotation, a from/to peer that sets nothing or an ipBlock beside a selector, or a port range that holds no port.',
    rationale: 'Without `k8s.v1.cni.cncf.io/policy-for` the policy applies to no secondary network, so it restricts nothing. A peer must set a podSelector and/or namespaceSelector, or an ipBlock alone, and a port range must hold a port (the NetworkPolicy rules the MultiNetworkPolicy follows, which its CRD does not check); implementations read the others differently. np-guard refuses these inputs.',
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
      for (const port of rule.ports ?? []) {
        if (typeof port.port === 'string' && port.endPort !== undefined) {
          ctx.report({
            span: port.endPortSpan ?? port.span,
            message: `${full}: named port error: endPort field cannot be defined if the port field is defined as a named (string) port`,
          });
        } else if (typeof port.port === 'number') {
          const end = port.endPort ?? port.port;
          if (port.port < 1 || port.port > 65535 || end < port.port || end > 65535) {
            ctx.report({
              span: (end < port.port || end > 65535 ? port.endPortSpan : port.portSpan) ?? port.span,
              message: `${full}: port range ${port.port}-${end} holds no port: start and end must be in 1-65535 and end may not be less than start`,
            });
          }
        }
      }
    }
  },
});
