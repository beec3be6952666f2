import { defineRule } from './rule';
import { forEachPort, policyInForce, portEntryAdmits } from './support/policy';

/** An egress rule that allows port 53 with no `to`: DNS to any server, inside or outside the cluster. */
export default defineRule({
  id: 'netpol-dns-to-anywhere',
  severity: 'hint',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'An egress rule allows port 53 without a `to` list, so DNS to any address is allowed.',
    rationale: 'Pods need only the cluster DNS service. Port 53 to anywhere lets a compromised pod use any resolver on the internet (and tunnel data through DNS); a `to` naming kube-dns keeps the same function.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p || !p.isolatesEgress) return;
    forEachPort(p, (port, rule) => {
      if (rule.direction !== 'egress' || (rule.peers && rule.peers.length) || !port.portSpan) return;
      const proto = port.protocol ?? 'TCP';
      if (typeof port.port !== 'number' || !portEntryAdmits(port, proto, 53) || port.endPort !== undefined) return;
      ctx.report({
        span: port.portSpan,
        message: `${proto} port 53 is allowed to every destination because this egress rule has no to; limit it to kube-dns in kube-system.`,
      });
    });
  },
});
