/** "NetLens: 42 objects · 3 problems" on manifests; a click opens the diagram. */
import * as vscode from 'vscode';
import { fileId } from './convert';
import { timed } from './hostTiming';
import type { DiagnosticsController } from './diagnostics';
import { isManifestDocument, type WorkspaceIndex } from './workspaceIndex';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('kubeNetlens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly index: WorkspaceIndex, private readonly diagnostics: DiagnosticsController) {
    this.item.name = 'Kube NetLens';
    this.item.command = 'kubeNetlens.openDiagram';
    this.disposables = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(timed('statusBar.update', () => this.update())),
      index.onDidChange(timed('statusBar.update', () => this.update())),
      diagnostics.onDidUpdate(timed('statusBar.update', () => this.update())),
    ];
    this.update();
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    const entry = document && isManifestDocument(document) ? this.index.workspace.get(fileId(document.uri)) : undefined;
    if (!document || !entry || entry.manifest.objects.length === 0) {
      this.item.hide();
      return;
    }
    const objects = this.index.workspace.objects.length;
    const problems = this.diagnostics.findingsFor(document.uri).length;
    this.item.text = `$(type-hierarchy) NetLens: ${objects} object${objects === 1 ? '' : 's'} · ${problems} problem${problems === 1 ? '' : 's'}`;
    this.item.tooltip = `${objects} Kubernetes objects in the workspace, ${problems} problems in this file. Click to open the network diagram.`;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
