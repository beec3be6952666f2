import { isSeq, type YAMLSeq } from 'yaml';
import { networkPolicyView } from '../parse/views/policy';
import { at, spanOf, text as textOf } from '../parse/yaml';
import { defineRule, type Fix } from './rule';
import { itemLines, mapLines, styleOf, yamlFlow } from './support/emit';
import { appendLinesAfter, columnOf, dashPrefix, isBlock, keySpan, lineIndent } from './support/text';

/** An `egress` list that never takes effect because policyTypes leaves Egress out. */
export default defineRule({
  id: 'netpol-egress-not-isolated',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A policy writes egress (often `egress: []`, meaning deny) but its policyTypes leave Egress out, so egress is not restricted.',
    rationale: 'Pods are isolated for egress only when policyTypes lists Egress (or, with no policyTypes, when egress rules exist). An empty egress list without Egress in policyTypes denies nothing.',
  },
  check(object, ctx) {
    const p = networkPolicyView(object);
    if (!p || p.isolatesEgress) return;
    const doc = object.doc;
    const spec = at(doc, object.node, 'spec');
    // `egress:` with no value is no egress list to Kubernetes, but it is written, and denies nothing either.
    const span = keySpan(doc, spec, 'egress');
    if (!span) return;
    const egress = p.egress ?? [];
    const text = ctx.entry.manifest.text;
    const types = p.policyTypesWritten?.map(t => t.value) ?? [];
    const fixes: Fix[] = [];
    const typesNode = at(doc, spec, 'policyTypes');
    const title = 'Add Egress to policyTypes';
    if (p.policyTypesWritten === undefined) {
      const indent = lineIndent(text, span.start);
      if (indent.length === columnOf(text, span.start)) {
        const at0 = span.start - indent.length;
        fixes.push({
          title, preferred: true,
          edits: [{ file: object.file, span: { start: at0, end: at0 }, newText: mapLines({ policyTypes: ['Ingress', 'Egress'] }, indent.length, styleOf(text, object, ctx.entry.manifest)).join('\n') + '\n' }],
        });
      }
    } else if (isSeq(typesNode) && isBlock(typesNode) && (typesNode as YAMLSeq).items.length) {
      const seq = typesNode as YAMLSeq;
      const last = spanOf(seq.items[seq.items.length - 1]);
      const prefix = last && dashPrefix(text, last.start);
      if (last && prefix) {
        const edit = appendLinesAfter(text, spanOf(seq)!.end, itemLines('Egress', prefix, styleOf(text, object, ctx.entry.manifest)));
        fixes.push({ title, preferred: true, edits: [{ file: object.file, ...edit }] });
      }
    } else if (isSeq(typesNode)) {
      const written = (typesNode as YAMLSeq).items.map(i => textOf(doc, i)?.value).filter((v): v is string => !!v);
      fixes.push({
        title, preferred: true,
        edits: [{ file: object.file, span: spanOf(typesNode)!, newText: yamlFlow([...written, 'Egress']) }],
      });
    }
    const message = egress.length === 0
      ? `egress: ${p.egress ? '[]' : 'with no value'} denies nothing because policyTypes ${p.policyTypesWritten ? `[${types.join(', ')}]` : '(defaulted to [Ingress])'} leaves out Egress.`
      : `egress (${egress.length} ${egress.length === 1 ? 'rule' : 'rules'}) is ignored because policyTypes [${types.join(', ')}] leaves out Egress.`;
    ctx.report({ span, message, fixes });
  },
});
