/**
 * Paths into a YAML object that survive rendering: map keys, sequence items named by their `name`
 * (as strategic merge keys them: containers, ports, env), else by position. The same path names the
 * same field in a source document and in its render.
 */
import { isMap, isPair, isScalar, isSeq, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../span';
import { at, deref, str, type YDoc } from '../parse/yaml';

export type PathSegment = string | number | { readonly name: string };

export interface PathHit {
  readonly path: readonly PathSegment[];
  /** The deepest node containing the offset (a scalar, map or sequence). */
  readonly node: unknown;
  /** Set when the offset is on a map key rather than its value. */
  readonly onKey: boolean;
}

const rangeOf = (n: unknown): Span | undefined => {
  const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
};
const contains = (s: Span | undefined, offset: number) => !!s && s.start <= offset && offset < Math.max(s.end, s.start + 1);

function itemSegment(doc: YDoc, item: unknown, index: number): PathSegment {
  const name = str(doc, at(doc, item, 'name'));
  return name ? { name: name.value } : index;
}

/** The path from `root` to the node under `offset` (bounded depth; aliases are not followed). */
export function pathAt(doc: YDoc, root: unknown, offset: number): PathHit {
  const path: PathSegment[] = [];
  let node: unknown = deref(doc, root);
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pair = ((node as YAMLMap).items as Pair[]).find(p => contains(rangeOf(p.key), offset) || contains(rangeOf(p.value), offset));
      if (!pair || !isScalar(pair.key)) break;
      path.push(String(pair.key.value));
      if (contains(rangeOf(pair.key), offset)) return { path, node: pair.key, onKey: true };
      node = pair.value;
    } else if (isSeq(node)) {
      const items = (node as YAMLSeq).items;
      const i = items.findIndex(it => contains(rangeOf(it), offset));
      if (i < 0) break;
      path.push(itemSegment(doc, items[i], i));
      node = items[i];
    } else {
      break;
    }
  }
  return { path, node, onKey: false };
}

export interface Resolved {
  /** The deepest node reached. */
  readonly node: unknown;
  /** How many segments were followed (all of them: the path resolved fully). */
  readonly depth: number;
  /** The key node of the last segment, when it was a map key. */
  readonly key: unknown;
}

/** Follows `path` below `root` as far as it goes. */
export function resolvePath(doc: YDoc, root: unknown, path: readonly PathSegment[]): Resolved {
  let node: unknown = deref(doc, root);
  let key: unknown;
  let depth = 0;
  for (const seg of path) {
    let next: unknown;
    let nextKey: unknown;
    if (typeof seg === 'string' && isMap(node)) {
      const pair = ((node as YAMLMap).items as Pair[]).filter(p => isPair(p) && isScalar(p.key) && String(p.key.value) === seg).pop();
      if (pair) { next = pair.value; nextKey = pair.key; }
    } else if (isSeq(node)) {
      const items = (node as YAMLSeq).items;
      if (typeof seg === 'number') next = items[seg];
      else if (typeof seg === 'object') next = items.find(it => str(doc, at(doc, it, 'name'))?.value === seg.name);
    }
    if (next === undefined) break;
    node = next;
    key = nextKey;
    depth++;
  }
  return { node, depth, key: depth === path.length ? key : undefined };
}

export { rangeOf };
