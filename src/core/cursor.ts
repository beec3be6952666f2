/**
 * What is under the cursor: the object, the path of keys from the object's root to the innermost
 * node containing the offset, and that node's scalar value. Hover, definition and code-lens
 * providers match on the path (`spec.podSelector...`) or on the scalar's text.
 */
import { isMap, isPair, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { K8sObject, ManifestFile } from './parse/manifest';
import { deref, spanOf, text } from './parse/yaml';
import type { Ranged, Span } from './span';

export type PathKey = string | number;

export interface CursorTarget {
  readonly object: K8sObject;
  /** Keys from the object's root to the innermost node at the offset (map keys and list indexes). */
  readonly path: readonly PathKey[];
  /** True when the offset is on a map key rather than a value. */
  readonly onKey: boolean;
  /** The scalar at the offset (a key's text when `onKey`), if the innermost node is a scalar. */
  readonly scalar: Ranged<string> | undefined;
  /** The innermost node's span. */
  readonly span: Span;
}

const within = (span: Span | undefined, offset: number) => !!span && offset >= span.start && offset <= span.end;

/** The target at `offset` in `file`, or undefined when the offset is outside every object. */
export function targetAt(file: ManifestFile, offset: number): CursorTarget | undefined {
  const object = file.objects.find(o => within(o.span, offset));
  if (!object) return undefined;
  const doc = object.doc;
  const path: PathKey[] = [];
  let node: unknown = object.node;
  for (let depth = 0; depth < 64; depth++) {
    const n = deref(doc, node);
    if (isMap(n)) {
      const pair = ((n as YAMLMap).items as Pair[]).find(p => within(spanOf(p.key), offset) || within(spanOf(p.value), offset));
      if (!pair || !isScalar(pair.key)) break;
      const key = String(pair.key.value);
      if (within(spanOf(pair.key), offset) && !within(spanOf(pair.value), offset)) {
        path.push(key);
        const t = text(doc, pair.key);
        return { object, path, onKey: true, scalar: t, span: spanOf(pair.key)! };
      }
      path.push(key);
      node = pair.value;
      continue;
    }
    if (isSeq(n)) {
      const idx = (n as YAMLSeq).items.findIndex(i => within(spanOf(isPair(i) ? i.key : i), offset));
      if (idx < 0) break;
      path.push(idx);
      node = (n as YAMLSeq).items[idx];
      continue;
    }
    if (isScalar(n)) {
      return { object, path, onKey: false, scalar: text(doc, n), span: spanOf(n)! };
    }
    break;
  }
  const n = deref(doc, node);
  return { object, path, onKey: false, scalar: undefined, span: spanOf(n) ?? object.span };
}

/**
 * Whether `path` matches `pattern`, where `*` matches one key or index and `**` any run of keys
 * (so `['spec', 'ingress', '*', 'from', '*', 'podSelector', '**']` is anywhere inside a peer's podSelector).
 */
export function pathMatches(path: readonly PathKey[], pattern: readonly string[]): boolean {
  const go = (i: number, j: number): boolean => {
    if (j === pattern.length) return i === path.length;
    const p = pattern[j]!;
    if (p === '**') {
      for (let k = i; k <= path.length; k++) if (go(k, j + 1)) return true;
      return false;
    }
    if (i === path.length) return false;
    if (p === '*' || p === String(path[i])) return go(i + 1, j + 1);
    return false;
  };
  return go(0, 0);
}
