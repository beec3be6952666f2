/**
 * Which files are manifests: the one definition shared by the CLI's directory walk and the
 * extension's workspace scan, so both see the same objects.
 */

/** File endings read as manifests. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** Folders never scanned (dependency and VCS folders); the extension adds `files.exclude`. */
export const EXCLUDED_DIRS = ['node_modules', '.git', '.hg', '.svn', '.vscode-test'] as const;

/** Glob for the extension's `findFiles`. */
export const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
/** One glob per excluded folder (VS Code's globs do not nest braces, so callers can join these in one). */
export const EXCLUDE_GLOBS = EXCLUDED_DIRS.map(d => `**/${d}/**`);

/** Whether a path names a manifest file by its ending (case-insensitive). */
export function isManifestPath(path: string): boolean {
  const lower = path.toLowerCase();
  return MANIFEST_EXTENSIONS.some(ext => lower.endsWith(ext));
}

/** Whether a directory name is skipped by the walk. */
export function isExcludedDir(name: string): boolean {
  return (EXCLUDED_DIRS as readonly string[]).includes(name);
}

/**
 * A matcher for VS Code's glob patterns, as `findFiles` reads its exclude (and `files.exclude`):
 * `*` and `?` within one path segment, `**` for any number of segments (none included), `{a,b}`
 * alternatives (not nested), `[a-z]` and `[!a-z]` character ranges; matched, case-sensitively, on a
 * path relative to the workspace folder with `/` separators. The editor's file watcher uses it so that
 * a file changed on disk is excluded exactly as the scan excludes it.
 */
export function globMatcher(glob: string): (relativePath: string) => boolean {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < glob.length;) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const segmentStart = i === 0 || glob[i - 1] === '/' || (inBraces && (glob[i - 1] === ',' || glob[i - 1] === '{'));
      const segmentEnd = i + 2 >= glob.length || glob[i + 2] === '/' || (inBraces && (glob[i + 2] === ',' || glob[i + 2] === '}'));
      if (segmentStart && glob[i + 2] === '/') {
        // `**/`: any number of whole segments, none included.
        re += '(?:[^/]*/)*';
        i += 3;
        continue;
      }
      if (segmentStart && segmentEnd) {
        // A trailing `**` (`dir/**`): anything, across segments.
        re += '.*';
        i += 2;
        continue;
      }
      // `**` inside a segment (`a**b`) is a `*`.
      re += '[^/]*';
      i += 2;
      continue;
    }
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{' && !inBraces) { re += '(?:'; inBraces = true; }
    else if (c === '}' && inBraces) { re += ')'; inBraces = false; }
    else if (c === ',' && inBraces) re += '|';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        const negated = body[0] === '!' || body[0] === '^';
        if (negated) body = body.slice(1);
        re += `[${negated ? '^/' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
        i = close + 1;
        continue;
      }
    } else re += c.replace(/[.+^$()|\\[\]{}]/g, '\\$&');
    i++;
  }
  if (inBraces) return () => false;
  let compiled: RegExp;
  try {
    compiled = new RegExp(`^(?:${re})$`);
  } catch {
    return () => false;
  }
  return path => compiled.test(path);
}
