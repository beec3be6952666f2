/** JSON with comments (JSONC: VS Code's settings and launch files, tsconfig.json), read as plain JSON. */

/**
 * `text` without JSONC's comments (`//` to the end of the line, `/* *\/`) and trailing commas, strings
 * left as they are; undefined when it has neither (plain JSON that does not parse stays the YAML
 * parser's to report). Linear: one pass, then one replace.
 */
function withoutJsonComments(text: string): string | undefined {
  let out = '';
  let changed = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : text[i + 1] === '/' ? end : end + 2;
      out += text.slice(from, i) + ' ';
      from = stop;
      i = stop - 1;
      changed = true;
    }
  }
  out += text.slice(from);
  const trimmed = out.replace(/,(\s*[}\]])/g, '$1');
  return changed || trimmed !== out ? trimmed : undefined;
}

/** What {@link readJson} returns for text that is neither JSON nor JSON with comments. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/** `text` parsed as JSON, else as JSON with comments and trailing commas; {@link NOT_JSON} when neither reads it. */
export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const plain = withoutJsonComments(text);
    if (plain === undefined) return NOT_JSON;
    try {
      return JSON.parse(plain);
    } catch {
      return NOT_JSON;
    }
  }
}
