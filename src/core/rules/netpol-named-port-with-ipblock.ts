import { defineRule } from './rule';
import { forEachPort, policyInForce } from './support/policy';

/** An egress named port toward an ipBlock: addresses outside the cluster have no port names. */
export default defineRule({
  id: 'netpol-named-port-with-ipblock',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'An egress rule names a port (a container port name) toward an ipBlock peer.',
    rationale: 'A named port is resolved on the destination pod; an ipBlock matches addresses outside the cluster, which have no named ports, so that traffic is never allowed.',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p) return;
    forEachPort(p, (port, rule) => {
      if (rule.direction !== 'egress' || typeof port.port !== 'string' || !port.portSpan) return;
      const blocks = (rule.peers ?? []).filter(peer => peer.ipBlock);
      if (!blocks.length) return;
      const cidr = blocks[0]!.ipBlock!.cidr?.value ?? '';
      ctx.report({
        span: port.portSpan,
        message: `named port "${port.port}" never matches traffic to ipBlock ${cidr}: only pods have named ports, so write the port number.`,
      });
    });
  },
});
