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
