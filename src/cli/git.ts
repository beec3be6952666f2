/**
 * Manifests as they are at a git revision, read without a checkout: `git ls-tree` names the blobs
 * under the given paths and one `git cat-file --batch` reads them all. Paths are relative to the
 * current folder, like {@link loadPaths}, so the same file has the same name on both sides of a diff.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { blobEntries, catFileBlobs, catFileInput, catFileTexts, lsTreeArgs, manifestEntries } from '../core/git';
import { KUSTOMIZATION_FILE_NAMES } from '../core/render/kustomization';
import { runGitSync } from '../render/git';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/settings';
import { Workspace } from '../core/workspace';
import { UsageError } from './args';
import { skippedIn, type Loaded } from './load';

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  const r = runGitSync(args, cwd, input);
  if (r.code === null) throw new UsageError(`cannot run git: ${r.stderr}`);
  if (r.code !== 0) throw new UsageError(`git ${args[0]}: ${r.stderr.trim() || `exit code ${r.code}`}`);
  return r.stdout;
}

/** Whether `cwd` is inside a git work tree. */
export function inGitWorkTree(cwd = process.cwd()): boolean {
  const r = runGitSync(['rev-parse', '--is-inside-work-tree'], cwd);
  return r.code === 0 && r.stdout.toString().trim() === 'true';
}

/** The commit `ref` names (a usage error naming it when it names none). */
export function resolveCommit(ref: string, cwd = process.cwd()): string {
  if (ref.startsWith('-')) throw new UsageError(`not a revision: ${ref}`);
  return git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd).toString().trim();
}

/** The manifest files under `paths` at `ref`, paths relative to `cwd`, sorted; with their texts. */
export function filesAtRef(ref: string, paths: readonly string[], cwd = process.cwd()): Array<{ file: string; text: string }> {
  const commit = resolveCommit(ref, cwd);
  const entries = manifestEntries(git(lsTreeArgs(commit, paths), cwd).toString('utf8'))
    .map(e => ({ file: path.normalize(e.file), sha: e.sha }));
  if (entries.length === 0) return [];
  const out = git(['cat-file', '--batch'], cwd, Buffer.from(catFileInput(entries)));
  return catFileTexts(out, entries).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** A workspace of the manifests under `paths` at `ref` (what {@link loadPaths} reads from the work tree). */
export function loadAtRef(ref: string, paths: readonly string[], settings: AnalysisSettings = DEFAULT_SETTINGS, cwd = process.cwd()): Loaded {
  const workspace = new Workspace(settings);
  const files = filesAtRef(ref, paths, cwd);
  for (const f of files) workspace.set(f.file, f.text);
  return { workspace, files: files.map(f => f.file), warnings: [], skipped: skippedIn(workspace) };
}

const ROOT_NAMES = new Set<string>([...KUSTOMIZATION_FILE_NAMES, 'Chart.yaml']);

/**
 * The repository at `ref` written to a temporary folder, for rendering a revision without a
 * checkout: the whole tree, as a renderer may read any file of it (a base outside PATH, a chart's
 * `_helpers.tpl`, a vendored `.tgz`). Returns the folder standing for `cwd` there, or undefined when
 * no kustomization or chart lies under `paths` at `ref` (nothing to render). The caller removes it.
 */
export function treeAtRef(ref: string, paths: readonly string[], cwd = process.cwd()): { dir: string; remove(): void } | undefined {
  const commit = resolveCommit(ref, cwd);
  const prefix = git(['rev-parse', '--show-prefix'], cwd).toString().trim();
  const entries = blobEntries(git(['ls-tree', '-r', '-z', '--full-tree', commit], cwd).toString('utf8'));
  const under = paths.map(p => path.posix.normalize(`${prefix}${p.split(path.sep).join('/')}`).replace(/\/$/, ''));
  const inPaths = (f: string) => under.some(u => u === '.' || f === u || f.startsWith(`${u}/`));
  if (!entries.some(e => ROOT_NAMES.has(path.posix.basename(e.file)) && inPaths(e.file))) return undefined;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-netlens-ref-'));
  const out = git(['cat-file', '--batch'], cwd, Buffer.from(catFileInput(entries)));
  for (const f of catFileBlobs(out, entries)) {
    const target = path.join(tmp, ...f.file.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.bytes);
  }
  return { dir: path.join(tmp, prefix), remove: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}
