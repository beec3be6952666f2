/**
 * Small, total accessors over `yaml` nodes. Every function accepts anything (a half-typed document
 * has nodes of the wrong type everywhere) and returns `undefined` rather than throwing.
 * Aliases are followed one step at a time through the owning document, so an alias bomb is never
 * expanded: callers read paths, never whole trees.
 */
import { Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { isAlias, isMap, isScalar, isSeq } from './yaml-nodes';
import type { Ranged, Span } from '../span';

export type YDoc = Document.Parsed | Document;

/** Follows an alias (and chains of aliases, bounded) to the node it names. */
export function deref(doc: YDoc, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 8 && isAlias(n); i++) {
    try {
      n = n.resolve(doc as Document);
    } catch {
      return undefined;
    }
  }
  return isAlias(n) ? undefined : n;
}

/** The span of a node's value (its range without trailing comments), or undefined. */
export function spanOf(node: unknown): Span | undefined {
  const r = (node as Node | undefined)?.range;
  if (!r) return undefined;
  return { start: r[0], end: r[1] };
}

/** The span of a scalar's value: inside the quotes when it is quoted. */
function scalarSpan(n: Scalar): Span | undefined {
  const span = spanOf(n);
  if (!span) return undefined;
  if ((n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE') && span.end - span.start >= 2) {
    return { start: span.start + 1, end: span.end - 1 };
  }
  return span;
}

/** Whether a node is a merge key (`<<`, YAML 1.1), as the parser marks it. */
function isMergeKey(k: unknown): boolean {
  return isScalar(k) && typeof k.value === 'symbol';
}

/** Past this many entries (merges of merges), a map is read no further: an alias bomb stays cheap. */
const MAX_MERGED_ENTRIES = 10_000;

/**
 * The entries of a map node as `[key text, key node, value node]`, aliases resolved; [] for non-maps.
 * Merge keys (`<<: *base`, `<<: [*a, *b]`) are expanded where they stand, in the order the API
 * machinery's YAML decoder (go-yaml v2) assigns keys: a later key overrides an earlier one, and in
 * a merged list the earlier map wins. Readers take the last entry of a key, so they see that value.
 * Keys are read as the decoder converts them to JSON: `y`/`yes`/`on` keys become "true".
 */
export function entries(doc: YDoc, node: unknown): Array<[string, Scalar | undefined, unknown]> {
  const out: Array<[string, Scalar | undefined, unknown]> = [];
  const walk = (n: unknown, depth: number): void => {
    const m = deref(doc, n);
    if (!isMap(m)) return;
    for (const pair of (m as YAMLMap).items as Pair[]) {
      if (out.length >= MAX_MERGED_ENTRIES) return;
      const k = deref(doc, pair.key);
      if (isMergeKey(k)) {
        if (depth >= 8) continue;
        const v = deref(doc, pair.value);
        if (isSeq(v)) {
          const list = (v as YAMLSeq).items;
          for (let i = list.length - 1; i >= 0; i--) walk(list[i], depth + 1);
        } else {
          walk(v, depth + 1);
        }
        continue;
      }
      if (isScalar(k) && k.value !== null && k.value !== undefined && typeof k.value !== 'object') {
        out.push([String(k.value), k, deref(doc, pair.value)]);
      }
    }
  };
  walk(node, 0);
  return out;
}

/** The pair of `key` in map `node` (last wins, as Kubernetes decoding does), or undefined. */
export function pairOf(doc: YDoc, node: unknown, key: string): [Scalar, unknown] | undefined {
  // The common map (plain scalar keys, no alias, no merge key) is read in place: the last key of
  // that text wins. Anything else takes the general path through `entries`.
  const m = isAlias(node) ? undefined : node;
  if (isMap(m)) {
    const list = (m as YAMLMap).items as Pair[];
    let plain = list.length <= MAX_MERGED_ENTRIES;
    let hit: Pair | undefined;
    for (let i = 0; plain && i < list.length; i++) {
      const k = list[i]!.key;
      if (!isScalar(k) || typeof k.value === 'symbol' || typeof k.value === 'object') plain = false;
      else if (k.value !== undefined && String(k.value) === key) hit = list[i];
    }
    if (plain) return hit ? [hit.key as Scalar, deref(doc, hit.value)] : undefined;
  }
  let found: [Scalar, unknown] | undefined;
  for (const [k, kn, v] of entries(doc, node)) if (k === key && kn) found = [kn, v];
  return found;
}

/** Whether a node is absent or YAML null (`key:`, `key: null`, `key: ~`): Kubernetes reads both as unset. */
export function isNull(doc: YDoc, node: unknown): boolean {
  const n = deref(doc, node);
  return n === undefined || n === null || (isScalar(n) && n.value === null);
}

/**
 * The value node at `path` below `node` (string keys for maps, numbers for sequences). A null
 * value is absent, as the API machinery decodes it (`namespaceSelector:` with no value is no
 * selector at all, not an empty one).
 */
export function at(doc: YDoc, node: unknown, ...path: Array<string | number>): unknown {
  let n = deref(doc, node);
  for (const key of path) {
    if (n === undefined || n === null) return undefined;
    if (typeof key === 'number') {
      n = isSeq(n) ? deref(doc, (n as YAMLSeq).items[key]) : undefined;
    } else {
      n = pairOf(doc, n, key)?.[1];
    }
  }
  return path.length > 0 && isScalar(n) && n.value === null ? undefined : n;
}

/** The items of a sequence node, aliases resolved; [] for anything else. */
export function items(doc: YDoc, node: unknown): unknown[] {
  const s = deref(doc, node);
  return isSeq(s) ? (s as YAMLSeq).items.map(i => deref(doc, i)) : [];
}

export function isMapNode(doc: YDoc, node: unknown): boolean {
  return isMap(deref(doc, node));
}

function scalarValue(doc: YDoc, node: unknown): unknown {
  const n = deref(doc, node);
  return isScalar(n) ? n.value : undefined;
}

/** A scalar read as text: strings as they are, numbers and booleans as written (YAML `80` → "80"). */
export function text(doc: YDoc, node: unknown): Ranged<string> | undefined {
  const n = deref(doc, node);
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (v === null || v === undefined || (typeof v === 'object' && !(v instanceof Date))) return undefined;
  const span = scalarSpan(n);
  if (!span) return undefined;
  const written = typeof v === 'string' ? v : (n.source ?? String(v));
  return { value: written, span };
}

/** A scalar that is a string in YAML (quoted or plain text, not a number or boolean). */
export function str(doc: YDoc, node: unknown): Ranged<string> | undefined {
  const n = deref(doc, node);
  if (!isScalar(n) || typeof n.value !== 'string') return undefined;
  const span = scalarSpan(n);
  return span ? { value: n.value, span } : undefined;
}

/** A scalar that is an integer number in YAML. */
export function int(doc: YDoc, node: unknown): Ranged<number> | undefined {
  const n = deref(doc, node);
  if (!isScalar(n) || typeof n.value !== 'number' || !Number.isInteger(n.value)) return undefined;
  const span = scalarSpan(n);
  return span ? { value: n.value, span } : undefined;
}

/** A scalar that is a boolean in YAML. */
export function bool(doc: YDoc, node: unknown): boolean | undefined {
  const v = scalarValue(doc, node);
  return typeof v === 'boolean' ? v : undefined;
}

/** A map of string → string (labels, selectors, ConfigMap data), with spans of each key and value. */
export interface StringMapEntry {
  readonly key: string;
  readonly value: string;
  readonly keySpan: Span;
  readonly valueSpan: Span;
}

export function stringMap(doc: YDoc, node: unknown): StringMapEntry[] {
  const out: StringMapEntry[] = [];
  for (const [key, kn, v] of entries(doc, node)) {
    const t = text(doc, v);
    const keySpan = kn && scalarSpan(kn);
    if (!keySpan) continue;
    out.push({ key, keySpan, value: t?.value ?? '', valueSpan: t?.span ?? keySpan });
  }
  return out;
}

/** Turns string-map entries into a plain record (last key wins). */
export function toRecord(entries: readonly StringMapEntry[]): Record<string, string> {
  const r: Record<string, string> = {};
  for (const e of entries) r[e.key] = e.value;
  return r;
}
