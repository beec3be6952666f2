/**
 * Which folders are rendered, and which files they own. A Kustomize entry point is a kustomization
 * no other kustomization of the workspace uses (an overlay); the bases and components it uses are
 * analysed as part of it, never on their own. A Helm chart is a folder with `Chart.yaml` (its
 * vendored subcharts under `charts/` belong to it). Files a root owns are not analysed as loose
 * manifests: they enter the analysis through the root's render.
 */
import { parse } from 'yaml';
import { basename, dirname, isInside, join, normalize } from './paths';
import { isRemoteRef, KUSTOMIZATION_FILE_NAMES, kustomizationRefs, type KustomizationRefs } from './kustomization';

export type RenderTool = 'kustomize' | 'helm';

export interface RenderRoot {
  readonly tool: RenderTool;
  /** The folder the tool renders. */
  readonly dir: string;
  /** The kustomization or `Chart.yaml`: where the root's own problems (render errors) are reported. */
  readonly file: string;
  /** Source files the render reads (known to the workspace or not), including `file`. */
  readonly members: readonly string[];
  /** Set when the root is not rendered, with the reason (a chart whose dependencies are not vendored). */
  readonly problem?: string;
  /** Kustomize: patch files of the kustomizations it uses (their values map to the patch's line). */
  readonly patches?: readonly string[];
  /** Helm: the chart's `name` (the first segment of its `# Source:` comments). */
  readonly chartName?: string;
  /** Helm: the dependencies named in `Chart.yaml` that `charts/` does not hold. */
  readonly missingDependencies?: readonly string[];
}

/** How the finder reads files it was not given (bases outside the scanned folder, `charts/`). */
export interface RootReader {
  read(path: string): string | undefined;
  /** Names in a folder, or undefined when it is not one. */
  list(dir: string): readonly string[] | undefined;
}

export interface FoundRoots {
  readonly roots: readonly RenderRoot[];
  /** Files of the input that a root owns: not analysed loose. */
  readonly owned: ReadonlySet<string>;
}

const MAX_KUSTOMIZATIONS = 2000;

interface KNode {
  readonly dir: string;
  readonly file: string;
  readonly refs: KustomizationRefs;
}

/** The kustomization file of a folder, read through `reader`. */
function kustomizationIn(dir: string, reader: RootReader, cache: Map<string, KNode | null>): KNode | undefined {
  const hit = cache.get(dir);
  if (hit !== undefined) return hit ?? undefined;
  let found: KNode | undefined;
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = join(dir, name);
    const text = reader.read(file);
    if (text === undefined) continue;
    const refs = kustomizationRefs(text);
    if (refs) found = { dir, file, refs };
    break;
  }
  cache.set(dir, found ?? null);
  return found;
}

/** Folders a kustomization builds on (local resources that are folders, and components). */
function childDirs(k: KNode, reader: RootReader, cache: Map<string, KNode | null>): KNode[] {
  const out: KNode[] = [];
  for (const ref of [...k.refs.resources, ...k.refs.components]) {
    if (isRemoteRef(ref)) continue;
    const child = kustomizationIn(join(k.dir, ref), reader, cache);
    if (child) out.push(child);
  }
  return out;
}

/** Every file a kustomization reads, through the kustomizations it uses (bounded, cycle-safe). */
function closure(root: KNode, reader: RootReader, cache: Map<string, KNode | null>): { members: string[]; patches: string[] } {
  const files = new Set<string>();
  const patches = new Set<string>();
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length && seen.size < MAX_KUSTOMIZATIONS) {
    const k = stack.pop()!;
    if (seen.has(k.dir)) continue;
    seen.add(k.dir);
    files.add(k.file);
    const children = childDirs(k, reader, cache);
    const childDirsSet = new Set(children.map(c => c.dir));
    for (const ref of [...k.refs.resources, ...k.refs.components, ...k.refs.patches, ...k.refs.files]) {
      if (isRemoteRef(ref)) continue;
      const p = join(k.dir, ref);
      if (!childDirsSet.has(p)) files.add(p);
    }
    for (const ref of k.refs.patches) if (!isRemoteRef(ref)) patches.add(join(k.dir, ref));
    stack.push(...children);
  }
  return { members: [...files].sort(), patches: [...patches].sort() };
}

function chartInfo(text: string | undefined): { name: string | undefined; version: string | undefined; type: string | undefined; dependencies: string[] } {
  let doc: unknown;
  try {
    doc = text === undefined ? undefined : parse(text, { uniqueKeys: false, maxAliasCount: 100 });
  } catch {
    doc = undefined;
  }
  const rec = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const deps = Array.isArray(rec.dependencies) ? rec.dependencies : [];
  return {
    name: typeof rec.name === 'string' ? rec.name : undefined,
    version: typeof rec.version === 'string' || typeof rec.version === 'number' ? String(rec.version) : undefined,
    type: typeof rec.type === 'string' ? rec.type : undefined,
    dependencies: deps.flatMap(d => (typeof d === 'object' && d && typeof (d as { name?: unknown }).name === 'string' ? [(d as { name: string }).name] : [])),
  };
}

/** Dependencies of a chart that its `charts/` folder holds neither unpacked nor as a `.tgz`. */
function missingDependencies(dir: string, dependencies: readonly string[], reader: RootReader): string[] {
  if (!dependencies.length) return [];
  const vendored = reader.list(join(dir, 'charts')) ?? [];
  return dependencies.filter(name =>
    !vendored.some(v => v === name || (v.startsWith(`${name}-`) && v.endsWith('.tgz'))));
}

/**
 * Finds the render roots among `files` (normalised paths). Kustomizations and charts are found
 * among the files given; what they reference is read through `reader` wherever it lies.
 */
export function findRoots(files: readonly string[], reader: RootReader): FoundRoots {
  const normalized = files.map(normalize);
  const cache = new Map<string, KNode | null>();
  const roots: RenderRoot[] = [];
  const owned = new Set<string>();

  // Helm charts: a Chart.yaml with a chart name (not a `$1` snippet) and version, beside a
  // templates/ folder or declaring dependencies (an umbrella chart renders only its subcharts),
  // not inside another chart's charts/ folder.
  // Each candidate's Chart.yaml and requirements.yaml are read once, for the test and for the root.
  const charts = new Map<string, { info: ReturnType<typeof chartInfo>; dependencies: string[] }>();
  for (const dir of normalized.filter(f => basename(f) === 'Chart.yaml').map(dirname)) {
    const info = chartInfo(reader.read(join(dir, 'Chart.yaml')));
    if (!info.name || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(info.name) || !info.version) continue;
    const dependencies = [...info.dependencies, ...chartInfo(reader.read(join(dir, 'requirements.yaml'))).dependencies];
    if (reader.list(join(dir, 'templates')) !== undefined || dependencies.length > 0) charts.set(dir, { info, dependencies });
  }
  const chartDirs = [...charts.keys()].sort();
  const topCharts = chartDirs.filter(d => !chartDirs.some(o => o !== d && isInside(d, o)));
  for (const dir of topCharts) {
    const file = join(dir, 'Chart.yaml');
    const { info, dependencies } = charts.get(dir)!;
    const missing = missingDependencies(dir, dependencies, reader);
    const members = normalized.filter(f => isInside(f, dir));
    for (const m of members) owned.add(m);
    // A library chart (`type: library`) only lends templates to the charts that depend on it: Helm
    // refuses to render it ("library charts are not installable"), and its files are no manifests.
    if (info.type === 'library') continue;
    roots.push({
      tool: 'helm', dir, file, members, chartName: info.name ?? basename(dir), missingDependencies: missing,
      ...(missing.length ? { problem: `dependencies not present: ${missing.join(', ')}; run \`helm dependency build\` in ${dir}` } : {}),
    });
  }

  // Kustomize: every kustomization given, then the ones another one uses.
  const known = new Set(KUSTOMIZATION_FILE_NAMES as readonly string[]);
  const nodes: KNode[] = [];
  for (const f of normalized) {
    if (!known.has(basename(f)) || topCharts.some(d => isInside(f, d))) continue;
    const k = kustomizationIn(dirname(f), reader, cache);
    if (k && k.file === f) nodes.push(k);
  }
  const used = new Set<string>();
  for (const k of nodes) for (const c of childDirs(k, reader, cache)) used.add(c.dir);
  const given = new Set(normalized);
  for (const k of nodes) {
    if (used.has(k.dir) || k.refs.kind === 'Component') continue;
    const { members, patches } = closure(k, reader, cache);
    for (const m of members) if (given.has(m)) owned.add(m);
    roots.push({ tool: 'kustomize', dir: k.dir, file: k.file, members, patches });
  }
  roots.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
  return { roots, owned };
}
