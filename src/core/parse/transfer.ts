/**
 * Parsed documents as plain data that crosses threads cheaply, and back. A worker parses a file
 * (`parseManifest`) and encodes its chunks; the host decodes them into the same `yaml` nodes and
 * hands them to `Workspace.set` as the previous parse of that text, so the host never runs the
 * parser for them. Decoding builds the nodes the composer would have built (classes, ranges, values,
 * sources, styles, comments, anchors and tags) and costs a fraction of a parse: no lexing, no
 * tokens, no tag resolution. Anything this does not carry (documents with errors or warnings,
 * values that are not plain data such as merge keys) is not encoded: the host parses that file.
 * No Node APIs: the worker plumbing lives in src/parallel.
 */
import { Alias, Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from './yaml-nodes';
import type { ParsedChunk } from './documents';
import { sharedSettings, type YamlOptions } from './documents';

/** A file's chunks as plain data: structure and offsets in `ints`, everything else in `values`. */
export interface EncodedChunks {
  readonly ints: Int32Array;
  readonly values: unknown[];
  /** Per chunk: start, text length and document count. */
  readonly chunks: ReadonlyArray<readonly [number, number, number]>;
}

const SCALAR = 0;
const MAP = 1;
const SEQ = 2;
const ALIAS = 3;
const NONE = 4;

/**
 * Scalar styles by number, and a flag for a string value equal to its source (most plain scalars):
 * sent once, not twice, and never as a string per node (a string read back on this side is a new
 * copy each time: the host would keep one `PLAIN` per scalar).
 */
const TYPES = [undefined, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const;
const SAME_SOURCE = 8;

/** Own properties the node kinds have anyway (set by their constructors or encoded apart). */
const KNOWN = new Set(['value', 'range', 'source', 'type', 'items', 'key']);

class NotPlain extends Error {}

function plain(v: unknown): boolean {
  return v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;
}

/** A node's other own properties (comments, anchor, tag, flow, number format), or null when it has none. */
function extras(n: object): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(n)) {
    if (KNOWN.has(k)) continue;
    const v = (n as Record<string, unknown>)[k];
    if (!plain(v)) throw new NotPlain();
    (out ??= {})[k] = v;
  }
  return out;
}

/** The chunks as plain data, or undefined when something in them is not carried (the host parses the file). */
export function encodeChunks(chunks: readonly ParsedChunk[]): EncodedChunks | undefined {
  const ints: number[] = [];
  const values: unknown[] = [];
  const range = (r: number[] | undefined) => {
    if (!r || r.length !== 3) throw new NotPlain();
    ints.push(r[0]!, r[1]!, r[2]!);
  };
  const node = (n: unknown): void => {
    if (n === null || n === undefined) {
      ints.push(NONE);
      values.push(n);
    } else if (isScalar(n)) {
      if (!plain(n.value) || !plain(n.source)) throw new NotPlain();
      const type = TYPES.indexOf(n.type as (typeof TYPES)[number]);
      if (type < 0) throw new NotPlain();
      ints.push(SCALAR);
      range(n.range as number[]);
      const same = typeof n.value === 'string' && n.value === n.source;
      ints.push(type | (same ? SAME_SOURCE : 0));
      if (same) values.push(n.value, extras(n));
      else values.push(n.value, n.source, extras(n));
    } else if (isMap(n) || isSeq(n)) {
      const list = n.items as unknown[];
      ints.push(isMap(n) ? MAP : SEQ);
      range(n.range as number[]);
      ints.push(list.length);
      values.push(extras(n));
      for (const item of list) {
        if (isMap(n)) {
          if (!isPair(item) || extras(item) !== null) throw new NotPlain();
          node(item.key);
          node(item.value);
        } else {
          node(item);
        }
      }
    } else if (isAlias(n)) {
      ints.push(ALIAS);
      range(n.range as number[]);
      values.push(n.source, extras(n));
    } else {
      throw new NotPlain();
    }
  };
  const out: Array<readonly [number, number, number]> = [];
  try {
    for (const c of chunks) {
      out.push([c.start, c.text.length, c.docs.length]);
      for (const d of c.docs) {
        if (d.errors.length || d.warnings.length) return undefined;
        range(d.range as number[]);
        values.push(d.directives.docStart === true, d.commentBefore, d.comment);
        node(d.contents);
      }
    }
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
  return { ints: Int32Array.from(ints), values, chunks: out };
}

const NODE_TYPE = Symbol.for('yaml.node.type');
const DOC = Symbol.for('yaml.document');

/**
 * The chunks of `text` from their encoding: the documents `parseDocuments(text, options)` makes,
 * sharing its options, schema and directives. Undefined when the encoding does not fit the text.
 */
export function decodeChunks(text: string, encoded: EncodedChunks, options: YamlOptions): ParsedChunk[] | undefined {
  const { ints, values } = encoded;
  let i = 0;
  let v = 0;
  let schema: Document.Parsed['schema'] | undefined;
  const range = (): [number, number, number] => [ints[i++]!, ints[i++]!, ints[i++]!];
  const assign = (n: object, extra: unknown) => {
    if (extra) Object.assign(n, extra);
  };
  const node = (): unknown => {
    const kind = ints[i++];
    if (kind === NONE) return values[v++];
    if (kind === SCALAR) {
      const s = new Scalar(values[v++]);
      s.range = range();
      const type = ints[i++]!;
      s.source = (type & SAME_SOURCE ? s.value : values[v++]) as string;
      const style = TYPES[type & 7];
      if (style) s.type = style;
      assign(s, values[v++]);
      return s;
    }
    if (kind === MAP || kind === SEQ) {
      const c = kind === MAP ? new YAMLMap(schema) : new YAMLSeq(schema);
      c.range = range();
      const n = ints[i++]!;
      assign(c, values[v++]);
      const list: unknown[] = new Array(n);
      for (let k = 0; k < n; k++) {
        if (kind === MAP) {
          const key = node();
          list[k] = new Pair(key, node());
        } else {
          list[k] = node();
        }
      }
      c.items = list as never;
      return c;
    }
    if (kind === ALIAS) {
      const r = range();
      const a = new Alias(values[v++] as string);
      a.range = r;
      assign(a, values[v++]);
      return a;
    }
    throw new Error(`unknown node kind ${kind}`);
  };
  const chunks: ParsedChunk[] = [];
  for (const [start, length, count] of encoded.chunks) {
    if (start + length > text.length) return undefined;
    const docs: Document.Parsed[] = [];
    for (let k = 0; k < count; k++) {
      const doc = Object.create(Document.prototype, { [NODE_TYPE]: { value: DOC } }) as Document.Parsed;
      const docRange = range();
      const docStart = values[v++] as boolean;
      const shared = sharedSettings(options, docStart);
      schema = shared.schema;
      Object.assign(doc, {
        commentBefore: values[v++] ?? null, comment: values[v++] ?? null, errors: [], warnings: [],
        options: shared.options, directives: shared.directives, schema: shared.schema,
      });
      doc.contents = node() as never;
      doc.range = docRange;
      docs.push(doc);
    }
    chunks.push({ start, text: text.slice(start, start + length), docs });
  }
  return chunks;
}
