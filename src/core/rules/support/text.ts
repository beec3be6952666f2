/**
 * Text helpers for rule spans and fixes. Spans always come from YAML nodes; these only trim a node's
 * span for display and find where a new line goes, so a fix keeps the file's indentation and comments.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Span } from '../../span';
import { deref, spanOf, type YDoc } from '../../parse/yaml';

/** `span` without trailing whitespace, newlines and comment lines (block nodes end after them). */
export function trimSpan(text: string, span: Span): Span {
  let end = span.end;
  for (;;) {
    while (end > span.start && /\s/.test(text[end - 1]!)) end--;
    // A block collection's range takes in comment lines that follow it: drop them.
    const lineStart = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(lineStart, end);
    if (lineStart > span.start && /^\s*#/.test(line)) {
      end = lineStart;
      continue;
    }
    return { start: span.start, end };
  }
}

/** The span of a node, trimmed for display, or undefined. */
export function nodeSpan(text: string, node: unknown): Span | undefined {
  const s = spanOf(node);
  return s && trimSpan(text, s);
}

/** The key scalar of `key` in the map at `node` (last wins), or undefined. */
export function keyNode(doc: YDoc, node: unknown, key: string): Node | undefined {
  const m = deref(doc, node);
  if (!isMap(m)) return undefined;
  let found: Node | undefined;
  for (const p of (m as YAMLMap).items as Pair[]) {
    if (isScalar(p.key) && String(p.key.value) === key) found = p.key;
  }
  return found;
}

/** The span of the key `key` in the map `node`. */
export function keySpan(doc: YDoc, node: unknown, key: string): Span | undefined {
  return spanOf(keyNode(doc, node, key));
}

/** Column (0-based) of `offset` on its line. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The whitespace that starts the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/**
 * For a block sequence item whose content starts at `itemStart`, the text before it on its line when
 * that text is only indentation and one `-` (e.g. `  - `); undefined for flow or nested-dash items.
 */
export function dashPrefix(text: string, itemStart: number): string | undefined {
  const start = text.lastIndexOf('\n', itemStart - 1) + 1;
  const prefix = text.slice(start, itemStart);
  return /^[ ]*- +$/.test(prefix) ? prefix : undefined;
}

/** Offset just after the line holding `offset` ends (after its newline; the text length at EOF). */
export function afterLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** Whether a node is a block (not flow) sequence or map. */
export function isBlock(node: unknown): boolean {
  return (isSeq(node) || isMap(node)) && !(node as { flow?: boolean }).flow;
}

/**
 * An edit that appends `lines` (already indented, without trailing newline) after the last item of a
 * block collection, on lines of their own. Undefined when the collection is not a non-empty block.
 */
export function appendLinesAfter(text: string, lastItemEnd: number, lines: string[]): { span: Span; newText: string } {
  // Block ranges end after the newline of their last line; a file without a final newline needs one.
  const at = text[lastItemEnd - 1] === '\n' ? lastItemEnd : afterLine(text, lastItemEnd);
  const lead = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { span: { start: at, end: at }, newText: lead + lines.join('\n') + '\n' };
}

/** Names for a message: at most `max`, then how many more. */
export function nameList(names: readonly string[], max = 4): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** Levenshtein distance, for "did you mean" suggestions between short names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** The one candidate within `max` edits of `name` closer than all others, or undefined. */
export function closestName(name: string, candidates: readonly string[], max = 2): string | undefined {
  const n = name.toLowerCase();
  // The distance is at least the difference in length: only candidates of a near length are measured.
  const scored = [...new Set(candidates)].filter(c => Math.abs(c.length - n.length) <= max)
    .map(c => ({ c, d: editDistance(n, c.toLowerCase()) })).filter(x => x.d <= max);
  scored.sort((x, y) => x.d - y.d);
  if (!scored.length || (scored[1] && scored[1].d === scored[0]!.d)) return undefined;
  return scored[0]!.c;
}

/** `n thing` or `n things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The span of a map entry from its key to the end of its value (closing quote included). */
export function entrySpan(text: string, e: { keySpan: Span; valueSpan: Span }): Span {
  const q = text[e.valueSpan.start - 1];
  const closed = (q === '"' || q === "'") && text[e.valueSpan.end] === q;
  return { start: e.keySpan.start, end: e.valueSpan.end + (closed ? 1 : 0) };
}
