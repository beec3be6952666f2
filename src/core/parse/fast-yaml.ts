/**
 * A fast path for the YAML that manifests are made of: one chunk of text (see ./documents) read
 * straight into the `yaml` library's nodes, the very objects its Parser + Composer build for the
 * same text (node classes, `range` triples, scalar `type`, `source`, values resolved by the same
 * schema's tags, comments, `spaceBefore`), without the lexer's tokens and the CST in between.
 *
 * The subset: block maps and sequences (compact `- - x` and zero-indented sequences included),
 * one-line plain, single-quoted and double-quoted scalars (escapes included), quoted keys, empty
 * values, one-line flow sequences of scalars, empty flow collections, block scalars (`|`, `>`,
 * chomping and indentation indicators), documents that are one flow collection over any number of
 * lines (JSON), comment lines where the parser's placement of them is simple (before a document's
 * content, after a value on its line, full lines before an entry at that entry's column or after
 * a collection's last entry at its column, at the end of a document), blank lines, CRLF, one
 * `---` line at the chunk's start. Anything else (anchors, aliases, tags, multi-line plain and
 * quoted scalars, flow maps with content inside block YAML, explicit keys, tabs, a lone CR, merge
 * keys, comments elsewhere, whatever the library would report as an error or warning) gives
 * `undefined`, and the caller parses the chunk with the library: being exactly what the library builds is the point; `test/unit/fast-yaml.test.ts`
 * compares both on every file of the corpus, on fuzzed and on generated inputs.
 *
 * Over 400 lines: one parser, whose parts (lines and comments, block collections, scalars, flow
 * collections, the composer's props, ends and folding) share one cursor and one notion of where
 * the library puts what; split, each part would need the others' state.
 *
 * Linear: every character is looked at a bounded number of times (counted in `scanSteps`), and no
 * regular expression runs over the text (the schema's tag tests run on each plain scalar, as in
 * the library).
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { isPair, isScalar } from './yaml-nodes';
import { scanSteps } from '../scan';

type Settings = { options: Document.Parsed['options']; schema: Document.Parsed['schema']; directives: Document.Parsed['directives'] };

/** A token as the library's CST carries it between a node and the next: what comments and blank lines need. */
interface Tok {
  readonly type: 'space' | 'comment' | 'newline' | 'comma' | 'doc-start' | 'seq-item-ind' | 'map-value-ind';
  readonly source: string;
  readonly indent: number;
}

interface ScalarTag {
  readonly default?: boolean | 'key';
  readonly test?: RegExp;
  readonly format?: string;
  resolve(value: string, onError: (msg: string) => void, options: unknown): unknown;
}

/** Thrown inside the parser when the text leaves the subset; caught by {@link parseChunkFast}. */
const OUTSIDE = Symbol('outside the fast subset');
const NODE_TYPE = Symbol.for('yaml.node.type');
const DOC = Symbol.for('yaml.document');
const SCALAR_TAG = Symbol.for('yaml.scalar');
/** Nesting deeper than this goes to the library (recursion here stays shallow). */
const MAX_DEPTH = 100;
/** The parser reports implicit keys whose `:` is more than 1024 characters after their start. */
const MAX_KEY = 1000;

const SPACE = 0x20;
const NL = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

function outside(): never {
  throw OUTSIDE;
}

/** Characters a plain scalar may not start with in block context here (indicators, reserved, quotes, flow). */
function badPlainStart(c: number): boolean {
  switch (c) {
    case 0x21: // !
    case 0x22: // "
    case 0x23: // #
    case 0x25: // %
    case 0x26: // &
    case 0x27: // '
    case 0x2a: // *
    case 0x2c: // ,
    case 0x3e: // >
    case 0x40: // @
    case 0x5b: // [
    case 0x5d: // ]
    case 0x60: // `
    case 0x7b: // {
    case 0x7c: // |
    case 0x7d: // }
      return true;
    default:
      return false;
  }
}

/** Per set of settings: the tag a plain scalar's source resolves with (keys and values apart), bounded. */
const tagCache = new WeakMap<object, [Map<string, ScalarTag>, Map<string, ScalarTag>]>();
const MAX_CACHED = 20_000;
const MAX_CACHED_LENGTH = 64;

class FastParser {
  private readonly tags: readonly ScalarTag[];
  private readonly strTag: ScalarTag;
  private readonly cache: [Map<string, ScalarTag>, Map<string, ScalarTag>];
  private pos = 0;
  private steps = 0;
  private depth = 0;
  /** Blank and comment lines read after the last value, and the line after them. */
  private pending: Tok[] = NO_TOKENS;
  private nextIndent = -1;

  constructor(private readonly src: string, private readonly base: number, private readonly settings: Settings) {
    const schema = settings.schema as unknown as { tags: ScalarTag[]; compat: unknown; [SCALAR_TAG]: ScalarTag };
    if (schema.compat) outside();
    this.tags = schema.tags;
    this.strTag = schema[SCALAR_TAG];
    let cache = tagCache.get(schema);
    if (!cache) tagCache.set(schema, cache = [new Map(), new Map()]);
    this.cache = cache;
  }

  document(docSettings: (docStart: boolean) => Settings): Document.Parsed[] {
    const src = this.src;
    let docStart = false;
    let startToks: Tok[] | undefined;
    if (src.startsWith('---')) {
      if (!isEol(src.charCodeAt(3))) outside();
      docStart = true;
      const nl = this.newline(3);
      this.pos = 3 + nl.source.length;
      startToks = [{ type: 'doc-start', source: '---', indent: 0 }, nl];
    }
    this.trivia();
    const prelude = this.pending;
    const docOffset = docStart ? 0 : this.pos;
    let contents: Node;
    let end: Tok[] = [];
    let props: { comment: string; spaceBefore: boolean } | undefined;
    if (this.nextIndent < 0) {
      // No content: the composer yields no document without a marker, an empty scalar after one
      // (placed right after the `---`, ending after a comment the lines hold).
      if (!startToks) return [];
      props = resolveProps([...startToks, ...prelude], 'doc-start', true);
      contents = this.plain('', 3, 3, 3, false);
      if (props.spaceBefore) contents.spaceBefore = true;
      if (props.comment) {
        contents.comment = props.comment;
        contents.range![2] = this.base + src.length;
      }
      props = undefined;
    } else {
      if (this.nextIndent !== 0) outside();
      const c = src.charCodeAt(this.pos);
      contents = c === 0x7b || c === 0x5b ? this.flowDocument() : this.collection(0);
      if (this.nextIndent >= 0) outside();
      end = this.pending;
      for (const t of end) if (t.type === 'comment' && t.indent !== 0) outside();
      if (startToks) props = resolveProps([...startToks, ...prelude], 'doc-start', true);
    }

    const settings = docSettings(docStart);
    const doc = Object.create(Document.prototype, { [NODE_TYPE]: { value: DOC } }) as Document.Parsed;
    Object.assign(doc, {
      commentBefore: null, comment: null, errors: [], warnings: [],
      options: settings.options, directives: settings.directives, schema: settings.schema,
    });
    if (props) {
      if (props.spaceBefore) contents.spaceBefore = true;
      if (props.comment) contents.commentBefore = props.comment;
    }
    doc.contents = contents as never;
    const contentEnd = contents.range![2];
    const re = resolveEnd(end, contentEnd);
    if (re.comment) doc.comment = re.comment;
    doc.range = [docOffset + this.base, contentEnd, re.offset];
    if (!startToks) decorate(doc, prelude);
    scanSteps.count += this.steps;
    return [doc];
  }

  /** Reads blank and comment lines from the start of a line: `pending`, and the next line's indent (-1 at the end). */
  private trivia(): void {
    const src = this.src;
    let toks: Tok[] | undefined;
    let p = this.pos;
    for (;;) {
      if (p >= src.length) {
        this.nextIndent = -1;
        break;
      }
      let q = p;
      while (src.charCodeAt(q) === SPACE) q++;
      this.steps += q - p + 1;
      const c = src.charCodeAt(q);
      if (q < src.length && !isEol(c) && c !== HASH) {
        this.nextIndent = q - p;
        p = q;
        break;
      }
      toks ??= [];
      if (q > p) toks.push({ type: 'space', source: src.slice(p, q), indent: q - p });
      if (c === HASH) {
        const e = this.lineEnd(q);
        toks.push({ type: 'comment', source: src.slice(q, e), indent: q - p });
        q = e;
      }
      if (q < src.length) {
        const nl = this.newline(q);
        toks.push(nl);
        q += nl.source.length;
      }
      p = q;
    }
    this.pos = p;
    this.pending = toks ?? NO_TOKENS;
  }

  /** A block map or sequence starting at `pos` (the column `col`). */
  private collection(col: number): Node {
    if (++this.depth > MAX_DEPTH) outside();
    const src = this.src;
    const c = src.charCodeAt(this.pos);
    const node = c === DASH && isBlank(src.charCodeAt(this.pos + 1), this.pos + 1, src) ? this.seq(col) : this.map(col);
    this.depth--;
    return node;
  }

  /**
   * Blank and comment lines read before leaving a collection at `col`: they move up to the line
   * that follows unless a comment is indented at least as deep as the collection (the CST parser
   * keeps them in the collection then, as its trailing comment, up to the next line's content).
   * Undefined when they move up (or there are none); else the collection's comment and range end.
   */
  private leave(col: number, seqItem: boolean): { comment: string; end: number } | undefined {
    if (col === 0) return undefined;
    let stays = false;
    for (const t of this.pending) if (t.type === 'comment' && t.indent >= col) stays = true;
    if (!stays) return undefined;
    // Comments deeper than the collection may belong to the value before them: the library's.
    for (const t of this.pending) if (t.type === 'comment' && t.indent !== col) outside();
    const props = resolveProps(this.pending, seqItem ? 'seq-item-ind' : 'explicit-key-ind', true);
    this.pending = NO_TOKENS;
    return { comment: props.comment, end: this.pos + this.base };
  }

  /** Item start tokens for a next entry at `col`: the pending trivia and the line's indentation. */
  private startOf(col: number): Tok[] | undefined {
    const toks = this.pending;
    if (toks.length === 0) return undefined;
    for (const t of toks) if (t.type === 'comment' && t.indent !== col) outside();
    if (col > 0) toks.push({ type: 'space', source: ' '.repeat(col), indent: col });
    return toks;
  }

  private map(col: number): YAMLMap {
    const src = this.src;
    const map = new YAMLMap(this.settings.schema);
    const start = this.pos;
    let offset = start;
    let startToks: Tok[] | undefined;
    for (;;) {
      const key = this.key();
      if (!key) outside();
      if (startToks) setBefore(key, startToks, 'explicit-key-ind', true);
      // after the `:`
      let p = this.pos;
      while (src.charCodeAt(p) === SPACE) p++;
      this.steps += p - this.pos;
      const c = src.charCodeAt(p);
      let value: Node;
      if (p >= src.length || isEol(c) || c === HASH) {
        // Nothing on the key's line: a nested collection below, or an empty value.
        const sep: Tok[] = [{ type: 'map-value-ind', source: ':', indent: col }];
        const afterColon = this.pos;
        if (p > afterColon) sep.push({ type: 'space', source: src.slice(afterColon, p), indent: col });
        let keyLineComment = false;
        if (c === HASH) {
          const e = this.lineEnd(p);
          sep.push({ type: 'comment', source: src.slice(p, e), indent: col });
          keyLineComment = true;
          p = e;
        }
        if (p < src.length) {
          const nl = this.newline(p);
          sep.push(nl);
          p += nl.source.length;
        }
        this.pos = p;
        this.trivia();
        const ni = this.nextIndent;
        const nestedSeq = ni === col && this.atSeqItem();
        if (ni > col || nestedSeq) {
          for (const t of this.pending) if (t.type === 'comment' && t.indent !== ni) outside();
          const toks = sep.concat(this.pending);
          if (ni > 0) toks.push({ type: 'space', source: ' '.repeat(ni), indent: ni });
          value = this.collection(ni);
          setBefore(value, toks, 'map-value-ind', false);
        } else {
          if (keyLineComment || this.pending.length) outside();
          const at = afterColon + (sep[1]?.type === 'space' ? sep[1].source.length : 0);
          value = this.plain('', at, at, at, false);
        }
      } else {
        value = this.valueOnLine(p, col);
      }
      map.items.push(new Pair(key, value));
      offset = value.range![2];
      const next = this.nextEntry(col, false);
      if (next === null) break;
      startToks = next;
    }
    this.close(map, col, false, start, offset);
    return map;
  }

  /**
   * After an entry of the map (or sequence) at `col`: the next entry's start tokens (undefined when
   * no blank or comment line precedes it), or null when the collection ends there.
   */
  private nextEntry(col: number, seqItem: boolean): Tok[] | undefined | null {
    const ni = this.nextIndent;
    if (ni === col && this.atSeqItem() === seqItem) return this.startOf(col);
    if (ni > col) outside();
    return null;
  }

  /** The range of a collection from `start` whose last entry ends at `offset`, and its trailing comment (see `leave`). */
  private close(coll: YAMLMap | YAMLSeq, col: number, seqItem: boolean, start: number, offset: number): void {
    const trailing = this.leave(col, seqItem);
    coll.range = [start + this.base, offset, trailing ? trailing.end : offset];
    if (trailing?.comment) coll.comment = trailing.comment;
  }

  private seq(col: number): YAMLSeq {
    const src = this.src;
    const seq = new YAMLSeq(this.settings.schema);
    const start = this.pos;
    let offset = start;
    let startToks: Tok[] | undefined;
    for (;;) {
      // at `-`
      let p = this.pos + 1;
      while (src.charCodeAt(p) === SPACE) p++;
      this.steps += p - this.pos;
      const c = src.charCodeAt(p);
      if (p >= src.length || isEol(c) || c === HASH) outside();
      const itemCol = col + (p - this.pos);
      this.pos = p;
      let node: Node;
      if (c === DASH && isBlank(src.charCodeAt(p + 1), p + 1, src)) {
        node = this.collection(itemCol);
      } else if (this.isKeyLine(p)) {
        node = this.collection(itemCol);
      } else {
        node = this.valueOnLine(p, col);
      }
      if (startToks) setBefore(node, startToks.concat([{ type: 'seq-item-ind', source: '-', indent: col }]), 'seq-item-ind', true);
      seq.items.push(node);
      offset = node.range![2];
      const next = this.nextEntry(col, true);
      if (next === null) break;
      startToks = next;
    }
    this.close(seq, col, true, start, offset);
    return seq;
  }

  /** Where the line of `q` ends: its `\r\n` or `\n`, or the end of the text. */
  private lineEnd(q: number): number {
    const src = this.src;
    let e = src.indexOf('\n', q);
    if (e < 0) e = src.length;
    else if (e > q && src.charCodeAt(e - 1) === CR) e--;
    this.steps += e - q;
    return e;
  }

  /** The line break at `q` (the text has no CR but in CRLF). */
  private newline(q: number): Tok {
    return this.src.charCodeAt(q) === CR ? CRLF : LF;
  }

  private atSeqItem(): boolean {
    const src = this.src;
    return src.charCodeAt(this.pos) === DASH && isBlank(src.charCodeAt(this.pos + 1), this.pos + 1, src);
  }

  /** Whether the content at `p` is an implicit key (`key:` on this line), without consuming it. */
  private isKeyLine(p: number): boolean {
    const save = this.pos;
    this.pos = p;
    const end = this.keyEnd();
    this.pos = save;
    return end >= 0;
  }

  /**
   * The end of an implicit key at `pos` (after its closing quote, or its last character), with the
   * colon after it; -1 when the line holds no key.
   */
  private keyEnd(): number {
    const src = this.src;
    const s = this.pos;
    const c = src.charCodeAt(s);
    let e: number;
    if (c === 0x22 || c === 0x27) {
      e = this.quoteEnd(s);
      if (e < 0) return -1;
      let q = e;
      while (src.charCodeAt(q) === SPACE) q++;
      this.steps += q - e;
      if (src.charCodeAt(q) !== COLON || !isBlank(src.charCodeAt(q + 1), q + 1, src)) return -1;
      return e;
    }
    const stop = this.plainScan(s);
    return stop.colon ? stop.end : -1;
  }

  /** Scans a plain scalar from `s` in block context: its end and whether a `: ` stopped it (else a comment or the line's end). */
  private plainScan(s: number): { end: number; colon: boolean; stop: number } {
    const src = this.src;
    let end = s;
    let i = s;
    for (;; i++) {
      const c = src.charCodeAt(i);
      if (i >= src.length || isEol(c)) break;
      if (c === COLON && isBlank(src.charCodeAt(i + 1), i + 1, src)) {
        this.steps += i - s + 1;
        return { end, colon: true, stop: i };
      }
      if (c === SPACE) {
        if (src.charCodeAt(i + 1) === HASH) break;
      } else {
        end = i + 1;
      }
    }
    this.steps += i - s + 1;
    return { end, colon: false, stop: i };
  }

  /** The position after the closing quote of a one-line quoted scalar at `s`, or -1 (multi-line, escapes, unclosed). */
  private quoteEnd(s: number): number {
    const src = this.src;
    const q = src.charCodeAt(s);
    for (let i = s + 1; i < src.length; i++) {
      const c = src.charCodeAt(i);
      this.steps++;
      if (isEol(c)) return -1;
      if (c === q) {
        if (q === 0x27 && src.charCodeAt(i + 1) === 0x27) {
          i++;
          continue;
        }
        return i + 1;
      }
      if (c === 0x5c && q === 0x22) {
        // An escape: the next character does not close the scalar (a line break there: multi-line).
        i++;
        if (i >= src.length || isEol(src.charCodeAt(i))) return -1;
      }
    }
    return -1;
  }

  /** An implicit key at `pos`; leaves `pos` after its `:`. Undefined when there is none. */
  private key(): Scalar | undefined {
    const src = this.src;
    const s = this.pos;
    const c = src.charCodeAt(s);
    if (c === 0x22 || c === 0x27) {
      const e = this.keyEnd();
      if (e < 0) return undefined;
      if (e - s > MAX_KEY) outside();
      let q = e;
      while (src.charCodeAt(q) === SPACE) q++;
      this.pos = q + 1;
      return this.quoted(s, e, e);
    }
    if (badPlainStart(c) || ((c === DASH || c === 0x3f || c === COLON) && isBlank(src.charCodeAt(s + 1), s + 1, src))) outside();
    const stop = this.plainScan(s);
    if (!stop.colon) return undefined;
    if (stop.end - s > MAX_KEY) outside();
    this.pos = stop.stop + 1;
    const key = this.plain(src.slice(s, stop.end), s, stop.end, stop.end, true);
    if (typeof key.value === 'symbol') outside(); // a merge key
    return key;
  }

  /** A value written on the current line at `p` (scalar or one-line flow collection), then what follows it. */
  private valueOnLine(p: number, col: number): Node {
    const src = this.src;
    const c = src.charCodeAt(p);
    if (c === 0x7c || c === 0x3e) return this.blockScalar(p, col);
    let node: Scalar | YAMLMap | YAMLSeq;
    let e: number;
    if (c === 0x22 || c === 0x27) {
      e = this.quoteEnd(p);
      if (e < 0) outside();
      node = this.quoted(p, e, e);
    } else if (c === 0x5b || c === 0x7b) {
      ({ node, end: e } = this.flow(p));
    } else {
      if (badPlainStart(c) || ((c === DASH || c === 0x3f || c === COLON) && isBlank(src.charCodeAt(p + 1), p + 1, src))) outside();
      const stop = this.plainScan(p);
      if (stop.colon) outside();
      e = stop.end;
      node = this.plain(src.slice(p, e), p, e, e, false);
    }
    // The rest of the line: spaces, a comment, the newline.
    let q = e;
    while (src.charCodeAt(q) === SPACE) q++;
    this.steps += q - e;
    if (q < src.length && !isEol(src.charCodeAt(q))) {
      if (src.charCodeAt(q) !== HASH || q === e) outside();
      const le = this.lineEnd(q);
      node.comment = src.slice(q + 1, le) || ' ';
      q = le;
    }
    if (q < src.length) q += this.newline(q).source.length;
    node.range![2] = q + this.base;
    this.pos = q;
    this.trivia();
    if (this.nextIndent > col) outside();
    return node;
  }

  /**
   * A block scalar (`|` or `>`, a chomping and an indentation indicator) whose header is at `p`, the
   * value of an entry of the collection at `col`: where it ends as the library's lexer decides, its
   * value as its composer folds and chomps it. A comment on the header line goes to the library.
   */
  private blockScalar(p: number, col: number): Scalar {
    const src = this.src;
    const literal = src.charCodeAt(p) === 0x7c;
    let h = p + 1;
    let chomp = 0;
    let explicit = 0;
    for (;; h++) {
      const c = src.charCodeAt(h);
      if ((c === DASH || c === 0x2b) && !chomp) chomp = c;
      else if (c >= 0x31 && c <= 0x39 && !explicit) explicit = c - 0x30;
      else break;
    }
    let q = h;
    while (src.charCodeAt(q) === SPACE) q++;
    this.steps += q - p;
    if (q >= src.length || !isEol(src.charCodeAt(q)) || (q === h && !isEol(src.charCodeAt(h)))) outside();
    const headerLength = q - p + this.newline(q).source.length;
    const body = p + headerLength;
    // The lexer: the first line with content sets the indentation (unless the header does); the
    // scalar runs over lines indented at least that much and blank lines.
    let nl = body - 1;
    let indent = 0;
    for (let i = body; i < src.length; i++) {
      const c = src.charCodeAt(i);
      this.steps++;
      if (c === SPACE) indent++;
      else if (c === NL) {
        nl = i;
        indent = 0;
      } else if (c !== CR) break;
    }
    let indentNext = col + 1;
    if (indent >= indentNext) {
      indentNext = explicit ? explicit - 1 + indentNext : indent;
      do {
        const cs = this.continueBlock(nl + 1, indentNext);
        if (cs === -1) break;
        nl = src.indexOf('\n', cs);
        if (nl >= 0) this.steps += nl - cs;
      } while (nl !== -1);
      if (nl === -1) nl = src.length;
    }
    if (chomp !== 0x2b) {
      // Trailing lines of at most `indent` spaces are not part of the scalar.
      for (;;) {
        let k = nl - 1;
        let c = src.charCodeAt(k);
        if (c === CR) c = src.charCodeAt(--k);
        const lastChar = k;
        while (c === SPACE) c = src.charCodeAt(--k);
        this.steps += nl - k;
        if (c === NL && k >= body && k + 1 + indent > lastChar) nl = k;
        else break;
      }
    }
    const source = src.slice(body, nl + 1);
    const value = foldBlock(source, literal, chomp, col + (explicit || 0), explicit);
    const end = p + headerLength + source.length;
    const res = this.strTag.resolve(value, outside, this.settings.options);
    const node = isScalar(res) ? res : new Scalar(res);
    node.range = [p + this.base, end + this.base, end + this.base];
    node.source = value as never;
    node.type = literal ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED';
    this.pos = Math.min(nl + 1, src.length);
    this.trivia();
    if (this.nextIndent > col) outside();
    return node;
  }

  /** The lexer's `continueScalar` in a block scalar: where the line at `offset` continues it, or -1. */
  private continueBlock(offset: number, indentNext: number): number {
    const src = this.src;
    let ind = 0;
    let c = src.charCodeAt(offset);
    while (c === SPACE) c = src.charCodeAt(++ind + offset);
    this.steps += ind + 1;
    if (c === CR && src.charCodeAt(ind + offset + 1) === NL) return offset + ind + 1;
    return c === NL || ind >= indentNext ? offset + ind : -1;
  }

  /**
   * A document that is one flow collection (JSON, mostly), over any number of lines, ending the
   * chunk (a line break at most after it). No comments, no multi-line scalars.
   */
  private flowDocument(): Node {
    const src = this.src;
    const { node, after } = this.flowCollection(this.pos);
    let q = after;
    while (src.charCodeAt(q) === SPACE) q++;
    if (q < src.length) {
      if (!isEol(src.charCodeAt(q))) outside();
      q += this.newline(q).source.length;
      if (q < src.length) outside();
    }
    this.steps += q - after;
    node.range![2] = q + this.base;
    this.pos = q;
    this.nextIndent = -1;
    this.pending = NO_TOKENS;
    return node;
  }

  /** Spaces and line breaks from `i` in a flow collection, as tokens into `toks`; the position after them. */
  private flowSpace(i: number, toks: Tok[]): number {
    const src = this.src;
    for (;;) {
      const s = i;
      while (src.charCodeAt(i) === SPACE) i++;
      if (i > s) toks.push({ type: 'space', source: src.slice(s, i), indent: 0 });
      const c = src.charCodeAt(i);
      this.steps += i - s + 1;
      if (c === HASH) outside();
      if (!isEol(c)) return i;
      const nl = this.newline(i);
      toks.push(nl);
      i += nl.source.length;
    }
  }

  /** The position after spaces and line breaks from `i` (no comment may stand there). */
  private skipFlowSpace(i: number): number {
    const src = this.src;
    const s = i;
    for (;; i++) {
      const c = src.charCodeAt(i);
      if (c === HASH) outside();
      if (c !== SPACE && !isEol(c)) break;
    }
    this.steps += i - s + 1;
    return i;
  }

  /**
   * A flow collection at `p` over any number of lines: its node (range ending after its closing
   * bracket) and the position after that bracket. Items are scalars (plain, quoted) and flow
   * collections; pairs only in maps, with a quoted or plain key on the line of its `:` and value.
   */
  private flowCollection(p: number): { node: YAMLMap | YAMLSeq; after: number } {
    if (++this.depth > MAX_DEPTH) outside();
    const src = this.src;
    const isMap = src.charCodeAt(p) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const coll = isMap ? new YAMLMap(this.settings.schema) : new YAMLSeq(this.settings.schema);
    coll.flow = true;
    let i = p + 1;
    let start: Tok[] = [];
    let comma = false;
    for (;;) {
      i = this.flowSpace(i, start);
      const c = src.charCodeAt(i);
      if (i >= src.length) outside();
      if (c === close) {
        if (comma) outside(); // a trailing comma: an empty item, the library's business
        break;
      }
      if (c === 0x2c) {
        if (comma || coll.items.length === 0) outside();
        comma = true;
        start.push(COMMA);
        i++;
        continue;
      }
      if (coll.items.length > 0 && !comma) outside();
      const props = resolveProps(start, 'explicit-key-ind', false);
      if (isMap) {
        const key = this.flowKey(i);
        if (props.spaceBefore) key.node.spaceBefore = true;
        let j = key.after;
        while (src.charCodeAt(j) === SPACE) j++;
        this.steps += j - key.after;
        if (src.charCodeAt(j) !== COLON) outside();
        j++;
        while (src.charCodeAt(j) === SPACE) j++;
        if (isEol(src.charCodeAt(j)) || j >= src.length) outside();
        const value = this.flowItem(j, close, true);
        (coll as YAMLMap).items.push(new Pair(key.node, value.node));
        i = value.after;
      } else {
        const value = this.flowItem(i, close, false);
        if (props.spaceBefore) value.node.spaceBefore = true;
        (coll as YAMLSeq).items.push(value.node);
        i = value.after;
      }
      start = [];
      comma = false;
    }
    coll.range = [p + this.base, i + 1 + this.base, i + 1 + this.base];
    this.depth--;
    return { node: coll, after: i + 1 };
  }

  /** A flow map's key at `i` (quoted, or plain up to its `:`): its node and the position after it. */
  private flowKey(i: number): { node: Scalar; after: number } {
    const src = this.src;
    const c = src.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const e = this.quoteEnd(i);
      if (e < 0) outside();
      return { node: this.quoted(i, e, e), after: e };
    }
    const e = this.flowPlainEnd(i);
    // A plain key ends at its `:` (followed by a space or a flow indicator), on its line.
    if (src.charCodeAt(this.scanStop) !== COLON) outside();
    const node = this.plain(src.slice(i, e), i, e, e, true);
    if (typeof node.value === 'symbol') outside();
    return { node, after: e };
  }

  /** Where `flowPlainEnd` stopped (the character after the scalar's spaces). */
  private scanStop = 0;

  /** The end of a plain scalar at `i` in a flow collection, on its line; `scanStop` where it stopped. */
  private flowPlainEnd(i: number): number {
    const src = this.src;
    const c = src.charCodeAt(i);
    if (badPlainStart(c) || ((c === DASH || c === 0x3f || c === COLON) && isFlowBlank(src.charCodeAt(i + 1)))) outside();
    let end = i;
    let k = i;
    for (;; k++) {
      const d = src.charCodeAt(k);
      if (k >= src.length || isEol(d)) break;
      if (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d) break;
      if (d === COLON && isFlowBlank(src.charCodeAt(k + 1))) break;
      if (d === SPACE) {
        if (src.charCodeAt(k + 1) === HASH) outside();
      } else {
        end = k + 1;
      }
    }
    this.steps += k - i + 1;
    this.scanStop = k;
    return end;
  }

  /**
   * A flow item at `i` (scalar or collection), with the range's end the library gives it: a
   * sequence's item runs over everything up to its `,` or closing bracket, a map's value over its
   * spaces and one line break. The position returned is where that end is.
   */
  private flowItem(i: number, close: number, inMap: boolean): { node: Node; after: number } {
    const src = this.src;
    const c = src.charCodeAt(i);
    let node: Node;
    let e: number;
    if (c === 0x7b || c === 0x5b) {
      const r = this.flowCollection(i);
      node = r.node;
      e = r.after;
    } else if (c === 0x22 || c === 0x27) {
      e = this.quoteEnd(i);
      if (e < 0) outside();
      node = this.quoted(i, e, e);
    } else {
      e = this.flowPlainEnd(i);
      if (src.charCodeAt(this.scanStop) === COLON) outside(); // a pair in a sequence, or a second `:`
      node = this.plain(src.slice(i, e), i, e, e, false);
    }
    let after: number;
    if (inMap) {
      after = e;
      while (src.charCodeAt(after) === SPACE) after++;
      this.steps += after - e;
      if (isEol(src.charCodeAt(after))) after += this.newline(after).source.length;
    } else {
      after = this.skipFlowSpace(e);
    }
    // What follows must be the next item's comma or the end (a plain scalar going on past a line break is multi-line).
    const d = src.charCodeAt(this.skipFlowSpace(after));
    if (d !== 0x2c && d !== close) outside();
    node.range![2] = after + this.base;
    return { node, after };
  }

  /** A one-line flow sequence of plain scalars, or an empty flow map or sequence, at `p`. */
  private flow(p: number): { node: YAMLMap | YAMLSeq; end: number } {
    const src = this.src;
    const isMap = src.charCodeAt(p) === 0x7b;
    const close = isMap ? 0x7d : 0x5d;
    const coll = isMap ? new YAMLMap(this.settings.schema) : new YAMLSeq(this.settings.schema);
    coll.flow = true;
    let i = p + 1;
    for (;;) {
      while (src.charCodeAt(i) === SPACE) i++;
      const c = src.charCodeAt(i);
      this.steps++;
      if (c === close && coll.items.length === 0) break;
      if (isMap || i >= src.length || (badPlainStart(c) && c !== 0x22 && c !== 0x27) || isEol(c) || ((c === DASH || c === 0x3f || c === COLON) && isFlowBlank(src.charCodeAt(i + 1)))) outside();
      const s = i;
      if (c === 0x22 || c === 0x27) {
        // A one-line quoted item: its range runs over the spaces up to the `,` or the end.
        const e = this.quoteEnd(s);
        if (e < 0) outside();
        i = e;
        while (src.charCodeAt(i) === SPACE) i++;
        this.steps += i - e;
        const d = src.charCodeAt(i);
        if (d !== 0x2c && d !== close) outside();
        (coll as YAMLSeq).items.push(this.quoted(s, e, i));
        if (d === close) break;
        i++;
        let j = i;
        while (src.charCodeAt(j) === SPACE) j++;
        if (src.charCodeAt(j) === close) outside();
        continue;
      }
      let end = s;
      for (;; i++) {
        const d = src.charCodeAt(i);
        this.steps++;
        if (i >= src.length || isEol(d)) outside();
        if (d === 0x2c || d === 0x5b || d === 0x5d || d === 0x7b || d === 0x7d) break;
        if (d === COLON && isFlowBlank(src.charCodeAt(i + 1))) outside();
        if (d === SPACE) {
          if (src.charCodeAt(i + 1) === HASH) outside();
        } else {
          end = i + 1;
        }
      }
      const d = src.charCodeAt(i);
      if (d !== 0x2c && d !== close) outside();
      (coll as YAMLSeq).items.push(this.plain(src.slice(s, end), s, end, i, false));
      if (d === close) break;
      i++;
      // A trailing comma before the end leaves an empty item: the library's business.
      let j = i;
      while (src.charCodeAt(j) === SPACE) j++;
      if (src.charCodeAt(j) === close) outside();
    }
    coll.range = [p + this.base, i + 1 + this.base, i + 1 + this.base];
    return { node: coll, end: i + 1 };
  }

  private quoted(s: number, e: number, end: number): Scalar {
    const src = this.src;
    const double = src.charCodeAt(s) === 0x22;
    let value = src.slice(s + 1, e - 1);
    if (!double && value.includes("''")) value = value.split("''").join("'");
    else if (double && value.includes('\\')) value = unescape(value);
    let failed = false;
    const res = this.strTag.resolve(value, () => { failed = true; }, this.settings.options);
    if (failed) outside();
    const node = isScalar(res) ? res : new Scalar(res);
    node.range = [s + this.base, e + this.base, end + this.base];
    node.source = value as never;
    node.type = double ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
    return node;
  }

  /** A plain scalar `source` at [s, e) (its range ending at `end`), resolved as the composer does. */
  private plain(source: string, s: number, e: number, end: number, atKey: boolean): Scalar {
    const tag = this.tagOf(source, atKey);
    let failed = false;
    const res = tag.resolve(source, () => { failed = true; }, this.settings.options);
    if (failed) outside();
    const node = isScalar(res) ? res : new Scalar(res);
    node.range = [s + this.base, e + this.base, end + this.base];
    node.source = source as never;
    node.type = 'PLAIN';
    if (tag.format) node.format = tag.format;
    return node;
  }

  /** The first default tag whose test matches (keys also try key-only tags, like YAML 1.1's merge key), else the string tag. */
  private tagOf(source: string, atKey: boolean): ScalarTag {
    const cache = this.cache[atKey ? 1 : 0];
    const known = cache.get(source);
    if (known) return known;
    let tag = this.strTag;
    for (const t of this.tags) {
      if ((t.default === true || (atKey && t.default === 'key')) && t.test?.test(source)) {
        tag = t;
        break;
      }
    }
    if (source.length <= MAX_CACHED_LENGTH) {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(source, tag);
    }
    return tag;
  }
}

/**
 * The value of a block scalar's `source` (its lines after the header), as the composer's
 * `resolveBlockScalar` makes it; what it reports as an error leaves the fast path.
 */
function foldBlock(source: string, literal: boolean, chomp: number, trimFrom: number, explicit: number): string {
  const lines = source ? splitLines(source) : [];
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    const content = lines[i]![1];
    if (content === '' || content === '\r') chompStart = i;
    else break;
  }
  if (chompStart === 0) return chomp === 0x2b && lines.length > 0 ? '\n'.repeat(Math.max(1, lines.length - 1)) : '';
  let trimIndent = trimFrom;
  let contentStart = 0;
  for (let i = 0; i < chompStart; ++i) {
    const [indent, content] = lines[i]!;
    if (content === '' || content === '\r') {
      if (explicit === 0 && indent.length > trimIndent) trimIndent = indent.length;
    } else {
      if (indent.length < trimIndent) outside();
      if (explicit === 0) trimIndent = indent.length;
      contentStart = i;
      if (trimIndent === 0) outside();
      break;
    }
  }
  for (let i = lines.length - 1; i >= chompStart; --i) {
    if (lines[i]![0].length > trimIndent) chompStart = i + 1;
  }
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (let i = 0; i < contentStart; ++i) value += lines[i]![0].slice(trimIndent) + '\n';
  for (let i = contentStart; i < chompStart; ++i) {
    const [indent, raw] = lines[i]!;
    const content = raw[raw.length - 1] === '\r' ? raw.slice(0, -1) : raw;
    if (content && indent.length < trimIndent) outside();
    if (literal) {
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
    } else if (indent.length > trimIndent || content[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + indent.slice(trimIndent) + content;
      sep = '\n';
      prevMoreIndented = true;
    } else if (content === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + content;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  if (chomp === 0x2b) {
    for (let i = chompStart; i < lines.length; ++i) value += '\n' + lines[i]![0].slice(trimIndent);
    if (value[value.length - 1] !== '\n') value += '\n';
  } else if (chomp !== DASH) {
    value += '\n';
  }
  return value;
}

/** The composer's `splitLines`: each line of a block scalar as [indentation, content], without a regular expression. */
function splitLines(source: string): Array<[string, string]> {
  const lines: Array<[string, string]> = [];
  let i = 0;
  for (;;) {
    let j = i;
    while (source.charCodeAt(j) === SPACE) j++;
    let e = source.indexOf('\n', j);
    if (e < 0) e = source.length;
    lines.push([source.slice(i, j), source.slice(j, e)]);
    if (e >= source.length) break;
    i = e + 1;
  }
  scanSteps.count += source.length;
  return lines;
}

const ESCAPES: Record<string, string> = {
  0: '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028',
  P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\', '\t': '\t',
};

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return s.length > 0;
}

/** The value of a one-line double-quoted scalar's text between its quotes: the composer's escapes; an invalid one leaves the fast path. */
function unescape(inner: string): string {
  let res = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch !== '\\') {
      res += ch;
      continue;
    }
    const next = inner[++i]!;
    const cc = ESCAPES[next];
    if (cc) {
      res += cc;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const code = inner.substr(i + 1, length);
      if (code.length !== length || !isHex(code)) outside();
      const n = parseInt(code, 16);
      if (n > 0x10ffff) outside();
      res += String.fromCodePoint(n);
      i += length;
    } else {
      outside();
    }
  }
  scanSteps.count += inner.length;
  return res;
}

/** No blank or comment lines (shared: never added to, see `startOf`). */
const NO_TOKENS: Tok[] = [];
const COMMA: Tok = { type: 'comma', source: ',', indent: 0 };
const LF: Tok = { type: 'newline', source: '\n', indent: 0 };
const CRLF: Tok = { type: 'newline', source: '\r\n', indent: 0 };

function isEol(c: number): boolean {
  return c === NL || c === CR;
}

function isBlank(c: number, at: number, src: string): boolean {
  return at >= src.length || c === SPACE || c === NL || c === CR;
}

function isFlowBlank(c: number): boolean {
  return Number.isNaN(c) || c === SPACE || c === NL || c === CR || c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
}

/** The library's `resolveProps` over the tokens this subset has (spaces, comments, newlines, one indicator). */
/** Sets what the tokens before `node` give it: a blank line before it, a comment before it. */
function setBefore(node: Node, tokens: readonly Tok[], indicator: Tok['type'] | 'explicit-key-ind', startOnNewline: boolean): void {
  const props = resolveProps(tokens, indicator, startOnNewline);
  if (props.spaceBefore) node.spaceBefore = true;
  if (props.comment) node.commentBefore = props.comment;
}

function resolveProps(tokens: readonly Tok[], indicator: Tok['type'] | 'explicit-key-ind', startOnNewline: boolean): { comment: string; spaceBefore: boolean } {
  let spaceBefore = false;
  let atNewline = startOnNewline;
  let comment = '';
  let commentSep = '';
  let found = false;
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
        break;
      case 'comma':
        atNewline = false;
        break;
      case 'comment': {
        const cb = token.source.substring(1) || ' ';
        if (!comment) comment = cb;
        else comment += commentSep + cb;
        commentSep = '';
        atNewline = false;
        break;
      }
      case 'newline':
        if (atNewline) {
          if (comment) comment += token.source;
          else if (!found || indicator !== 'seq-item-ind') spaceBefore = true;
        } else {
          commentSep += token.source;
        }
        atNewline = true;
        break;
      default:
        if (token.type !== indicator || found) outside();
        found = true;
        atNewline = indicator === 'seq-item-ind';
    }
  }
  return { comment, spaceBefore };
}

/** The library's `resolveEnd`: the comment in the tokens after a node, and the offset past them. */
function resolveEnd(tokens: readonly Tok[], offset: number): { comment: string; offset: number } {
  let comment = '';
  let sep = '';
  for (const t of tokens) {
    if (t.type === 'comment') {
      const cb = t.source.substring(1) || ' ';
      comment = comment ? comment + sep + cb : cb;
      sep = '';
    } else if (t.type === 'newline') {
      if (comment) sep += t.source;
    }
    offset += t.source.length;
  }
  return { comment, offset };
}

/** The Composer's `decorate` of a document with the comment lines before it (text without `---`). */
function decorate(doc: Document.Parsed, prelude: readonly Tok[]): void {
  let comment = '';
  let atComment = false;
  let afterEmptyLine = false;
  for (const t of prelude) {
    if (t.type === 'comment') {
      comment += (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') + (t.source.substring(1) || ' ');
      atComment = true;
      afterEmptyLine = false;
    } else if (t.type === 'newline') {
      if (!atComment) afterEmptyLine = true;
      atComment = false;
    }
  }
  if (!comment) return;
  const dc = doc.contents as YAMLMap | YAMLSeq;
  if (afterEmptyLine) {
    doc.commentBefore = comment;
  } else if (dc.flow || dc.items.length === 0) {
    dc.commentBefore = dc.commentBefore ? `${comment}\n${dc.commentBefore}` : comment;
  } else {
    const it = dc.items[0];
    const first = (isPair(it) ? it.key : it) as Node;
    const cb = first.commentBefore;
    first.commentBefore = cb ? `${comment}\n${cb}` : comment;
  }
}

/**
 * The documents of one chunk (`text` starts at `offset` of the file), as the library's Parser +
 * Composer with these settings make them; undefined when the chunk is outside the subset.
 */
export function parseChunkFast(text: string, offset: number, settings: (docStart: boolean) => Settings): Document.Parsed[] | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || (c === CR && text.charCodeAt(i + 1) !== NL) || c === 0xfeff) {
      scanSteps.count += i + 1;
      return undefined;
    }
  }
  scanSteps.count += text.length;
  try {
    return new FastParser(text, offset, settings(false)).document(settings);
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}
