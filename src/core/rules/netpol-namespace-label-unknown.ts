import { formatSelector, isEmptySelector, selectorKey, selectorMatches } from '../net/selectors';
import type { K8sObject, ManifestFile } from '../parse/manifest';
import type { LabelSelector } from '../parse/views/selectors';
import { at } from '../parse/yaml';
import type { Span } from '../span';
import { NAMESPACE_NAME_LABEL } from '../workspace';
import { defineRule, type Edit, type Fix } from './rule';
import { forEachPeer, policyInForce } from './support/policy';
import { mapLines, scalarReplacement, styleOf, yamlFlow } from './support/emit';
import { columnOf, entrySpan, isBlock, keySpan, nameList, nodeSpan, plural } from './support/text';

const MAX_FIXES = 8;

/** Edits that turn `selector` (the node `node`) into `kubernetes.io/metadata.name: <ns>`. */
function pinEdits(o: K8sObject, file: ManifestFile, node: unknown, selector: LabelSelector, ns: string): Edit[] | undefined {
  const text = file.text;
  const only = selector.matchLabelEntries[0];
  if (selector.matchLabelEntries.length === 1 && !selector.matchExpressions.length && only) {
    // One entry: rewrite its key and value in place, keeping layout and comments.
    return [
      { file: o.file, span: only.keySpan, newText: NAMESPACE_NAME_LABEL },
      { file: o.file, span: only.valueSpan, newText: scalarReplacement(text, only.valueSpan, ns) },
    ];
  }
  const span = nodeSpan(text, node);
  if (!span) return undefined;
  const pinned = { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } };
  if (!isBlock(node)) return [{ file: o.file, span, newText: yamlFlow(pinned) }];
  const col = columnOf(text, span.start);
  return [{ file: o.file, span, newText: mapLines(pinned, col, styleOf(text, o, file)).join('\n').slice(col) }];
}

/** A namespaceSelector on labels no Namespace declared in the workspace carries. */
export default defineRule({
  id: 'netpol-namespace-label-unknown',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  docs: {
    summary: 'A namespaceSelector selects by labels that no Namespace declared in the workspace has.',
    rationale: 'Namespaces carry only the labels someone gave them (plus kubernetes.io/metadata.name). A selector such as `name: frontend` matches nothing unless that label was added, so the peer allows nothing. The rule speaks only when the selector names a Namespace the workspace declares (`frontend`) and that Namespace lacks the label; a namespace declared elsewhere may carry it. Never for selectors on kubernetes.io/metadata.name (every namespace has it).',
  },
  check(object, ctx) {
    const p = policyInForce(object);
    if (!p) return;
    // Per generation: the declared namespaces, and whether a selector matches one of them (asked per
    // peer; policies repeat their namespaceSelectors, and a scan per peer is quadratic in a workspace).
    const { declared, matchesSome } = ctx.workspace.derived('rules:declaredNamespaces', ws => {
      const list = [...ws.namespaces.values()].filter(n => n.objects.length > 0);
      const known = new Map<string, boolean>();
      return {
        declared: list,
        matchesSome: (sel: LabelSelector) => {
          const key = selectorKey(sel);
          let m = known.get(key);
          if (m === undefined) known.set(key, (m = list.some(n => selectorMatches(sel, n.labels))));
          return m;
        },
      };
    });
    if (!declared.length) return;
    const text = ctx.entry.manifest.text;
    forEachPeer(p, (peer, _rule, _i, node) => {
      const sel = peer.namespaceSelector;
      if (!sel || isEmptySelector(sel) || peer.ipBlock) return;
      if (Object.hasOwn(sel.matchLabels, NAMESPACE_NAME_LABEL) || sel.matchExpressions.some(r => r.key === NAMESPACE_NAME_LABEL)) return;
      if (matchesSome(sel)) return;
      const unknownEntry = sel.matchLabelEntries.find(e => !declared.some(n => n.labels[e.key] === e.value));
      const span: Span | undefined = unknownEntry
        ? entrySpan(text, unknownEntry)
        : sel.matchExpressions[0]?.span ?? keySpan(object.doc, node, 'namespaceSelector');
      if (!span) return;
      // Evidence that the selector misses: it names a Namespace this workspace declares, which lacks the
      // label. A namespace the workspace does not declare is owned elsewhere and may well carry it.
      const values = new Set([...Object.values(sel.matchLabels), ...sel.matchExpressions.flatMap(r => r.values)]);
      const named = declared.map(n => n.name).filter(ns => values.has(ns));
      if (!named.length) return;
      const candidates = named.slice(0, MAX_FIXES);
      const selNode = at(object.doc, node, 'namespaceSelector');
      const fixes: Fix[] = [];
      for (const ns of candidates) {
        const edits = pinEdits(object, ctx.entry.manifest, selNode, sel, ns);
        if (edits) fixes.push({ title: `Select namespace ${ns} by ${NAMESPACE_NAME_LABEL}`, edits, preferred: candidates.length === 1 });
      }
      ctx.report({
        span,
        message: `namespaceSelector ${formatSelector(sel)} matches none of the ${plural(declared.length, 'Namespace')} declared in the workspace (${nameList(declared.map(n => n.name))}).`,
        fixes,
      });
    });
  },
});
