import * as vscode from 'vscode';
import { selectedWorkloads } from '../../core/graph/selection';
import { workloadId } from '../../core/net/policy/peers';
import type { DiagramIndex } from './panel';

/** "3 workloads selected · show in diagram" above every NetworkPolicy and Service. */
export class SelectionCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly index: DiagramIndex) {}

  /** Tells VS Code the lenses are stale (the index changed). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = document.uri.toString();
    const ws = this.index.workspace;
    const lenses: vscode.CodeLens[] = [];
    for (const o of ws.get(file)?.manifest.objects ?? []) {
      const selected = selectedWorkloads(ws, o);
      if (!selected) continue;
      const n = selected.length;
      const what = o.kind === 'Service' ? 'Service selects' : 'policy selects';
      const position = document.positionAt(o.span.start);
      lenses.push(new vscode.CodeLens(new vscode.Range(position, position), {
        title: `${what} ${n} workload${n === 1 ? '' : 's'} · show in diagram`,
        tooltip: selected.map(workloadId).join('\n') || 'no workload in the workspace matches its selector',
        command: 'kubeNetlens.showInDiagram',
        arguments: [{ uri: file, offset: o.span.start }],
      }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
