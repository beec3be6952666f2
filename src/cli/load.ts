/** Reads files and folders into a {@link Workspace}, exactly as the extension's index would. */
import fs from 'node:fs';
import path from 'node:path';
import { isExcludedDir, isManifestPath } from '../core/files';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../core/settings';
import { Workspace } from '../core/workspace';
import { mapSpan, noticesWith, RENDER_SUFFIX, RenderedProject, renderProblemRule, type RenderWorld } from '../core/render/project';
import type { Span } from '../core/span';
import { findRoots, type RenderRoot } from '../core/render/roots';
import { DEFAULT_RENDER_SETTINGS, fsReader, Renderer, type RenderSettings } from '../render/renderer';
import { UsageError, type Options } from './args';
import { parseInOrder, workerCount } from '../parallel/parse';
import type { ManifestFile } from '../core/parse/manifest';

export interface Loaded {
  readonly workspace: Workspace;
  /** Files read, in the order read (sorted per folder). */
  readonly files: string[];
  /** Non-fatal problems (unreadable files), one message each. */
  readonly warnings: string[];
  /** Files read but not analysed (over the size limit, Helm templates, binary), one `file: why` line each. */
  readonly skipped: string[];
}

/** Files of a workspace read but not analysed (over the size limit, Helm templates, binary), as `file: why`. */
export function skippedIn(ws: Workspace): string[] {
  const out: string[] = [];
  for (const e of ws.files) {
    const m = e.manifest;
    // A render's own are said on its root (`warnRenderProblems`).
    if (m.file.endsWith(RENDER_SUFFIX)) continue;
    const why = m.skipped && m.problems.find(p => p.code === m.skipped);
    if (why) out.push(`${m.file}: ${why.message}`);
  }
  return out;
}

/** Tells on stderr which files were not analysed, so a result is never silently partial. */
export function reportSkipped(loaded: Pick<Loaded, 'skipped'>, err: (line: string) => void): void {
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

/** The manifest files under `paths` (files are taken whatever their ending); a missing path is a usage error. */
function collect(paths: readonly string[], warnings: string[]): string[] {
  if (paths.length === 0) throw new UsageError('no PATH given: name files or folders of manifests');
  const files: string[] = [];
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
  return files;
}

/**
 * Loads every manifest under `paths` (files are read whatever their ending). A path that does not
 * exist is a usage error; unreadable files become warnings. Paths are recorded relative to `cwd`.
 */
/** A file's text, or undefined with a warning saying why it could not be read. */
function readText(f: string, warnings: string[]): string | undefined {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch (e) {
    warnings.push(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
}

export function loadPaths(paths: readonly string[], settings: AnalysisSettings = DEFAULT_SETTINGS, cwd = process.cwd()): Loaded {
  const warnings: string[] = [];
  const files = collect(paths, warnings);
  const workspace = new Workspace(settings);
  const read: string[] = [];
  for (const f of files) {
    const text = readText(f, warnings);
    if (text === undefined) continue;
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

/** How the CLI renders (`--no-render`, `--helm-values`, `--namespace`, `--kustomize-cmd`, `--helm-cmd`). */
export interface RenderFlags {
  readonly render: boolean;
  readonly settings: RenderSettings;
}

export const RENDER_OPTIONS: Options = {
  'no-render': { type: 'boolean' },
  'helm-values': { type: 'string', multiple: true },
  namespace: { type: 'string', short: 'n' },
  'kustomize-cmd': { type: 'string' },
  'helm-cmd': { type: 'string' },
};

export const RENDER_USAGE = [
  '  --no-render            read Kustomize and Helm sources as they are, without rendering',
  '  --helm-values FILE     values file for every chart (repeatable; default: the chart\'s values.yaml)',
  '  -n, --namespace NS     namespace of Helm releases, and of objects without one that no kustomization,',
  '                         Helm-rendered stream or Argo CD/Flux object places (like kubectl apply -n);',
  '                         default: default for Helm releases, unknown for the others',
  '  --kustomize-cmd CMD    how Kustomize runs (default: "kubectl kustomize"; e.g. "kustomize build")',
  '  --helm-cmd CMD         the helm executable (default: helm)',
].join('\n');

export function renderFlags(values: Record<string, unknown>): RenderFlags {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    render: !values['no-render'],
    settings: {
      ...DEFAULT_RENDER_SETTINGS,
      kustomizeCommand: str(values['kustomize-cmd']) ?? DEFAULT_RENDER_SETTINGS.kustomizeCommand,
      helmCommand: str(values['helm-cmd']) ?? DEFAULT_RENDER_SETTINGS.helmCommand,
      helmValues: ((values['helm-values'] as string[] | undefined) ?? []).map(f => path.resolve(f)),
      ...(str(values.namespace) ? { namespace: str(values.namespace) } : {}),
    },
  };
}

export interface LoadedProject {
  readonly project: RenderedProject;
  readonly roots: readonly RenderRoot[];
  /** Files read as loose manifests. */
  readonly files: string[];
  readonly warnings: string[];
}

/**
 * Loads `paths` as the extension does with rendering on: render roots under the paths are rendered
 * (their files enter through the render), the other manifests are loose. Paths are reported
 * relative to `cwd`.
 */
export async function loadProject(
  paths: readonly string[], settings: AnalysisSettings, flags: RenderFlags, cwd = process.cwd(),
): Promise<LoadedProject> {
  for (const f of flags.settings.helmValues) if (!fs.existsSync(f)) throw new UsageError(`--helm-values ${f}: no such file`);
  const warnings: string[] = [];
  const files = collect(paths, warnings);
  const abs = (f: string) => path.resolve(cwd, f).split(path.sep).join('/');
  const name = (a: string) => path.relative(cwd, a) || a;
  const project = new RenderedProject(settings, name);
  const found = flags.render ? findRoots(files.map(abs), fsReader) : { roots: [], owned: new Set<string>() };
  const read: string[] = [];
  const loose: Array<{ file: string; text: string }> = [];
  for (const f of files) {
    if (found.owned.has(abs(f))) continue;
    const text = readText(f, warnings);
    if (text === undefined) continue;
    loose.push({ file: name(path.resolve(cwd, f)), text });
  }
  // The loose files are parsed on worker threads when there is enough text (src/parallel/parse.ts):
  // the workspace is the same, built in the same order.
  const threads = workerCount(loose.reduce((k, f) => k + f.text.length, 0));
  const setLoose = (i: number, previous?: ManifestFile) => {
    project.setLoose(loose[i]!.file, loose[i]!.text, previous);
    read.push(loose[i]!.file);
  };
  await parseInOrder(loose, { maxFileSize: settings.maxFileSize, threads, each: setLoose });
  const renderer = new Renderer(flags.settings);
  // Two renders at a time; results enter the project in root order, so output is stable.
  const results = await mapLimit(found.roots, 2, root => renderer.render(root));
  found.roots.forEach((root, i) => {
    const result = results[i]!;
    if (result.ok) {
      project.setRender(root, result.output);
      return;
    }
    const rule = renderProblemRule(result.reason);
    project.setRenderProblem(root, rule, result.message, fsReader.read(root.file) ?? '', result);
  });
  if (read.length === 0 && found.roots.length === 0) warnings.push(`no manifest files (.yaml, .yml, .json) found under ${paths.join(', ')}`);
  return { project, roots: found.roots, files: read, warnings };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A set of objects judged together: the loose manifests, or one render. */
export interface World {
  readonly label: string;
  readonly workspace: Workspace;
  /** The render, for a rendered world (its map leads back to the sources). */
  readonly render?: RenderWorld;
}

/** The worlds of a loaded project: loose manifests first (when there are any, or nothing else), then each render. */
export function worldsOf(project: RenderedProject): World[] {
  return [
    ...(project.looseFiles.length || !project.renders.length ? [{ label: 'manifests read as they are', workspace: project.loose }] : []),
    ...project.renders.map(r => ({ label: r.label, workspace: r.workspace, render: r })),
  ];
}

/**
 * A place in a world as a file the user edits with a 1-based line and column: a place in a render
 * is mapped to its source (the base, patch or template); undefined when it has none.
 */
export function sourcePosition(
  project: RenderedProject, world: World, file: string, span: Span, source = project.lineSource,
): { file: string; line: number; column: number } | undefined {
  const at = world.render ? mapSpan(world.render, file, span) : { file, span };
  if (!at) return undefined;
  const lines = world.workspace.get(at.file)?.manifest.lines ?? source.get(at.file)?.manifest.lines;
  if (!lines) return undefined;
  const p = lines.position(at.span.start);
  return { file: at.file, line: p.line + 1, column: p.character + 1 };
}

/**
 * Prints, as warnings, why roots were not rendered and what of a render was not analysed (over the
 * size limit, past the documents read), for commands that print no findings.
 */
export function warnRenderProblems(project: RenderedProject, io: { err(line: string): void }): void {
  for (const root of project.renderRoots) {
    const f = project.problemOf(root.file);
    if (f) io.err(`warning: ${f.file}: ${f.message}`);
    const world = project.world(root.file);
    for (const n of world ? noticesWith(world) : []) io.err(`warning: ${n.file}: ${n.message}`);
  }
}
