import { networkPolicyView } from '../parse/views';
import { defineRule } from './rule';
import { forEachPort } from './support/policy';

const inRange = (n: number) => n >= 1 && n <= 65535;

/** Port ranges the API server rejects: endPort with a named or missing port, endPort below port, ports outside 1-65535. */
export default defineRule({
  id: 'netpol-endport-invalid',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A policy port is outside 1-65535, or endPort is set with a named or missing port, or is below port.',
    rationale: 'The API server rejects the whole NetworkPolicy, so none of its rules apply.',
  },
  check(object, ctx) {
    const p = networkPolicyView(object);
    if (!p) return;
    forEachPort(p, port => {
      if (typeof port.port === 'number' && !inRange(port.port) && port.portSpan) {
        ctx.report({ span: port.portSpan, message: `port ${port.port} is outside 1-65535.` });
      }
      if (port.endPort === undefined || !port.endPortSpan) return;
      const span = port.endPortSpan;
      if (port.port === undefined) {
        ctx.report({ span, message: `endPort ${port.endPort} is set without a port, which the API server rejects; add port: <first port of the range>.` });
      } else if (typeof port.port === 'string') {
        ctx.report({ span, message: `endPort ${port.endPort} cannot follow the named port "${port.port}", which the API server rejects; use a port number or drop endPort.` });
      } else if (!inRange(port.endPort)) {
        ctx.report({ span, message: `endPort ${port.endPort} is outside 1-65535.` });
      } else if (port.endPort < port.port) {
        ctx.report({ span, message: `endPort ${port.endPort} is below port ${port.port}, which the API server rejects; the range must run from port up to endPort.` });
      }
    });
  },
});
