/**
 * The analysis of a workspace whose manifests are partly rendered. Loose files (read as they are)
 * form one world; each render root forms a world of its own, holding its render alone. A render is
 * what one deploy applies, and the other roots are alternatives (three overlays of one app, a chart
 * and a kustomization of the same services) or other applications: judging them together, or
 * together with unrelated loose manifests that land in the same namespace, gives verdicts about a
 * cluster nobody deploys. Findings of a render are mapped back to the files the user edits and name
 * the overlay or chart. A loose file may still be applied next to a render (a Service over a
 * render's pods): its finding is reported only when it also holds beside every render, so no
 * verdict of a loose file depends on leaving a render out.
 */
import { wholeWorkspacePass } from '../net/policy/model';
import { parseManifest, type ManifestFile } from '../parse/manifest';
import { checkFile, type RuleSettings } from '../rules/run';
import type { Finding, Fix, Related } from '../rules/rule';
import { DEFAULT_SETTINGS, type AnalysisSettings } from '../settings';
import { LineIndex, type Span } from '../span';
import { Workspace } from '../workspace';
import { helmMap, kustomizeMap, RenderMap, type SourceLocation } from './sourcemap';
import type { RenderRoot } from './roots';
import { basename, normalize } from './paths';
import { KUSTOMIZATION_FILE_NAMES } from './kustomization';

/** What a renderer produced for one root (the Node side runs the tool). */
export interface RenderOutput {
  /** The tool's standard output: the rendered manifests. */
  readonly text: string;
  /** Helm: the release namespace, for objects that write none. */
  readonly namespace?: string;
  /** Kustomize: the folder the origin annotations' paths are relative to (the wrapper's). */
  readonly originBase?: string;
  /** Source texts the map reads, by normalised path (bases, patches, templates). */
  readonly sources: ReadonlyMap<string, string>;
  /** Helm: the values files the release was rendered with (absolute paths). */
  readonly values?: readonly string[];
}

/** One rendered root: its world and the way back to its sources. */
export interface RenderWorld {
  readonly root: RenderRoot;
  /** The render beside the loose files: only used to confirm loose files' findings. */
  readonly withLoose: Workspace;
  /** The name of the render inside `workspace` (not a file on disk). */
  readonly file: string;
  readonly workspace: Workspace;
  readonly map: RenderMap;
  /** `overlay deploy/overlays/dev` or `chart charts/podinfo`. */
  readonly label: string;
  /** The source texts the render read, by the caller's file names. */
  readonly sources: ReadonlyMap<string, string>;
  /** Helm: the values files it was rendered with, named like the label (`charts/web/values.yaml`). */
  readonly values?: readonly string[];
}

export const RENDER_SUFFIX = '#rendered';

/** Ids of the findings a root that was not rendered gets (on its kustomization or `Chart.yaml`). */
export const RENDER_PROBLEM_IDS = ['render-failed', 'render-tool-missing', 'helm-dependencies-missing'] as const;
export type RenderProblemId = (typeof RENDER_PROBLEM_IDS)[number];

/**
 * Whether a render failed only for want of a network: kustomize could not fetch a remote resource
 * (`https://…` or a git URL in `resources:`). Where the overlay is applied, with a network, it may
 * well render, so that is no error of the repository.
 */
export function failedOffline(message: string): boolean {
  return /(?:https?:\/\/|git fetch|git clone)/.test(message)
    && /no such host|Could not resolve host|network is unreachable|i\/o timeout|TLS handshake timeout|connection refused/.test(message);
}

export function rootLabel(root: RenderRoot, fileName: (path: string) => string = p => p): string {
  const dir = fileName(root.dir);
  return `${root.tool === 'helm' ? 'chart' : 'overlay'} ${dir === '' ? '.' : dir}`;
}

/** A loose finding's identity across worlds: its place and rule (counts in messages differ between worlds). */
const looseKey = (f: Finding) => `${f.rule}\u0000${f.span.start}\u0000${f.span.end}`;
const key = (f: Finding) => `${f.rule}\u0000${f.span.start}\u0000${f.span.end}\u0000${f.message}`;

export class RenderedProject {
  readonly loose: Workspace;
  private readonly worlds = new Map<string, RenderWorld>();
  private readonly looseTexts = new Map<string, string>();
  /** Roots that could not be rendered: one finding on the root's file, with its text. */
  private readonly problems = new Map<string, { finding: Finding; text: string }>();
  private readonly problemRoots = new Map<string, RenderRoot>();

  /**
   * `fileName` turns a normalised source path into the name the caller uses (a URI in the editor);
   * `labelPath` names a root's folder in labels and messages (workspace-relative in the editor).
   */
  constructor(
    private settings: AnalysisSettings = DEFAULT_SETTINGS,
    private readonly fileName: (path: string) => string = p => p,
    private readonly labelPath: (path: string) => string = fileName,
  ) {
    this.loose = new Workspace(settings);
  }

  get renders(): readonly RenderWorld[] {
    return [...this.worlds.values()];
  }

  world(rootFile: string): RenderWorld | undefined {
    return this.worlds.get(rootFile);
  }

  /** `previous`: a parse of the same text to take over (the first scan's, from a worker thread). */
  setLoose(file: string, text: string, previous?: ManifestFile): void {
    this.looseTexts.set(file, text);
    this.loose.set(file, text, previous ? { previous } : {});
    for (const w of this.worlds.values()) w.withLoose.set(file, text);
  }

  deleteLoose(file: string): void {
    this.looseTexts.delete(file);
    this.loose.delete(file);
    for (const w of this.worlds.values()) w.withLoose.delete(file);
  }

  get looseFiles(): string[] {
    return [...this.looseTexts.keys()];
  }

  /**
   * Records that `root` was not rendered (tool missing, render failed, dependencies absent): one
   * finding on its kustomization or `Chart.yaml`; its files stay out of the analysis.
   */
  setRenderProblem(root: RenderRoot, rule: RenderProblemId, message: string, rootText: string): void {
    this.worlds.delete(root.file);
    const file = this.fileName(root.file);
    const end = rootText.indexOf('\n');
    const span = { start: 0, end: end < 0 ? rootText.length : end };
    const offline = rule === 'render-failed' && failedOffline(message);
    const severity = offline ? 'warning' : rule === 'render-failed' ? 'error' : rule === 'helm-dependencies-missing' ? 'warning' : 'info';
    const said = offline ? `a remote resource could not be fetched (no network here), so the overlay is not analysed; it may render where it is applied. ${message}` : message;
    this.problems.set(root.file, { finding: { rule, severity, file, span, message: said, fixes: [], related: [] }, text: rootText });
    this.problemRoots.set(root.file, root);
  }

  /** Roots that were rendered or recorded as not rendered. */
  get renderRoots(): RenderRoot[] {
    return [...new Set([...[...this.worlds.values()].map(w => w.root), ...[...this.problems.keys()].map(k => this.problemRoots.get(k)!)])];
  }

  /** The problem recorded for a root, if it was not rendered. */
  problemOf(rootFile: string): Finding | undefined {
    return this.problems.get(rootFile)?.finding;
  }

  /** Replaces the render of `root` (a new world holding the render). */
  setRender(root: RenderRoot, output: RenderOutput): RenderWorld {
    this.problems.delete(root.file);
    const workspace = new Workspace(this.settings);
    // A namespace this render adds pods to without creating it (kubeflow's components put a proxy in
    // istio-system) also holds what other renders or loose files put there: this render alone does
    // not know its pods. Other renders may be alternatives (overlays of one app): then it abstains.
    // `default` is where every root that names no namespace lands (kubectl's context, Helm's release
    // default): sharing it says nothing about being parts of one platform, so it is left out.
    workspace.podsElsewhere = ns => ns !== 'default' && !workspace.namespaces.get(ns)?.objects.length
      && (this.loose.workloadsIn(ns).length > 0 || [...this.worlds.values()].some(w => w.workspace !== workspace && w.workspace.workloadsIn(ns).length > 0));
    // Policies add up: another render's policy in a namespace (kubeflow's allow-same-namespace, from
    // the namespace's own kustomization) may allow what this render's deny. A policy of the same name
    // is another version of one this render holds (an alternative overlay), not an addition.
    workspace.policiesElsewhere = ns => {
      if (ns === 'default') return false;
      const mine = new Set(workspace.policiesIn(ns).map(p => p.object.name));
      const adds = (ws: Workspace) => ws.policiesIn(ns).some(p => !mine.has(p.object.name));
      return adds(this.loose) || [...this.worlds.values()].some(w => w.workspace !== workspace && adds(w.workspace));
    };
    const file = `${this.fileName(root.file)}${RENDER_SUFFIX}`;
    const placement = output.namespace ? { defaultNamespace: output.namespace } : {};
    const entry = workspace.set(file, output.text, placement);
    const withLoose = new Workspace(this.settings);
    for (const [f, t] of this.looseTexts) withLoose.set(f, t);
    withLoose.set(file, output.text, placement);
    const parsed = new Map<string, ManifestFile | null>();
    const load = (path: string): ManifestFile | undefined => {
      const p = normalize(path);
      if (!parsed.has(p)) {
        const text = output.sources.get(p);
        parsed.set(p, text === undefined ? null : parseManifest(this.fileName(p), text, { maxFileSize: Number.MAX_SAFE_INTEGER }));
      }
      return parsed.get(p) ?? undefined;
    };
    const map = root.tool === 'helm'
      ? helmMap({ rendered: entry.manifest, chartDir: root.dir, chartName: root.chartName ?? '', read: p => output.sources.get(normalize(p)), fileName: this.fileName })
      : kustomizeMap({
        rendered: entry.manifest, originBase: output.originBase ?? root.dir, load, patchFiles: root.patches ?? [],
        kustomizations: root.members.filter(m => (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(basename(m))),
      });
    const sources = new Map([...output.sources].map(([p, t]) => [this.fileName(p), t]));
    const world: RenderWorld = {
      root, withLoose, file, workspace, map, label: rootLabel(root, this.labelPath), sources,
      ...(output.values ? { values: output.values.map(v => this.labelPath(normalize(v))) } : {}),
    };
    this.worlds.set(root.file, world);
    return world;
  }

  deleteRender(rootFile: string): void {
    this.worlds.delete(rootFile);
    this.problems.delete(rootFile);
  }

  updateSettings(settings: AnalysisSettings): void {
    this.settings = settings;
    this.loose.updateSettings(settings);
    for (const w of this.worlds.values()) {
      w.workspace.updateSettings(settings);
      w.withLoose.updateSettings(settings);
    }
  }

  /** Findings of a loose file that also hold beside each render. */
  checkLoose(file: string, rules: RuleSettings = {}): Finding[] {
    let findings = checkFile(this.loose, file, rules);
    for (const w of this.worlds.values()) {
      if (!findings.length) break;
      const there = new Set(checkFile(w.withLoose, file, rules).map(looseKey));
      findings = findings.filter(f => there.has(looseKey(f)));
    }
    return findings;
  }

  /** Findings of one render, on its source files. */
  checkRender(world: RenderWorld, rules: RuleSettings = {}): Finding[] {
    return checkFile(world.workspace, world.file, rules).map(f => mapFinding(f, world)).filter((f): f is Finding => !!f);
  }

  /** Every finding, by source file: loose files, then what renders put on their sources. */
  check(rules: RuleSettings = {}): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    const add = (f: Finding) => {
      const list = out.get(f.file);
      if (list) list.push(f);
      else out.set(f.file, [f]);
    };
    // Every loose file and every render is checked: pairs of namespaces are asked of the whole policy model.
    wholeWorkspacePass(this.loose);
    for (const w of this.worlds.values()) wholeWorkspacePass(w.workspace);
    for (const file of this.looseTexts.keys()) for (const f of this.checkLoose(file, rules)) add(f);
    for (const { finding } of this.problems.values()) if (rules[finding.rule] !== 'off') add(finding);
    const seen = new Set<string>();
    for (const w of this.worlds.values()) {
      for (const f of this.checkRender(w, rules)) {
        const k = `${f.file}\u0000${key(f)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        add(f);
      }
    }
    for (const list of out.values()) list.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
    return out;
  }

  /** Line indexes of the files findings are reported on (loose files and render sources). */
  get lineSource(): { get(file: string): { manifest: { lines: LineIndex } } | undefined } {
    const cache = new Map<string, LineIndex>();
    return {
      get: file => {
        let lines = cache.get(file);
        if (!lines) {
          const text = this.sourceText(file);
          if (text === undefined) return undefined;
          cache.set(file, (lines = new LineIndex(text)));
        }
        return { manifest: { lines } };
      },
    };
  }

  /** Source texts known to a render, for placing mapped findings (lines and columns). */
  sourceText(file: string): string | undefined {
    if (this.looseTexts.has(file)) return this.looseTexts.get(file);
    for (const p of this.problems.values()) if (p.finding.file === file) return p.text;
    for (const w of this.worlds.values()) {
      const text = w.sources.get(file);
      if (text !== undefined) return text;
      for (const o of w.map.objects) if (o.file === file) return o.text;
    }
    return undefined;
  }
}

function suffix(world: RenderWorld, at: SourceLocation): string {
  return at.exact ? ` (in ${world.label})` : ` (in ${world.label}; the exact line in this file was not found)`;
}

/** A finding on a render, on its source file (undefined when the render's span has no source). */
export function mapFinding(f: Finding, world: RenderWorld): Finding | undefined {
  const at = mapSpan(world, f.file, f.span);
  if (!at) return undefined;
  const related: Related[] = f.related.flatMap(r => {
    const to = mapSpan(world, r.file, r.span);
    return to ? [{ ...r, file: to.file, span: to.span }] : [];
  });
  // A fix edits the source, never the render: kept only when every edit lands verbatim in a source.
  const fixes: Fix[] = f.fixes.flatMap(fix => {
    const edits = fix.edits.map(e => {
      if (e.file !== world.file) return e;
      const to = world.map.toSource(e.span);
      return to?.verbatim ? { ...e, file: to.file, span: to.span } : undefined;
    });
    return edits.every(e => e) ? [{ ...fix, edits: edits as Fix['edits'] }] : [];
  });
  return { ...f, file: at.file, span: at.span, message: f.message + suffix(world, at), related, fixes };
}

/** A place in a world on its source: as is outside the render, mapped through the render's map inside it. */
export function mapSpan(world: RenderWorld, file: string, span: Span): SourceLocation | undefined {
  if (file !== world.file) return { file, span, exact: true };
  return world.map.toSource(span);
}
