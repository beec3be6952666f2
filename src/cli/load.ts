/** Reads files and folders into a {@link Workspace}, exactly as the extension's index would. */
import fs from 'node:fs';
import path from 'node:path';
import { isExcludedDir, isManifestPath } from '../core/files';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/settings';
import { Workspace } from '../core/workspace';
import { UsageError } from './args';

export interface Loaded {
  readonly workspace: Workspace;
  /** Files read, in the order read (sorted per folder). */
  readonly files: string[];
  /** Non-fatal problems (unreadable files), one message each. */
  readonly warnings: string[];
  /** Files read but not analysed (over the size limit, Helm templates, binary), one `file: why` line each. */
  readonly skipped: string[];
}

/** Tells on stderr which files were not analysed, so a result is never silently partial. */
export function reportSkipped(loaded: Loaded, err: (line: string) => void): void {
  if (!loaded.skipped.length) return;
  err(`note: ${loaded.skipped.length} file${loaded.skipped.length === 1 ? '' : 's'} not analysed:`);
  for (const s of loaded.skipped) err(`  ${s}`);
}

function walk(dir: string, out: string[], warnings: string[]): void {
  let names: fs.Dirent[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    warnings.push(`cannot read folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) {
      if (!isExcludedDir(d.name)) walk(p, out, warnings);
    } else if ((d.isFile() || d.isSymbolicLink()) && isManifestPath(d.name)) {
      out.push(p);
    }
  }
}

/**
 * Loads every manifest under `paths` (files are read whatever their ending). A path that does not
 * exist is a usage error; unreadable files become warnings. Paths are recorded relative to `cwd`.
 */
export function loadPaths(paths: readonly string[], settings: AnalysisSettings = DEFAULT_SETTINGS, cwd = process.cwd()): Loaded {
  if (paths.length === 0) throw new UsageError('no PATH given: name files or folders of manifests');
  const files: string[] = [];
  const warnings: string[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    if (st.isDirectory()) walk(p, files, warnings);
    else files.push(p);
  }
  const workspace = new Workspace(settings);
  const read: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch (e) {
      warnings.push(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const rel = path.relative(cwd, path.resolve(f)) || f;
    workspace.set(rel, text);
    read.push(rel);
  }
  if (read.length === 0) warnings.push(`no manifest files (.yaml, .yml, .json) found under ${paths.join(', ')}`);
  const skipped: string[] = [];
  for (const f of read) {
    const m = workspace.get(f)?.manifest;
    const why = m?.skipped && m.problems.find(p => p.code === m.skipped);
    if (why) skipped.push(`${f}: ${why.message}`);
  }
  return { workspace, files: read, warnings, skipped };
}
