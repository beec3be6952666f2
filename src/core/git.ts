/**
 * Reading git's plumbing output (no process, no Node API): the CLI and the editor run git their own
 * way (a child process, blocking or not) and parse what it prints here, so both read a revision alike.
 */
import { isExcludedDir, isManifestPath } from './files';

/** A manifest blob of a tree: its path (as git prints it) and object id. */
export interface TreeEntry {
  readonly file: string;
  readonly sha: string;
}

/** The arguments of `git ls-tree` listing every blob under `paths` (relative to the folder git runs in) at `commit`. */
export function lsTreeArgs(commit: string, paths: readonly string[]): string[] {
  return ['ls-tree', '-r', '-z', commit, '--', ...(paths.length ? paths : ['.'])];
}

/** The manifest files of a `git ls-tree -r -z` listing: regular blobs with a manifest ending, outside excluded folders. */
export function manifestEntries(listing: string): TreeEntry[] {
  return blobEntries(listing).filter(e => isManifestPath(e.file) && !e.file.split('/').slice(0, -1).some(isExcludedDir));
}

/** The input of `git cat-file --batch` for `entries`. */
export function catFileInput(entries: readonly TreeEntry[]): string {
  return entries.map(e => e.sha).join('\n') + '\n';
}

/** The texts of `entries` from `git cat-file --batch` output (one `<sha> <type> <size>` header, the bytes, a newline each). */
export function catFileTexts(out: Uint8Array, entries: readonly TreeEntry[]): Array<{ file: string; text: string }> {
  const decoder = new TextDecoder('utf-8');
  return catFileBlobs(out, entries).map(f => ({ file: f.file, text: decoder.decode(f.bytes) }));
}

/**
 * Every regular blob of a `git ls-tree -r -z` listing (symlinks and submodules left out): what a
 * renderer may read at a revision (templates, `.tpl` helpers, generator sources, vendored charts).
 */
export function blobEntries(listing: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  for (const rec of listing.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha] = rec.slice(0, tab).split(' ');
    if (type !== 'blob' || mode === '120000' || mode === '160000' || !sha) continue;
    out.push({ file: rec.slice(tab + 1), sha });
  }
  return out;
}

/** The bytes of `entries` from `git cat-file --batch` output (binary files too: a chart's vendored `.tgz`). */
export function catFileBlobs(out: Uint8Array, entries: readonly TreeEntry[]): Array<{ file: string; bytes: Uint8Array }> {
  const decoder = new TextDecoder('utf-8');
  const files: Array<{ file: string; bytes: Uint8Array }> = [];
  let pos = 0;
  for (const e of entries) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) break;
    const header = decoder.decode(out.subarray(pos, nl)).split(' ');
    if (header[1] === 'missing') { pos = nl + 1; continue; }
    const size = Number(header[2]);
    files.push({ file: e.file, bytes: out.subarray(nl + 1, nl + 1 + size) });
    pos = nl + 1 + size + 1;
  }
  return files;
}
