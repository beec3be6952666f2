/**
 * Label-selector semantics (metav1.LabelSelector), exactly as the API server evaluates them:
 * every `matchLabels` entry and every `matchExpressions` requirement must hold. An empty selector
 * (`{}`) matches everything. Unknown operators match nothing, as an invalid selector selects nothing.
 */
import type { LabelSelector, SelectorRequirement } from '../parse/views/selectors';

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
  // `for in` over the plain record (no entry arrays): this runs for every pod a selector is tried on.
  const matchLabels = selector.matchLabels;
  for (const k in matchLabels) {
    if (labels[k] !== matchLabels[k]) return false;
  }
  for (const r of selector.matchExpressions) {
    if (!requirementMatches(r, labels)) return false;
  }
  return true;
}

/** Labels a controller adds to pods: key → the values it can take (undefined: any value). */
export type AddedLabels = ReadonlyMap<string, readonly string[] | undefined>;

/** Whether the controller may give a value in (`within`) or out of (`!within`) `wanted`; undefined values: any. */
function mayHold(values: readonly string[] | undefined, wanted: readonly string[], within: boolean): boolean {
  if (values === undefined) return true;
  for (const x of values) if (wanted.includes(x) === within) return true;
  return false;
}

const has = (labels: Labels, k: string): boolean => Object.prototype.hasOwnProperty.call(labels, k);

/**
 * Whether `selector` may select some pod with the template's `labels` plus the labels its controller
 * adds (`statefulset.kubernetes.io/pod-name: web-0` selects pod 0 of StatefulSet web). A requirement on
 * an added label holds when some value the controller may give holds it; the template's own labels
 * are exact, and win over an added key of the same name as the controllers do.
 */
export function selectorMayMatch(selector: LabelSelector, labels: Labels, added: AddedLabels): boolean {
  if (!added.size) return selectorMatches(selector, labels);
  const matchLabels = selector.matchLabels;
  for (const k in matchLabels) {
    const v = matchLabels[k]!;
    if (has(labels, k) || !added.has(k)) {
      if (labels[k] !== v) return false;
    } else if (!mayHold(added.get(k), [v], true)) return false;
  }
  for (const r of selector.matchExpressions) {
    if (has(labels, r.key) || !added.has(r.key)) {
      if (!requirementMatches(r, labels)) return false;
      continue;
    }
    const values = added.get(r.key);
    switch (r.operator) {
      case 'In': if (!mayHold(values, r.values, true)) return false; break;
      case 'NotIn': if (!mayHold(values, r.values, false)) return false; break;
      case 'Exists': break;
      default: return false;
    }
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

/**
 * A key equal for selectors that select the same objects as written (matchLabels in any order, the
 * requirements as listed): per-generation tables share one answer between the many peers that
 * repeat a selector.
 */
export function selectorKey(selector: LabelSelector): string {
  // Asked for the same selector by every model and table that reads its policy: made once per
  // selector (a view's selector lives, unchanged, as long as its file's parse).
  let key = selectorKeys.get(selector);
  if (key === undefined) selectorKeys.set(selector, (key = makeSelectorKey(selector)));
  return key;
}

/**
 * `key\0value\0` per label (sorted keys), then `\u0001` and the requirements as JSON when there are
 * any: no JSON for the usual selector of a label or two (thousands of peers per model read one).
 * A key or value holding `\0` (never a valid label) takes the JSON form after `\u0002`; the two
 * forms cannot meet (only the first has a raw `\0`, or is empty, or starts with `\u0001`).
 */
function makeSelectorKey(selector: LabelSelector): string {
  const matchLabels = selector.matchLabels;
  const keys = Object.keys(matchLabels);
  if (keys.length > 1) keys.sort();
  let key = '';
  for (const k of keys) {
    const v = `${matchLabels[k]}`;
    if (k.includes('\0') || v.includes('\0')) {
      return `\u0002${JSON.stringify([keys.map(x => [x, matchLabels[x]]), selector.matchExpressions.map(r => [r.key, r.operator, r.values])])}`;
    }
    key += `${k}\0${v}\0`;
  }
  return selector.matchExpressions.length === 0 ? key
    : `${key}\u0001${JSON.stringify(selector.matchExpressions.map(r => [r.key, r.operator, r.values]))}`;
}

const selectorKeys = new WeakMap<LabelSelector, string>();
