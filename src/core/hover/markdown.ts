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
  const args = encodeURIComponent(JSON.stringify([file, span.start, span.end]));
  return `[${escape(label)}](command:kubeNetlens.reveal?${args})`;
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
