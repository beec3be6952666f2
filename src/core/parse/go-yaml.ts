/**
 * What kubectl's YAML reader (go-yaml, libyaml's scanner) accepts and the YAML 1.2 parser here
 * rejects, told apart from real syntax errors so that a file kubectl applies gets no error.
 */
import { isScalar, parseDocument, visit, type Document } from 'yaml';
import type { Span } from '../span';

export const UNDER_INDENTED_QUOTE = 'A quoted value continues on a line indented no deeper than its key: kubectl\'s YAML reader (go-yaml) accepts that, the YAML 1.2 parser here does not, so this document is not analysed (indent those lines past the key to have it analysed).';

/**
 * Where the parser stopped a quoted scalar at a line indented no deeper than its key, which YAML 1.2
 * forbids but go-yaml (libyaml's scanner, which kubectl uses) accepts: the quote does close later,
 * before any document marker, with nothing but a comment after it on its line. Undefined otherwise
 * (a quote that is really left open stays a syntax error).
 */
export function underIndentedQuote(text: string, err: { code: string; message: string; pos: [number, number] }): Span | undefined {
  return underIndented(text, err)?.span;
}

/** {@link underIndentedQuote}, with the offset of the quote that closes the scalar for go-yaml. */
function underIndented(text: string, err: { code: string; message: string; pos: [number, number] }): { span: Span; close: number } | undefined {
  const m = err.code === 'MISSING_CHAR' ? /^Missing closing (['"])quote/.exec(err.message) : null;
  if (!m) return undefined;
  const quote = m[1]!;
  const from = Math.min(err.pos[0], text.length);
  // A document marker ends the scalar for go-yaml too.
  const marker = /(^|\n)(---|\.\.\.)(\s|$)/g;
  // From the line break before `from`: the parser may stop at the start of the marker's line.
  marker.lastIndex = Math.max(0, from - 1);
  const limit = marker.exec(text)?.index ?? text.length;
  for (let i = text.indexOf(quote, from); i >= 0 && i < limit; i = text.indexOf(quote, i + 1)) {
    if (quote === "'" && text[i + 1] === "'") { i++; continue; }
    if (quote === '"' && text[i - 1] === '\\') continue;
    const eol = text.indexOf('\n', i);
    const rest = text.slice(i + 1, eol < 0 ? text.length : eol);
    return /^\s*(#.*)?$/.test(rest) ? { span: { start: from, end: Math.max(from, Math.min(eol < 0 ? text.length : eol, from + 1)) }, close: i } : undefined;
  }
  return undefined;
}

const READ_AS_GO_YAML = 'A quoted value continues on a line indented no deeper than its key: kubectl\'s YAML reader (go-yaml) accepts that and it is read here as kubectl reads it, but YAML 1.2 tools reject it (indent those lines past the key).';

/** A quoted scalar read as go-yaml reads it: from its opening to its closing quote, and where the parser here stopped. */
export interface GoYamlQuote {
  readonly open: number;
  readonly close: number;
  readonly span: Span;
}

/** How many under-indented quoted values of one file are read as go-yaml reads them (each costs a parse of its document). */
const MAX_QUOTES = 16;

/**
 * Documents whose quoted values continue at their key's indentation (the parser here stops there,
 * go-yaml does not: it has no indentation rule inside quotes, only document markers end them), read
 * as go-yaml reads them. Each such scalar's line breaks become spaces in a copy of the text (same
 * offsets, the scalar on one line), `reparse` parses the copy (reusing unchanged documents), and the
 * scalar's value is set to go-yaml's folding of the original lines (a line break between text is a
 * space, n empty lines n line breaks, the blanks around a break dropped). Scalars whose start is not
 * found stay as they were (the caller reports them, not analysed).
 */
export function readAsGoYaml(
  text: string, docs: readonly Document.Parsed[], reparse: (patched: string) => readonly Document.Parsed[],
): { docs: readonly Document.Parsed[]; quotes: GoYamlQuote[]; notices: Array<{ code: 'yaml-syntax'; severity: 'info'; span: Span; message: string }> } {
  const quotes: GoYamlQuote[] = [];
  const seen = new Set<number>();
  let current = docs;
  let patched = text;
  for (let pass = 0; pass < MAX_QUOTES; pass++) {
    const found: GoYamlQuote[] = [];
    for (const doc of current) {
      const err = doc.errors[0];
      const hit = err && underIndented(text, err);
      const open = hit && quoteStart(doc, err.pos[0]);
      // A scalar read once and still stopping there is no under-indented quote: left as it is.
      if (hit && open !== undefined && open < hit.close && !seen.has(open)) found.push({ open, close: hit.close, span: hit.span });
    }
    if (!found.length) break;
    // One copy per pass, the found scalars in text order (each is in its own document).
    found.sort((a, b) => a.open - b.open);
    const parts: string[] = [];
    let at = 0;
    for (const q of found) {
      parts.push(patched.slice(at, q.open), patched.slice(q.open, q.close).replace(/[\r\n]/g, ' '));
      at = q.close;
    }
    patched = parts.join('') + patched.slice(at);
    quotes.push(...found);
    for (const q of found) seen.add(q.open);
    current = reparse(patched);
  }
  if (quotes.length) {
    const folded = new Map(quotes.map(q => [q.open, goYamlValue(text.slice(q.open, q.close + 1))]));
    for (const doc of current) {
      visit(doc, {
        Scalar(_key, node) {
          const value = node.range ? folded.get(node.range[0]) : undefined;
          if (value !== undefined && (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE')) node.value = value;
        },
      });
    }
  }
  return { docs: current, quotes, notices: quotes.map(q => ({ code: 'yaml-syntax', severity: 'info', span: q.span, message: READ_AS_GO_YAML })) };
}

/** Where the quoted scalar the parser stopped at `stop` starts (its partial node ends there). */
function quoteStart(doc: Document.Parsed, stop: number): number | undefined {
  let open: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && node.range && node.range[1] === stop) {
        open = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return open;
}

/**
 * go-yaml's value of a quoted scalar's source: the same scalar with every continuation line indented
 * one more (the indentation of a continuation line is never part of the value, in go-yaml or YAML
 * 1.2), read by the parser here.
 */
function goYamlValue(source: string): string | undefined {
  const doc = parseDocument(`x: ${source.replace(/\r?\n/g, '$& ')}`, { version: '1.1' });
  const node = doc.errors.length ? undefined : doc.get('x', true);
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}
