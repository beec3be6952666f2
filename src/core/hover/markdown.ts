/** Markdown helpers for hovers: every value from a manifest goes through these. */

/** Escapes Markdown and HTML special characters in text. */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, c => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/** A value in a code span, safe for any content (backticks are fenced with longer runs). */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map(m => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\n/g, ' ')}${pad}${fence}`;
}

/**
 * A Markdown link that reveals `span` of `file` in the editor (the adapter allows exactly this
 * command in hovers). `label` is escaped here.
 */
export function revealLink(label: string, file: string, span: { start: number; end: number }): string {
  // Parentheses too (encodeURIComponent keeps them): a `)` in a path would end the link.
  const args = encodeURIComponent(JSON.stringify([file, span.start, span.end])).replace(/[()]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escape(label)}](command:kubeNetlens.reveal?${args})`;
}

const REVEAL_LINK = /\[((?:\\.|[^\\\]])*)\]\(command:kubeNetlens\.reveal\?([^)\s]*)\)/g;

/**
 * `markdown` with each link {@link revealLink} wrote replaced by what `replace` returns for its
 * target (Markdown), or kept when it returns undefined. A hover computed on a render uses it to
 * point at the file the user edits instead of the render, which no editor can open.
 */
export function mapRevealLinks(markdown: string, replace: (file: string, span: { start: number; end: number }) => string | undefined): string {
  return markdown.replace(REVEAL_LINK, (link, _label: string, args: string) => {
    let target: unknown;
    try {
      target = JSON.parse(decodeURIComponent(args));
    } catch {
      return link;
    }
    if (!Array.isArray(target) || typeof target[0] !== 'string' || !Number.isInteger(target[1]) || !Number.isInteger(target[2])) return link;
    return replace(target[0], { start: target[1], end: target[2] }) ?? link;
  });
}

/** The short name of a file id (a path or a URI): its last segment, decoded. */
export function fileLabel(file: string): string {
  const last = file.split(/[\\/]/).pop() ?? file;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** A link labelled `name.yaml:12` (1-based `line`) that reveals the span in the editor. */
export function sourceLink(file: string, span: { start: number; end: number }, line: number): string {
  return revealLink(`${fileLabel(file)}:${line}`, file, span);
}
