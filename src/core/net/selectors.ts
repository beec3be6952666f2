/**
 * Label-selector semantics (metav1.LabelSelector), exactly as the API server evaluates them:
 * every `matchLabels` entry and every `matchExpressions` requirement must hold. An empty selector
 * (`{}`) matches everything. Unknown operators match nothing, as an invalid selector selects nothing.
 */
import type { LabelSelector, SelectorRequirement } from '../parse/views';

export type Labels = Readonly<Record<string, string>>;

function requirementMatches(r: SelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In': return has && r.values.includes(labels[r.key]!);
    case 'NotIn': return !has || !r.values.includes(labels[r.key]!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false;
  }
}

/** Whether `selector` selects an object with `labels`. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) {
    if (labels[k] !== v) return false;
  }
  for (const r of selector.matchExpressions) {
    if (!requirementMatches(r, labels)) return false;
  }
  return true;
}

/** Whether the selector has no requirement at all (`{}`), selecting everything. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** `app=web,tier in (a,b),!debug`: the selector in kubectl's notation; `{}` for the empty selector. */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions) {
    switch (r.operator) {
      case 'In': parts.push(`${r.key} in (${r.values.join(',')})`); break;
      case 'NotIn': parts.push(`${r.key} notin (${r.values.join(',')})`); break;
      case 'Exists': parts.push(r.key); break;
      case 'DoesNotExist': parts.push(`!${r.key}`); break;
      default: parts.push(`${r.key} ${r.operator} (${r.values.join(',')})`);
    }
  }
  return parts.length ? parts.join(',') : '{}';
}
