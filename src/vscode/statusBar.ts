/**
 * "NetLens: 42 objects · 3 problems" on manifests; a click opens the diagram. On a base, patch,
 * template or kustomization a render owns, the same, counting the renders' objects and the findings
 * the renders put on the file.
 */
import * as vscode from 'vscode';
import { fileId } from './convert';
import { timed } from './hostTiming';
import type { DiagnosticsController } from './diagnostics';
import type { RenderController } from './render';
import { isManifestDocument, type WorkspaceIndex } from './workspaceIndex';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kubeNetlens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly index: WorkspaceIndex, private readonly diagnostics: DiagnosticsController, private readonly render?: RenderController) {
    this.item.name = 'Kube NetLens';
    this.item.command = 'kubeNetlens.openDiagram';
    this.disposables = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(timed('statusBar.update', () => this.update())),
      index.onDidChange(timed('statusBar.update', () => this.update())),
      diagnostics.onDidUpdate(timed('statusBar.update', () => this.update())),
      ...(render ? [render.onDidChange(timed('statusBar.update', () => this.update()))] : []),
    ];
    this.update();
  }

  /** What the item shows now (undefined: hidden); the tests read it. */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  private shown = false;

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const id = document && isManifestDocument(document) ? fileId(document.uri) : undefined;
    const entry = id !== undefined ? this.index.workspace.get(id) : undefined;
    const rendered = id !== undefined && !entry && !!this.render?.owns(id);
    // While the scan runs the counts are partial (and findings wait for it): the scan's own progress
    // item says "indexing manifests" meanwhile.
    if (!document || this.index.isScanning || (!rendered && (!entry || entry.manifest.objects.length === 0))) {
      this.shown = false;
      this.item.hide();
      return;
    }
    const renders = this.render?.renders ?? [];
    const renderedObjects = renders.reduce((n, r) => n + r.workspace.objects.length, 0);
    const objects = this.index.workspace.objects.length + renderedObjects;
    const problems = this.diagnostics.findingsFor(document.uri).length;
    this.item.text = `$(type-hierarchy) NetLens: ${plural(objects, 'object')} · ${plural(problems, 'problem')}`;
    const from = renders.length ? ` (${renderedObjects} of them in the ${plural(renders.length, 'render')} of its Kustomize overlays and Helm charts)` : '';
    this.item.tooltip = `${plural(objects, 'Kubernetes object')} in the workspace${from}, ${plural(problems, 'problem')} in this file${rendered ? ' (from its renders)' : ''}. Click to open the network diagram.`;
    this.shown = true;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
