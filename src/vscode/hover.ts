/** The hover provider: asks the core what is under the cursor. */
import * as vscode from 'vscode';
import { hoverAt } from '../core/hover/index';
import { fileId, toRange } from './convert';
import type { WorkspaceIndex } from './workspaceIndex';

/** Commands a hover's Markdown may link to (and nothing else). */
export const HOVER_COMMANDS = ['kubeNetlens.reveal', 'kubeNetlens.showInDiagram'];

export class HoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: WorkspaceIndex) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const file = fileId(document.uri);
    // The index follows every edit (parsing a burst of keystrokes once); catch up before reading.
    if (!this.index.current(document)) return undefined;
    const entry = this.index.workspace.get(file);
    if (!entry) return undefined;
    const result = hoverAt(this.index.workspace, file, document.offsetAt(position));
    if (!result) return undefined;
    const note = this.index.isScanning ? '\n\n_Indexing the workspace: objects in files not read yet are missing._' : '';
    const md = new vscode.MarkdownString(result.markdown + note);
    md.isTrusted = { enabledCommands: HOVER_COMMANDS };
    md.supportHtml = false;
    return new vscode.Hover(md, toRange(entry.manifest, result.span));
  }
}
