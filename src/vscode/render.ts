/**
 * Kustomize overlays and Helm charts in the editor: finds the render roots among the workspace's
 * files, keeps the files they own out of the loose index, renders each root with the user's own
 * tools (src/render: child processes, time limit, cache by input content, one render per root at a
 * time) after the scan and whenever a file of a root is saved — never on a keystroke — and serves
 * the renders' findings and hovers on the source files. The index's workspace is the project's loose
 * world, so a loose file's findings are judged beside each render exactly as `kube-netlens check`
 * judges them. Rendering runs binaries, so it happens only in a trusted workspace.
 */
import * as vscode from 'vscode';
import type { DefinitionResult } from '../core/definition';
import { renderedDefinition } from '../core/render/definition';
import { renderedHover } from '../core/render/hover';
import { RenderedProject, renderProblemRule, type RenderWorld } from '../core/render/project';
import { basename } from '../core/render/paths';
import { KUSTOMIZATION_FILE_NAMES } from '../core/render/kustomization';
import { findRoots, type RenderRoot } from '../core/render/roots';
import type { Finding } from '../core/rules/rule';
import type { RuleSettings } from '../core/rules/run';
import type { LineIndex, Span } from '../core/span';
import { fsReader, Renderer } from '../render/renderer';
import { fileId } from './convert';
import { timed } from './hostTiming';
import type { ExtensionSettings } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';

const ROOT_FILES = new Set<string>([...KUSTOMIZATION_FILE_NAMES, 'Chart.yaml', 'requirements.yaml']);

/** A hover from a render, for a source file. */
export interface RenderedHover {
  readonly markdown: string;
  readonly span: Span;
}

export class RenderController implements vscode.Disposable {
  private project: RenderedProject;
  private readonly renderer: Renderer;
  private roots: readonly RenderRoot[] = [];
  /** Roots by the core ids of the files they own. */
  private ownerOf = new Map<string, RenderRoot[]>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when renders (or the set of roots) changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private refreshing: Promise<void> | undefined;
  private again = false;
  private restrictedNoticeShown = false;

  constructor(private readonly index: WorkspaceIndex, private settings: ExtensionSettings, private readonly log: vscode.LogOutputChannel) {
    this.renderer = new Renderer(settings.renderSettings);
    this.project = this.newProject();
    this.disposables.push(
      index.onDidChange(timed('render.onIndexChange', change => {
        // Files created, deleted or changed on disk can change the roots; typing (a dirty editor) never renders.
        const dirty = new Set(vscode.workspace.textDocuments.filter(d => d.isDirty).map(d => fileId(d.uri)));
        if (!index.isScanning && change.files.some(f => !dirty.has(f) && (this.ownerOf.has(f) || ROOT_FILES.has(basename(vscode.Uri.parse(f).path))))) void this.refresh();
      })),
      vscode.workspace.onDidSaveTextDocument(d => {
        const id = fileId(d.uri);
        if (this.ownerOf.has(id) || ROOT_FILES.has(basename(d.uri.path))) void this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
    );
  }

  private newProject(): RenderedProject {
    // Labels (`overlay deploy/overlays/dev` in messages and the diagram) are workspace-relative. The
    // loose files are the index's (it leaves out what a root owns).
    return new RenderedProject(this.settings.analysis, p => vscode.Uri.file(p).toString(), p => vscode.workspace.asRelativePath(p, false), this.index.workspace);
  }

  updateSettings(settings: ExtensionSettings): void {
    this.settings = settings;
    this.renderer.updateSettings(settings.renderSettings);
    this.project = this.newProject();
    void this.refresh();
  }

  /** Whether a render root owns the file (its findings and hovers come from renders). */
  owns(id: string): boolean {
    return this.ownerOf.has(id);
  }

  /** The roots found (absolute paths). */
  get renderRoots(): readonly RenderRoot[] {
    return this.roots;
  }

  get renders(): readonly RenderWorld[] {
    return this.project.renders;
  }

  /** Renders started (child processes run, not served from the cache): the tests and the bench read it. */
  get rendersStarted(): number {
    return this.renderer.renders;
  }

  /**
   * Whether roots found are still being rendered for the first time: until they are, a loose file's
   * finding may not hold beside them (pods an overlay adds), so only its file problems are certain.
   */
  get rendering(): boolean {
    return this.refreshing !== undefined && this.roots.some(r => !this.project.world(r.file) && !this.project.problemOf(r.file));
  }

  /** Resolves when the renders in progress (and any asked for meanwhile) are done. */
  get settled(): Promise<void> {
    return this.refreshing ?? Promise.resolve();
  }

  /** Finds the roots again and renders them (cached renders cost a hash of their inputs). */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        try {
          await this.refreshOnce();
        } catch (e) {
          this.log.error(`rendering failed: ${(e as Error).stack ?? e}`);
        }
      } while (this.again);
    })().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const paths = this.index.diskFiles.map(id => vscode.Uri.parse(id)).filter(u => u.scheme === 'file').map(u => u.fsPath);
    const found = this.settings.render ? findRoots(paths, fsReader) : { roots: [], owned: new Set<string>() };
    this.roots = found.roots;
    this.log.info(`render roots: ${found.roots.map(r => `${r.tool} ${r.dir}`).join(', ') || 'none'} (${found.owned.size} files owned)`);
    const ownerOf = new Map<string, RenderRoot[]>();
    for (const root of found.roots) {
      for (const m of [...root.members, root.file]) {
        const id = vscode.Uri.file(m).toString();
        ownerOf.set(id, [...(ownerOf.get(id) ?? []), root]);
      }
    }
    for (const o of found.owned) if (!ownerOf.has(vscode.Uri.file(o).toString())) ownerOf.set(vscode.Uri.file(o).toString(), []);
    this.ownerOf = ownerOf;
    await this.index.setExcluded(new Set(ownerOf.keys()));
    const live = new Set(found.roots.map(r => r.file));
    for (const w of this.project.renders) if (!live.has(w.root.file)) this.project.deleteRender(w.root.file);
    if (!found.roots.length) {
      this.emitter.fire();
      return;
    }
    if (!vscode.workspace.isTrusted) {
      for (const root of found.roots) {
        this.project.setRenderProblem(root, 'render-tool-missing',
          `Not rendered in Restricted Mode (rendering runs ${root.tool === 'helm' ? 'helm' : 'kubectl/kustomize'}): trust the workspace to analyse ${basename(root.dir)}.`,
          fsReader.read(root.file) ?? '');
      }
      if (!this.restrictedNoticeShown) {
        this.restrictedNoticeShown = true;
        void vscode.window.showInformationMessage('Kube NetLens: Kustomize overlays and Helm charts are rendered only in a trusted workspace.');
      }
      this.emitter.fire();
      return;
    }
    for (const root of found.roots) {
      const result = await this.renderer.render(root);
      if (result.ok) {
        if (!result.cached || !this.project.world(root.file)) {
          this.project.setRender(root, result.output);
          this.log.info(`rendered ${root.dir} (${root.tool}) in ${result.ms} ms`);
        }
      } else {
        const rule = renderProblemRule(result.reason);
        this.project.setRenderProblem(root, rule, result.message, fsReader.read(root.file) ?? '', result);
        this.log.warn(result.message);
      }
    }
    this.emitter.fire();
  }

  /**
   * The findings on a file, as `kube-netlens check` reports them (`RenderedProject.findingsOn`): a
   * loose file's that hold beside each render, what the renders put on a source. Each render's
   * findings are computed once while the renders and what the loose files put in its namespaces stay.
   */
  findingsFor(id: string, rules: RuleSettings): Finding[] {
    try {
      return this.project.findingsOn(id, rules);
    } catch (e) {
      this.log.error(`findings for ${id}: ${(e as Error).stack ?? e}`);
      return [];
    }
  }

  /** The line index of the text a render read for a source file. */
  linesOf(id: string): LineIndex | undefined {
    return this.project.lineSource.get(id)?.manifest.lines;
  }

  /** Whether the render still matches the document (an unsaved edit moves offsets until the next save). */
  matches(document: vscode.TextDocument): boolean {
    const text = this.project.sourceText(fileId(document.uri));
    return text === undefined || text === document.getText();
  }

  /** Hovers of the rendered objects behind an offset of a source file, one per render that shows it. */
  hover(id: string, offset: number): RenderedHover | undefined {
    try {
      return this.hoverOf(id, offset);
    } catch (e) {
      this.log.error(`hover from the renders for ${id}: ${(e as Error).stack ?? e}`);
      return undefined;
    }
  }

  private hoverOf(id: string, offset: number): RenderedHover | undefined {
    const worlds = (this.ownerOf.get(id) ?? []).flatMap(root => this.project.world(root.file) ?? []);
    const lines = this.project.lineSource;
    return renderedHover(worlds, id, offset, file => lines.get(file)?.manifest.lines);
  }

  /** Go to Definition from a base: what each render that shows the place defines it as, in its sources. */
  definition(id: string, offset: number): DefinitionResult | undefined {
    try {
      const worlds = (this.ownerOf.get(id) ?? []).flatMap(root => this.project.world(root.file) ?? []);
      return renderedDefinition(worlds, id, offset);
    } catch (e) {
      this.log.error(`definition from the renders for ${id}: ${(e as Error).stack ?? e}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
