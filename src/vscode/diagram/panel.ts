import * as vscode from 'vscode';
import { buildGraph, explainEdge, filterGraph, graphSteps, warmGraphUpdate, type GraphStep } from '../../core/graph/build';
import type { GraphOptions, NetworkGraph } from '../../core/graph/model';
import { nodeIdOfObject, objectAt } from '../../core/graph/selection';
import { mergeRenderedGraphs, renderedNodeAt } from '../../core/render/graph';
import type { RenderWorld } from '../../core/render/project';
import type { Workspace } from '../../core/workspace';
import { diffGraph, isSmall, snapshot, textShifts, type Snapshot } from '../../shared/delta';
import type { HostMessage, PageMessage } from '../../shared/protocol';
import { buildInfo } from '../../core/graph/incremental';
import { timed } from '../hostTiming';
import { diagramHtml, localResourceRoots } from './html';

/** What the diagram needs from the extension's workspace index. */
export interface DiagramIndex {
  readonly workspace: Workspace;
  readonly onDidChange: vscode.Event<unknown>;
  /** Whether the index is still reading the workspace's files. */
  readonly isScanning?: boolean;
}

/** Kustomize overlays and Helm charts, drawn beside the loose files (src/vscode/render.ts). */
export interface DiagramRenders {
  readonly renders: readonly RenderWorld[];
  readonly onDidChange: vscode.Event<void>;
  /** Whether a render reads the file (a base, patch or template the page may reveal). */
  owns(file: string): boolean;
}

/** The node of the object at `offset` of `file`: a loose manifest's, or the one a render makes of a base or template. */
export function nodeIdAt(index: DiagramIndex, renders: DiagramRenders | undefined, file: string, offset: number): string | undefined {
  const ws = index.workspace;
  const o = objectAt(ws, file, offset);
  if (o) return nodeIdOfObject(ws, o);
  return renders?.owns(file) ? renderedNodeAt(renders.renders, file, offset) : undefined;
}

/** Workspace changes are batched: the graph is re-sent at most this often (ms). */
const THROTTLE_MS = 300;
/** While the first graph is computed in steps, the host runs them for about this long before it yields (ms). */
const SLICE_MS = 30;

/**
 * The one diagram panel. The page keeps zoom, pan, selection and options in its own state
 * (`retainContextWhenHidden` is off); the host rebuilds the graph on every index change.
 */
export class DiagramPanel {
  static readonly viewType = 'kubeNetlens.diagram';
  private static current: DiagramPanel | undefined;
  /** Applied to every graph sent: the changes mode (see src/vscode/changes.ts), or undefined. */
  private static overlay: ((g: NetworkGraph) => NetworkGraph) | undefined;
  /** The last complete graph sent to the page (read by the integration tests; not the first steps of a stream). */
  static lastGraph: NetworkGraph | undefined;
  /** The explanation the panel last answered an `explain` request with. */
  static lastExplanation: { readonly edgeId: string; readonly lines: readonly string[] } | undefined;

  /** Turns the changes mode on (with the function that marks a graph) or off, and redraws. */
  static setOverlay(overlay: ((g: NetworkGraph) => NetworkGraph) | undefined): void {
    DiagramPanel.overlay = overlay;
    const current = DiagramPanel.current;
    if (current?.ready) current.sendGraph();
  }

  private readonly disposables: vscode.Disposable[] = [];
  private options: GraphOptions = {};
  private ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pendingSelect: string | undefined;
  private lastSelect: string | undefined;
  /** What the page holds (under `sentOptions`), for incremental updates; reset when the page reloads. */
  private sent: Snapshot | undefined;
  private sentOptions = '';
  /** The workspace generation of what the page holds (the text shifts of the edits since go with the next delta). */
  private sentGeneration = -1;
  /** The graph being sent in steps (see streamGraph); another send replaces it. */
  private stream: object | undefined;

  static createOrShow(extensionUri: vscode.Uri, index: DiagramIndex, renders?: DiagramRenders): DiagramPanel {
    if (DiagramPanel.current) {
      DiagramPanel.current.panel.reveal(undefined, true);
      return DiagramPanel.current;
    }
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(DiagramPanel.viewType, 'Network Diagram', { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: localResourceRoots(extensionUri),
    });
    DiagramPanel.current = new DiagramPanel(panel, extensionUri, index, renders);
    return DiagramPanel.current;
  }

  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, index: DiagramIndex, renders?: DiagramRenders): void {
    DiagramPanel.current?.dispose();
    DiagramPanel.current = new DiagramPanel(panel, extensionUri, index, renders);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly index: DiagramIndex, private readonly renders?: DiagramRenders) {
    panel.webview.options = { enableScripts: true, localResourceRoots: localResourceRoots(extensionUri) };
    panel.webview.html = diagramHtml(panel.webview, extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'diagram.svg');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: PageMessage) => void this.onMessage(m)),
      index.onDidChange(() => this.scheduleUpdate()),
      ...(renders ? [renders.onDidChange(() => this.scheduleUpdate())] : []),
      panel.onDidChangeViewState(() => { if (!panel.visible) { this.ready = false; this.sent = undefined; } }),
      vscode.window.onDidChangeTextEditorSelection(e => this.followEditor(e.textEditor)),
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme' })),
    );
  }

  /** Selects a node in the page (now, or once the page is ready) and brings the panel forward. */
  select(nodeId: string): void {
    this.panel.reveal(undefined, true);
    this.lastSelect = nodeId;
    if (this.ready) this.post({ type: 'select', nodeId });
    else this.pendingSelect = nodeId;
  }

  /** Handles a message as if the open page had posted it (the integration tests' click); resolves when done. */
  static async receive(m: PageMessage): Promise<void> {
    await DiagramPanel.current?.onMessage(m);
  }

  /** Posts to the page; resolves when the page got it (or at once when the page is not listening). */
  private post(m: HostMessage): Promise<unknown> {
    return this.ready ? Promise.resolve(this.panel.webview.postMessage(m)).catch(() => false) : Promise.resolve(false);
  }

  /** The graph as the page gets it: filtered by the options, with the renders and the changes overlay. */
  private present(whole: NetworkGraph | undefined): NetworkGraph {
    let graph = whole ? filterGraph(whole, this.options) : buildGraph(this.index.workspace, this.options);
    if (this.renders) graph = mergeRenderedGraphs(graph, this.renders.renders, this.options);
    if (DiagramPanel.overlay) graph = DiagramPanel.overlay(graph);
    return graph;
  }

  private sendGraph(): void {
    this.stream = undefined;
    const ws = this.index.workspace;
    const key = JSON.stringify(this.options);
    if (this.ready && (!this.sent || key !== this.sentOptions)) {
      // The page has no picture (it opened, reloaded, or the options changed): when the graph must
      // be built whole, send its first steps as they come (see streamGraph).
      const steps = graphSteps(ws);
      const first = steps.next();
      if (!first.done) { this.streamGraph(steps, first.value, key); return; }
    }
    const known = buildInfo(ws) !== undefined;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const graph = this.present(undefined);
    DiagramPanel.lastGraph = graph;
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const how = buildInfo(ws);
    const build = known ? 'cached' : how?.incremental ? `incremental ${how.namespaces.join(',')}` : `whole: ${how?.reason ?? '?'}`;
    const timing = () => ({
      graphMs: Math.round(t1 - t0), messageMs: Math.round(performance.now() - t1), sentAt: Date.now(),
      graphCpuMs: Math.round((cpu.user + cpu.system) / 1000), build,
    });
    const partial = this.index.isScanning ?? false;
    if (this.sent && key === this.sentOptions) {
      const { delta, next } = diffGraph(this.sent, graph, textShifts(ws.changesSince(this.sentGeneration) ?? []));
      this.sent = next;
      this.sentGeneration = ws.generation;
      if (isSmall(delta, graph)) this.post({ type: 'delta', delta, options: this.options, partial, timing: timing() });
      else this.post({ type: 'graph', graph, options: this.options, reading: graph.reading, partial, timing: timing() });
    } else {
      this.sent = snapshot(graph);
      this.sentOptions = key;
      this.sentGeneration = ws.generation;
      this.post({ type: 'graph', graph, options: this.options, reading: graph.reading, partial, timing: timing() });
    }
    if (this.pendingSelect) {
      this.post({ type: 'select', nodeId: this.pendingSelect });
      this.pendingSelect = undefined;
    }
  }

  /**
   * The first picture before the flows: the graph's first step (namespaces, workloads, Services,
   * Ingresses) goes to the page at once, marked `pending`; the host then computes the rest in
   * slices of about {@link SLICE_MS} (yielding to other work between them), sends the flows as a
   * delta when they are known, and the DNS edges with the last delta, which leaves the page with
   * the graph a one-shot build gives. A step's message is on its way to the page before the next
   * step starts (the host waits for its delivery: a message posted just before a long synchronous
   * step would otherwise leave only after it). Another sendGraph (an update, new options) ends the stream;
   * so does a change of the workspace, whose update follows.
   */
  private streamGraph(steps: Generator<GraphStep, NetworkGraph, void>, first: GraphStep, key: string): void {
    const ws = this.index.workspace;
    const generation = ws.generation;
    const token = {};
    this.stream = token;
    let pending = first.pending;
    let t0 = performance.now();
    const send = (step: GraphStep): Promise<unknown> => {
      const graph = this.present(step.graph());
      const t1 = performance.now();
      const timing = () => ({ graphMs: Math.round(t1 - t0), messageMs: Math.round(performance.now() - t1), sentAt: Date.now() });
      const partial = this.index.isScanning ?? false;
      let sent: Promise<unknown>;
      if (this.sent && this.sentOptions === key) {
        const { delta, next } = diffGraph(this.sent, graph);
        this.sent = next;
        sent = this.post({ type: 'delta', delta, options: this.options, partial, pending: step.pending, timing: timing() });
      } else {
        this.sent = snapshot(graph);
        this.sentOptions = key;
        this.sentGeneration = generation;
        sent = this.post({ type: 'graph', graph, options: this.options, reading: graph.reading, partial, pending: step.pending, timing: timing() });
      }
      t0 = performance.now();
      return sent;
    };
    const delivered = send(first);
    if (this.pendingSelect) {
      this.post({ type: 'select', nodeId: this.pendingSelect });
      this.pendingSelect = undefined;
    }
    const run = (): void => {
      if (this.stream !== token || !this.ready) return;
      if (ws.generation !== generation) { this.stream = undefined; this.scheduleUpdate(); return; }
      const end = performance.now() + SLICE_MS;
      for (;;) {
        const r = steps.next();
        // The whole graph is known (and cached): the last delta, as for any update; then, once that
        // is on its way, the update path is run once so that the first edit does not pay for its
        // compilation and per-slice caches (see warmGraphUpdate).
        if (r.done) {
          this.sendGraph();
          setTimeout(timed('diagram.warm', () => { if (this.stream === undefined && ws.generation === generation) warmGraphUpdate(ws); }), 0);
          return;
        }
        if (r.value.pending !== pending) { pending = r.value.pending; void send(r.value).then(() => setTimeout(run, 0)); return; }
        if (performance.now() >= end) break;
      }
      setTimeout(run, 0);
    };
    void delivered.then(() => setTimeout(run, 0));
  }

  private scheduleUpdate(): void {
    if (this.timer || !this.ready) return;
    this.timer = setTimeout(timed('diagram.update', () => {
      this.timer = undefined;
      this.sendGraph();
    }), THROTTLE_MS);
  }

  private async onMessage(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.sent = undefined;
        this.options = m.options ?? {};
        this.sendGraph();
        break;
      case 'options':
        this.options = m.options;
        this.sendGraph();
        break;
      case 'reveal':
        await this.reveal(m.file, m.span.start, m.span.end);
        break;
      case 'explain':
        // The page is untrusted: only a string id, answered from the current workspace.
        // A flow of the loose files, else of the first render (overlay, chart) that draws it.
        if (typeof m.edgeId === 'string') {
          const id = m.edgeId;
          const lines = explainEdge(this.index.workspace, id) ?? this.renders?.renders.map(r => explainEdge(r.workspace, id)).find(l => l !== undefined);
          DiagramPanel.lastExplanation = { edgeId: id, lines: lines ?? [] };
          this.post({ type: 'explanation', ...DiagramPanel.lastExplanation });
        }
        break;
      case 'export':
        await this.export(m.format, m.data);
        break;
    }
  }

  private async reveal(file: string, start: number, end: number): Promise<void> {
    // The page is untrusted: it may only point at manifests the index holds.
    // A rendered node reveals its source (a base, patch or template), which a render root owns.
    if (typeof file !== 'string' || !(this.index.workspace.has(file) || this.renders?.owns(file)) || !Number.isInteger(start) || !Number.isInteger(end)) return;
    const uri = vscode.Uri.parse(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
    const visible = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === uri.toString());
    const column = visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, preserveFocus: true, selection: new vscode.Selection(range.start, range.end) });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async export(format: 'png' | 'svg', data: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `network-diagram.${format}`) } : {}),
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      saveLabel: 'Export',
    });
    if (!target) return;
    const bytes = format === 'png'
      ? Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64')
      : Buffer.from(data, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Network diagram saved to ${target.fsPath}`);
  }

  private followEditor(editor: vscode.TextEditor): void {
    if (!this.ready) return;
    const id = nodeIdAt(this.index, this.renders, editor.document.uri.toString(), editor.document.offsetAt(editor.selection.active));
    if (!id || id === this.lastSelect) return;
    this.lastSelect = id;
    this.post({ type: 'select', nodeId: id });
  }

  dispose(): void {
    if (DiagramPanel.current === this) DiagramPanel.current = undefined;
    clearTimeout(this.timer);
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
