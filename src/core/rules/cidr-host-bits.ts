import { ADDRESS_KINDS } from '../net/ipam';
import { reportPlanProblems } from './support/plan';
import { defineRule } from './rule';

/** A CIDR with bits set after its prefix length, such as 10.1.2.3/16. */
export default defineRule({
  id: 'cidr-host-bits',
  severity: 'warning',
  kinds: ADDRESS_KINDS,
  docs: {
    summary: 'A CIDR with bits set after its prefix length, such as 10.1.2.3/16.',
    rationale: 'The value is masked to its network (10.1.0.0/16), which is rarely what the writer meant: usually either the prefix or the address is wrong.',
  },
  check(object, ctx) {
    reportPlanProblems(ctx, object, 'cidr-host-bits', p => [{
      title: `Replace with ${p.entry!.canonical}`,
      preferred: true,
      edits: [{ file: p.at!.file, span: p.at!.span, newText: p.entry!.canonical! }],
    }]);
  },
});
