/**
 * What kubectl's YAML reader (go-yaml, libyaml's scanner) accepts and the YAML 1.2 parser here
 * rejects, told apart from real syntax errors so that a file kubectl applies gets no error.
 */
import type { Span } from '../span';

export const UNDER_INDENTED_QUOTE = 'A quoted value continues on a line indented no deeper than its key: kubectl\'s YAML reader (go-yaml) accepts that, the YAML 1.2 parser here does not, so this document is not analysed (indent those lines past the key to have it analysed).';

/**
 * Where the parser stopped a quoted scalar at a line indented no deeper than its key, which YAML 1.2
 * forbids but go-yaml (libyaml's scanner, which kubectl uses) accepts: the quote does close later,
 * before any document marker, with nothing but a comment after it on its line. Undefined otherwise
 * (a quote that is really left open stays a syntax error).
 */
export function underIndentedQuote(text: string, err: { code: string; message: string; pos: [number, number] }): Span | undefined {
  const m = err.code === 'MISSING_CHAR' ? /^Missing closing (['"])quote/.exec(err.message) : null;
  if (!m) return undefined;
  const quote = m[1]!;
  const from = Math.min(err.pos[0], text.length);
  // A document marker ends the scalar for go-yaml too.
  const marker = /(^|\n)(---|\.\.\.)(\s|$)/g;
  marker.lastIndex = from;
  const limit = marker.exec(text)?.index ?? text.length;
  for (let i = text.indexOf(quote, from); i >= 0 && i < limit; i = text.indexOf(quote, i + 1)) {
    if (quote === "'" && text[i + 1] === "'") { i++; continue; }
    if (quote === '"' && text[i - 1] === '\\') continue;
    const eol = text.indexOf('\n', i);
    const rest = text.slice(i + 1, eol < 0 ? text.length : eol);
    return /^\s*(#.*)?$/.test(rest) ? { start: from, end: Math.max(from, Math.min(eol < 0 ? text.length : eol, from + 1)) } : undefined;
  }
  return undefined;
}
