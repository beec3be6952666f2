/** Label selectors (metav1.LabelSelector) and the plain-map selectors of Services and ReplicationControllers. */
import type { Ranged, Span } from '../../span';
import { at, items, spanOf, str, stringMap, text, toRecord, type StringMapEntry, type YDoc } from '../yaml';

export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
  readonly span: Span;
  readonly keySpan: Span | undefined;
  readonly valueSpans: readonly Span[];
}

/** A metav1.LabelSelector. `present: false` means the field is absent (different from `{}`). */
export interface LabelSelector {
  readonly present: boolean;
  readonly span: Span | undefined;
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchLabelEntries: readonly StringMapEntry[];
  readonly matchExpressions: readonly SelectorRequirement[];
}

export function labelSelector(doc: YDoc, node: unknown): LabelSelector {
  const matchLabelEntries = stringMap(doc, at(doc, node, 'matchLabels'));
  const matchExpressions: SelectorRequirement[] = [];
  for (const e of items(doc, at(doc, node, 'matchExpressions'))) {
    const key = str(doc, at(doc, e, 'key'));
    const values = items(doc, at(doc, e, 'values')).map(v => text(doc, v)).filter((v): v is Ranged<string> => !!v);
    matchExpressions.push({
      key: key?.value ?? '',
      keySpan: key?.span,
      operator: str(doc, at(doc, e, 'operator'))?.value ?? '',
      values: values.map(v => v.value),
      valueSpans: values.map(v => v.span),
      span: spanOf(e) ?? { start: 0, end: 0 },
    });
  }
  return {
    present: node !== undefined && node !== null,
    span: spanOf(node),
    matchLabels: toRecord(matchLabelEntries),
    matchLabelEntries,
    matchExpressions,
  };
}

/** A Service-style selector: a plain map of labels (no expressions). */
export function mapSelector(doc: YDoc, node: unknown): LabelSelector {
  const matchLabelEntries = stringMap(doc, node);
  return {
    present: node !== undefined && node !== null,
    span: spanOf(node),
    matchLabels: toRecord(matchLabelEntries),
    matchLabelEntries,
    matchExpressions: [],
  };
}
