import { objectRef } from '../parse/manifest';
import { multiNetworkPolicyView } from '../parse/views/policy';
import { multiNetworkDestination } from '../net/policy/secondary';
import { defineRule } from './rule';
import { forEachPort, policyInForce } from './support/policy';
import { destinationsWithout, namedPortProtocols } from './support/select';
import { nameList } from './support/text';

/**
 * A named port that no container of the destination pods defines with that protocol. In a
 * MultiNetworkPolicy the destinations are those on a secondary network the policy is for (np-guard
 * warns per destination pod, `port name: … has no match in the configuration of the destination
 * peer`; `connectivity` prints that; here the rule speaks when none defines it).
 */
export default defineRule({
  id: 'netpol-named-port-undefined',
  severity: 'warning',
  kinds: ['NetworkPolicy', 'MultiNetworkPolicy'],
  docs: {
    summary: 'A policy port names a container port that no destination pod defines (with that protocol).',
    rationale: 'A named port is looked up on each destination pod: name and protocol must both match one of its container ports. When no pod defines it, the rule allows nothing. Destinations are the policy\'s own pods for ingress and the pods the `to` peers select for egress (for a MultiNetworkPolicy, those on a secondary network its `policy-for` names); the rule speaks only when the workspace defines all of them.',
  },
  check(object, ctx) {
    const multi = multiNetworkPolicyView(object);
    const p = multi ?? policyInForce(object);
    if (!p) return;
    forEachPort(p, (port, rule) => {
      if (typeof port.port !== 'string' || !port.portSpan) return;
      const protocol = port.protocol ?? 'TCP';
      const dests = destinationsWithout(ctx.workspace, p, rule, port.port, protocol, multi && (w => multiNetworkDestination(ctx.workspace, multi, rule.direction, w)));
      if (!dests) return;
      const other = [...new Set(dests.flatMap(w => namedPortProtocols(w, port.port as string)))];
      const where = nameList(dests.map(w => objectRef(w.object)), 3);
      ctx.report({
        span: port.portSpan,
        message: other.length
          ? `named port "${port.port}" is ${other.join('/')} on ${where}, not ${protocol}, so this rule allows nothing on it.`
          : `named port "${port.port}" is not defined by any container of ${where}, so this rule allows nothing on it.`,
      });
    });
  },
});
