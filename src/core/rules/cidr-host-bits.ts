import { ADDRESS_KINDS, API_LEGACY_ROLES, singleAddress } from '../net/ipam';
import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A CIDR with bits set after its prefix length, such as 10.1.2.3/16. */
export default defineRule({
  id: 'cidr-host-bits',
  severity: 'warning',
  kinds: ADDRESS_KINDS,
  docs: {
    summary: 'A CIDR with bits set after its prefix length, such as 10.1.2.3/16.',
    rationale: 'The value is masked to its network (10.1.0.0/16), which is rarely what the writer meant: usually either the prefix or the address is wrong. In an API field (ipBlock, loadBalancerSourceRanges, Node podCIDRs) the API server warns that it is ambiguous (the network, or the one address?) since Kubernetes 1.33, and rejects it in a new object with the StrictIPCIDRValidation feature gate on.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'cidr-host-bits', p => {
      const network = { title: `Replace with ${p.entry!.canonical}`, preferred: true, edits: [{ file: p.at!.file, span: p.at!.span, newText: p.entry!.canonical! }] };
      // The API server's other reading of an API field's value: the one address (its warning offers both).
      if (!API_LEGACY_ROLES.has(p.entry!.role)) return [network];
      const single = singleAddress(p.entry!);
      return [network, { title: `Replace with ${single}`, edits: [{ file: p.at!.file, span: p.at!.span, newText: single }] }];
    });
  },
});
