/**
 * The analysis of a workspace whose manifests are partly rendered. Loose files (read as they are)
 * form one world; each render root forms a world of its own, holding its render alone. A render is
 * what one deploy applies, and the other roots are alternatives (three overlays of one app, a chart
 * and a kustomization of the same services) or other applications: judging them together, or
 * together with unrelated loose manifests that land in the same namespace, gives verdicts about a
 * cluster nobody deploys. Findings of a render are mapped back to the files the user edits and name
 * the overlay or chart. A loose file may still be applied next to a render (a Service over a
 * render's pods): its finding is reported only when it also holds beside every render, so no
 * verdict of a loose file depends on leaving a render out. The CLI and the editor ask the same
 * questions (`check`, `findingsOn`); the editor hands its index's workspace over as the loose world.
 * Over 400 lines: the worlds, the loose files' check against them and the indexes both share (where
 * pods and policies are elsewhere, the texts findings are placed on) change together.
 */
import { wholeWorkspacePass } from '../net/policy/model';
import { formatSize, parseManifest, SIZE_SETTING, type ManifestFile } from '../parse/manifest';
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
  /**
   * The render beside the loose files: only used to confirm loose files' findings. Built when first
   * asked (a repository whose loose files have no finding never builds it), from the loose files'
   * and the render's parses (their documents are shared, not parsed again).
   */
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
  /**
   * What the analysis could not read of the render and no source line shows (over the size limit,
   * past the documents read): findings on the root's kustomization or `Chart.yaml`, before settings.
   */
  readonly notices: readonly Finding[];
}

export const RENDER_SUFFIX = '#rendered';

/** Ids of the findings a root that was not rendered gets (on its kustomization or `Chart.yaml`). */
export const RENDER_PROBLEM_IDS = ['render-failed', 'render-tool-missing', 'helm-dependencies-missing', 'render-too-large'] as const;
export type RenderProblemId = (typeof RENDER_PROBLEM_IDS)[number];

/** The finding a root gets for why its renderer gave no render (`RenderResult.reason` of src/render). */
export function renderProblemRule(reason: 'missing-tool' | 'failed' | 'not-rendered' | 'too-large'): RenderProblemId {
  return reason === 'missing-tool' ? 'render-tool-missing' : reason === 'not-rendered' ? 'helm-dependencies-missing'
    : reason === 'too-large' ? 'render-too-large' : 'render-failed';
}

/**
 * Whether a render failed only for want of a network: kustomize could not fetch a remote resource
 * (`https://…` or a git URL in `resources:`). Where the overlay is applied, with a network, it may
 * well render, so that is no error of the repository.
 */
export function failedOffline(message: string): boolean {
  return /(?:https?:\/\/|git fetch|git clone)/.test(message)
    && /no such host|Could not resolve host|network is unreachable|i\/o timeout|TLS handshake timeout|connection refused/.test(message);
}

/**
 * Whether a chart refused its own default values on purpose: its `fail` or `required` (Helm's
 * "execution error at (file:line:col)"), or its values schema asking for a value `values.yaml` leaves
 * unset (`missing property`, `got null`). Who installs it gives those values; that is no error of the
 * repository. A default that breaks the schema, or a template that fails otherwise, stays one.
 */
export function needsValues(message: string): boolean {
  if (/Error: execution error at \(/.test(message)) return true;
  if (!/values don't meet the specifications of the schema/.test(message)) return false;
  const items = message.match(/^\s*- at .*$/gm) ?? [];
  return items.length > 0 && items.every(l => /missing propert|got null,/.test(l));
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
  /** Roots that could not be rendered: one finding on the root's file, with its text. */
  private readonly problems = new Map<string, { finding: Finding; text: string }>();
  private readonly problemRoots = new Map<string, RenderRoot>();
  /** The worlds' `withLoose` workspaces built so far (kept in step with the loose files). */
  private readonly besideLoose = new Map<RenderWorld, Workspace>();
  /** Parses of the renders' source files (bases shared by many overlays are parsed once), by path. */
  private readonly sourceParses = new Map<string, { text: string; manifest: ManifestFile }>();
  /** Bumped by every change of the renders (and of what was not rendered) or the settings. */
  private version = 0;
  /** The loose workspace's generation the `withLoose` workspaces follow (they are moved lazily). */
  private looseGeneration: number;
  private elsewhere: { version: number; looseGeneration: number; index: ElsewhereIndex } | undefined;
  /** What the loose files put in other namespaces than `default` (all renders' hooks read), per generation. */
  private looseProfile: { generation: number; key: string } | undefined;
  /** Each render's findings on its sources, by file, while the renders and what the loose files put elsewhere stay. */
  private readonly renderFindings = new WeakMap<RenderWorld, { key: string; byFile: Map<string, Finding[]> }>();

  /**
   * `fileName` turns a normalised source path into the name the caller uses (a URI in the editor);
   * `labelPath` names a root's folder in labels and messages (workspace-relative in the editor).
   * `loose`: a workspace of the loose files its owner keeps (the editor's index, which leaves out the
   * files a root owns); the project follows its changes (`Workspace.changesSince`) when next asked.
   */
  constructor(
    private settings: AnalysisSettings = DEFAULT_SETTINGS,
    private readonly fileName: (path: string) => string = p => p,
    private readonly labelPath: (path: string) => string = fileName,
    loose?: Workspace,
  ) {
    this.loose = loose ?? new Workspace(settings);
    this.looseGeneration = this.loose.generation;
  }

  get renders(): readonly RenderWorld[] {
    return [...this.worlds.values()];
  }

  world(rootFile: string): RenderWorld | undefined {
    return this.worlds.get(rootFile);
  }

  /** `previous`: a parse of the same text to take over (the first scan's, from a worker thread). */
  setLoose(file: string, text: string, previous?: ManifestFile): void {
    this.loose.set(file, text, previous ? { previous } : {});
  }

  deleteLoose(file: string): void {
    this.loose.delete(file);
  }

  get looseFiles(): string[] {
    return this.loose.fileNames;
  }

  /**
   * Moves the renders beside the loose files to the loose files' current parses: each file changed
   * since they were last moved is set once with the loose workspace's parse (taken over, not parsed
   * again). Unknown changes (the loose settings changed) drop them; they are built again when asked.
   */
  private syncLoose(): void {
    const generation = this.loose.generation;
    if (generation === this.looseGeneration) return;
    const changes = this.loose.changesSince(this.looseGeneration);
    this.looseGeneration = generation;
    if (!changes) {
      this.besideLoose.clear();
      return;
    }
    if (!this.besideLoose.size) return;
    const files = new Set(changes.map(c => c.file));
    for (const ws of this.besideLoose.values()) {
      for (const file of files) {
        const parsed = this.loose.get(file)?.manifest;
        if (parsed) ws.set(file, parsed.text, { previous: parsed });
        else ws.delete(file);
      }
    }
  }

  /**
   * Records that `root` was not rendered (tool missing, render failed, dependencies absent): one
   * finding on its kustomization or `Chart.yaml`; its files stay out of the analysis.
   */
  setRenderProblem(
    root: RenderRoot, rule: RenderProblemId, message: string, rootText: string,
    { ignoredInput, valuesFiles }: { readonly ignoredInput?: string; readonly valuesFiles?: readonly string[] } = {},
  ): void {
    this.dropWorld(root.file);
    const file = this.fileName(root.file);
    const end = rootText.indexOf('\n');
    const span = { start: 0, end: end < 0 ? rootText.length : end };
    const offline = rule === 'render-failed' && failedOffline(message);
    const values = rule === 'render-failed' && root.tool === 'helm' && needsValues(message);
    const ignored = rule === 'render-failed' && ignoredInput;
    // Kustomize's default load restrictor (LoadRestrictionsRootOnly) refuses a file outside the
    // kustomization's folder; `kustomize build --load-restrictor LoadRestrictionsNone` reads it, as
    // nginx's Makefile renders its config/crd overlays. Which one the repository uses, it does not say.
    const outside = rule === 'render-failed' && root.tool === 'kustomize' ? /security; file '([^']+)' is not in or below '/.exec(message)?.[1] : undefined;
    const severity = offline || values || ignored || outside ? 'warning' : rule === 'render-failed' ? 'error'
      : rule === 'helm-dependencies-missing' || rule === 'render-too-large' ? 'warning' : 'info';
    const kind = root.tool === 'helm' ? 'chart' : 'overlay';
    const said = offline ? `a remote resource could not be fetched (no network here), so the ${kind} is not analysed; it may render where it is applied. ${message}`
      : outside ? `${this.labelPath(normalize(outside))} is outside the overlay's folder, which Kustomize's default load restrictor refuses (\`kubectl kustomize\`, \`kubectl apply -k\`); it renders with \`--load-restrictor LoadRestrictionsNone\` (analyse it so with --kustomize-cmd, setting kubeNetlens.kustomizeCommand), so the overlay is not analysed. ${message}`
      : ignored ? `${this.labelPath(normalize(ignored))} is missing and the repository ignores it (.gitignore): it is made where the overlay is applied (a credentials file, a local config), so the overlay is not analysed. ${message}`
      : values && valuesFiles?.length ? `the chart asks for values that neither its values.yaml nor the values files given (${valuesFiles.map(f => this.labelPath(normalize(f))).join(", ")}) set, so it is not analysed; add the values it is installed with (--helm-values, setting kubeNetlens.helmValues). ${message}`
      : values ? `the chart asks for values its values.yaml does not set, so it is not analysed; render it with the values it is installed with (--helm-values, setting kubeNetlens.helmValues). ${message}`
        : message;
    this.problems.set(root.file, { finding: { rule, severity, file, span, message: said, fixes: [], related: [] }, text: rootText });
    this.problemRoots.set(root.file, root);
    this.version++;
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
    // The new world takes the old one's place (the order of renders is kept).
    const old = this.worlds.get(root.file);
    if (old) this.besideLoose.delete(old);
    const workspace = new Workspace(this.settings);
    // A namespace this render adds pods to without creating it (kubeflow's components put a proxy in
    // istio-system) also holds what other renders or loose files put there: this render alone does
    // not know its pods. Other renders may be alternatives (overlays of one app): then it abstains.
    // `default` is where every root that names no namespace lands (kubectl's context, Helm's release
    // default): sharing it says nothing about being parts of one platform, so it is left out.
    workspace.podsElsewhere = ns => ns !== 'default' && !workspace.namespaces.get(ns)?.objects.length
      && this.elsewhereIndex().podsIn.get(ns)?.some(ws => ws !== workspace) === true;
    // Policies add up: another render's policy in a namespace (kubeflow's allow-same-namespace, from
    // the namespace's own kustomization) may allow what this render's deny. A policy of the same name
    // is another version of one this render holds (an alternative overlay), not an addition.
    workspace.policiesElsewhere = ns => {
      if (ns === 'default') return false;
      const others = this.elsewhereIndex().policiesIn.get(ns);
      if (!others) return false;
      const mine = new Set(workspace.policiesIn(ns).map(p => p.object.name));
      return others.some(o => o.workspace !== workspace && o.names.some(n => !mine.has(n)));
    };
    const file = `${this.fileName(root.file)}${RENDER_SUFFIX}`;
    // The size limit is for files people write: a render is made of its sources (kustomize re-quotes
    // kube-prometheus's 1 MB of dashboards into 5.7 MB), each of which may be that large.
    const placement = { ...(output.namespace ? { defaultNamespace: output.namespace } : {}), sources: output.sources.size };
    const entry = workspace.set(file, output.text, placement);
    const load = (path: string): ManifestFile | undefined => {
      const p = normalize(path);
      const text = output.sources.get(p);
      if (text === undefined) return undefined;
      // A base several overlays render is parsed once: a parse is a function of the name and text.
      const had = this.sourceParses.get(p);
      if (had?.text === text) return had.manifest;
      const manifest = parseManifest(this.fileName(p), text, { maxFileSize: Number.MAX_SAFE_INTEGER });
      this.sourceParses.set(p, { text, manifest });
      return manifest;
    };
    const map = root.tool === 'helm'
      ? helmMap({ rendered: entry.manifest, chartDir: root.dir, chartName: root.chartName ?? '', read: p => output.sources.get(normalize(p)), fileName: this.fileName })
      : kustomizeMap({
        rendered: entry.manifest, originBase: output.originBase ?? root.dir, load, patchFiles: root.patches ?? [],
        kustomizations: root.members.filter(m => (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(basename(m))),
      });
    const sources = new Map([...output.sources].map(([p, t]) => [this.fileName(p), t]));
    const project = this;
    const label = rootLabel(root, this.labelPath);
    const notices = renderNotices(entry.manifest, map, this.fileName(root.file), output.sources.get(normalize(root.file)) ?? '', label, {
      limit: this.settings.maxFileSize, sources: output.sources.size,
    });
    const world: RenderWorld = {
      root, file, workspace, map, label, sources, notices,
      ...(output.values ? { values: output.values.map(v => this.labelPath(normalize(v))) } : {}),
      get withLoose(): Workspace {
        return project.besideLooseOf(world, placement);
      },
    };
    this.worlds.set(root.file, world);
    this.version++;
    return world;
  }

  /** The render of `world` beside the loose files, built on first use from the parses already made. */
  private besideLooseOf(world: RenderWorld, placement: { defaultNamespace?: string }): Workspace {
    this.syncLoose();
    let ws = this.besideLoose.get(world);
    if (ws) return ws;
    ws = new Workspace(this.settings);
    for (const f of this.loose.fileNames) {
      const parsed = this.loose.get(f)!.manifest;
      ws.set(f, parsed.text, { previous: parsed });
    }
    const rendered = world.workspace.get(world.file)!.manifest;
    ws.set(world.file, rendered.text, { ...placement, previous: rendered });
    if (this.worlds.get(world.root.file) === world) this.besideLoose.set(world, ws);
    return ws;
  }

  private dropWorld(rootFile: string): void {
    const w = this.worlds.get(rootFile);
    if (!w) return;
    this.worlds.delete(rootFile);
    this.besideLoose.delete(w);
    this.version++;
  }

  /**
   * Which workspaces (the loose files', each render's) have workloads and policies in each
   * namespace, once per change of the project: the hooks are asked per workload and pair.
   */
  private elsewhereIndex(): ElsewhereIndex {
    const looseGeneration = this.loose.generation;
    if (this.elsewhere?.version === this.version && this.elsewhere.looseGeneration === looseGeneration) return this.elsewhere.index;
    const index: ElsewhereIndex = { podsIn: new Map(), policiesIn: new Map() };
    for (const ws of [this.loose, ...[...this.worlds.values()].map(w => w.workspace)]) {
      for (const ns of ws.namespaces.keys()) {
        if (ns === 'default') continue;
        if (ws.workloadsIn(ns).length) push(index.podsIn, ns, ws);
        const names = ws.policiesIn(ns).map(p => p.object.name);
        if (names.length) push(index.policiesIn, ns, { workspace: ws, names });
      }
    }
    this.elsewhere = { version: this.version, looseGeneration, index };
    return index;
  }

  /**
   * What the renders' hooks (`podsElsewhere`, `policiesElsewhere`) read of the loose files: the
   * namespaces other than `default` they put workloads in, and the names of their policies there.
   * A keystroke that changes none of it leaves every render's findings as they were.
   */
  private looseProfileKey(): string {
    const generation = this.loose.generation;
    if (this.looseProfile?.generation === generation) return this.looseProfile.key;
    const parts: string[] = [];
    for (const ns of this.loose.namespaces.keys()) {
      if (ns === 'default') continue;
      const pods = this.loose.workloadsIn(ns).length > 0;
      const names = this.loose.policiesIn(ns).map(p => p.object.name);
      if (pods || names.length) parts.push(`${ns}\u0001${pods ? 1 : 0}\u0001${names.join('\u0001')}`);
    }
    const key = parts.join('\u0000');
    this.looseProfile = { generation, key };
    return key;
  }

  deleteRender(rootFile: string): void {
    this.dropWorld(rootFile);
    if (this.problems.delete(rootFile)) this.version++;
  }

  updateSettings(settings: AnalysisSettings): void {
    this.settings = settings;
    this.loose.updateSettings(settings);
    for (const w of this.worlds.values()) w.workspace.updateSettings(settings);
    // Built again, with the new settings, when a loose file's finding asks.
    this.besideLoose.clear();
    this.looseGeneration = this.loose.generation;
    this.version++;
  }

  /** Findings of a loose file that also hold beside each render. */
  checkLoose(file: string, rules: RuleSettings = {}): Finding[] {
    this.syncLoose();
    let findings = checkFile(this.loose, file, rules);
    for (const w of this.worlds.values()) {
      if (!findings.length) break;
      const there = new Set(checkFile(w.withLoose, file, rules).map(looseKey));
      findings = findings.filter(f => there.has(looseKey(f)));
    }
    return findings;
  }

  /** Findings of one render, on its source files (what the render's notices say on its root is not repeated). */
  checkRender(world: RenderWorld, rules: RuleSettings = {}): Finding[] {
    return checkFile(world.workspace, world.file, rules)
      .flatMap(f => (f.file === world.file && ON_ROOT.has(f.rule) ? [] : [mapFinding(f, world)]))
      .filter((f): f is Finding => !!f);
  }

  /**
   * A render's findings on its sources, by file: computed once while the renders, the settings and
   * what the loose files put in other namespaces (`looseProfileKey`) stay, so a keystroke in a loose
   * file judges no render again unless it moves pods or policies into or out of a namespace.
   */
  private renderFindingsByFile(world: RenderWorld, rules: RuleSettings): Map<string, Finding[]> {
    const k = `${this.version}\u0000${JSON.stringify(rules)}\u0000${this.looseProfileKey()}`;
    const had = this.renderFindings.get(world);
    if (had?.key === k) return had.byFile;
    const byFile = new Map<string, Finding[]>();
    // Every object of the render is checked: as in `check`, a pass over its whole workspace.
    wholeWorkspacePass(world.workspace);
    for (const f of this.checkRender(world, rules)) push(byFile, f.file, f);
    for (const f of noticesWith(world, rules)) push(byFile, f.file, f);
    this.renderFindings.set(world, { key: k, byFile });
    return byFile;
  }

  /**
   * Every finding on one file, as `check` reports it there: a loose file's that hold beside each
   * render, the problem of a root that was not rendered, what the renders put on a source (once
   * each). The editor asks this per open document.
   */
  findingsOn(file: string, rules: RuleSettings = {}): Finding[] {
    const out = this.loose.has(file) ? [...this.checkLoose(file, rules)] : [];
    for (const { finding } of this.problems.values()) if (finding.file === file && rules[finding.rule] !== 'off') out.push(finding);
    const seen = new Set<string>();
    for (const w of this.worlds.values()) {
      for (const f of this.renderFindingsByFile(w, rules).get(file) ?? []) {
        const k = key(f);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(f);
      }
    }
    return out.sort((a, b) => a.span.start - b.span.start || a.rule.localeCompare(b.rule));
  }

  /** Every finding, by source file: loose files, then what renders put on their sources. */
  check(rules: RuleSettings = {}): Map<string, Finding[]> {
    // Every loose file and every render is checked: pairs of namespaces are asked of the whole policy model.
    wholeWorkspacePass(this.loose);
    for (const w of this.worlds.values()) wholeWorkspacePass(w.workspace);
    const files = new Set(this.loose.fileNames);
    for (const { finding } of this.problems.values()) files.add(finding.file);
    for (const w of this.worlds.values()) for (const file of this.renderFindingsByFile(w, rules).keys()) files.add(file);
    const out = new Map<string, Finding[]>();
    for (const file of files) {
      const found = this.findingsOn(file, rules);
      if (found.length) out.set(file, found);
    }
    return out;
  }

  /** Line indexes of the files findings are reported on (loose files and render sources). */
  get lineSource(): { get(file: string): { manifest: { lines: LineIndex } } | undefined } {
    const { lines } = this.sourceIndex();
    return {
      get: file => {
        const loose = this.loose.get(file);
        if (loose) return loose;
        let at = lines.get(file);
        if (!at) {
          const text = this.sourceText(file);
          if (text === undefined) return undefined;
          lines.set(file, (at = new LineIndex(text)));
        }
        return { manifest: { lines: at } };
      },
    };
  }

  /** Source texts known to a render, for placing mapped findings (lines and columns). */
  sourceText(file: string): string | undefined {
    return this.loose.get(file)?.manifest.text ?? this.sourceIndex().texts.get(file);
  }

  /**
   * Every text findings may be placed on besides the loose files' own (asked first), once per change
   * of the renders (asked per finding and hover): a root's that was not rendered; else the first
   * render's that read it.
   */
  private sourceIndex(): { texts: Map<string, string>; lines: Map<string, LineIndex> } {
    if (this.sources?.version === this.version) return this.sources;
    const texts = new Map<string, string>();
    const add = (file: string, text: string) => {
      if (!texts.has(file)) texts.set(file, text);
    };
    for (const p of this.problems.values()) add(p.finding.file, p.text);
    for (const w of this.worlds.values()) {
      for (const [f, t] of w.sources) add(f, t);
      for (const o of w.map.objects) add(o.file, o.text);
    }
    this.sources = { version: this.version, texts, lines: new Map() };
    return this.sources;
  }

  private sources: { version: number; texts: Map<string, string>; lines: Map<string, LineIndex> } | undefined;
}

interface ElsewhereIndex {
  /** Workspaces with workloads in a namespace (`default` left out). */
  readonly podsIn: Map<string, Workspace[]>;
  /** Workspaces with NetworkPolicies in a namespace, and their names (`default` left out). */
  readonly policiesIn: Map<string, Array<{ workspace: Workspace; names: string[] }>>;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Problems of a render's parse said on its root file only (they are about the render as a whole). */
const ON_ROOT = new Set(['file-too-large', 'too-many-documents', 'not-text']);

/** A world's notices with the rule settings applied (`off` drops one, a severity replaces its own). */
export function noticesWith(world: RenderWorld, rules: RuleSettings = {}): Finding[] {
  return world.notices.flatMap(f => {
    const s = rules[f.rule];
    return s === 'off' ? [] : [s && s !== 'default' ? { ...f, severity: s } : f];
  });
}

/**
 * The problems of a render's parse that no source line shows, as findings on its root file: the
 * render over the size limit (nothing of it analysed), past the documents read, or a problem whose
 * place the map cannot find in a source. Reported once, on the first line of the root's file.
 */
function renderNotices(
  rendered: ManifestFile, map: RenderMap, rootFile: string, rootText: string, label: string, size: { limit: number; sources: number },
): Finding[] {
  const end = rootText.indexOf('\n');
  const span = { start: 0, end: end < 0 ? rootText.length : end };
  const out: Finding[] = [];
  for (const p of rendered.problems) {
    const notice = (rule: string, severity: Finding['severity'], message: string) =>
      out.push({ rule, severity, file: rootFile, span, fixes: [], related: [], message });
    if (p.code === 'file-too-large') {
      const scale = Math.max(1, size.sources);
      const each = scale > 1 ? `, ${formatSize(size.limit)} for each of the ${scale} files it is made from` : '';
      notice('render-too-large', 'warning',
        `The render of ${label} is ${formatSize(rendered.text.length)}, over the size limit of ${formatSize(size.limit * scale)}${each} (${SIZE_SETTING}): nothing it renders is analysed.`);
    } else if (p.code === 'too-many-documents') {
      notice(p.code, p.severity, `The render of ${label} holds too many YAML documents: ${p.message.replace('of the file', 'of the render')}`);
    } else if (p.code === 'not-text' || !map.toSource(p.span)) {
      // Not placed on a source line: said on the root, or it would not be said at all.
      notice(p.code, p.severity, `The render of ${label}: ${p.message}`);
    }
  }
  return out;
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
