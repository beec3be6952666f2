import { ADDRESS_KINDS, apiWarning } from '../net/ipam';
import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/**
 * An IP or CIDR in a Kubernetes API field written in a form the API server warns about (KEP-4858):
 * leading zeros, an IPv4-mapped IPv6 address, IPv6 not in RFC 5952 canonical form.
 */
export default defineRule({
  id: 'ip-non-standard',
  severity: 'warning',
  kinds: ADDRESS_KINDS,
  docs: {
    summary: 'An IP or CIDR in a Kubernetes API field (ipBlock, Service, Node podCIDRs, Endpoints, EndpointSlices) in a form the API server warns about: leading zeros (010.1.2.3), an IPv4-mapped IPv6 address (::ffff:10.1.2.3) or IPv6 not in RFC 5952 canonical form.',
    rationale: 'The API server reads 010.1.2.3 as 10.1.2.3 (leading zeros as decimal) but stores the text as written, and libc-based software reads the same text as octal (8.1.2.3): the network plugin and the firewall may not agree on the address (CVE-2021-29923). Since Kubernetes 1.33 the API server warns, with the same words; with the StrictIPCIDRValidation feature gate on it rejects new values.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'ip-non-standard', p => {
      const use = p.entry && apiWarning(p.entry)?.use;
      return use ? [{ title: `Replace with ${use}`, preferred: true, edits: [{ file: p.at!.file, span: p.at!.span, newText: use }] }] : [];
    });
  },
});
