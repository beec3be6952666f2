/** The hover provider: asks the core what is under the cursor. */
import * as vscode from 'vscode';
import { hoverAt } from '../core/hover/index';
import { fileId, rangeIn, toRange } from './convert';
import type { RenderController } from './render';
import type { WorkspaceIndex } from './workspaceIndex';

/** Commands a hover's Markdown may link to (and nothing else). */
export const HOVER_COMMANDS = ['kubeNetlens.reveal', 'kubeNetlens.showInDiagram'];

export class HoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: WorkspaceIndex, private readonly render?: RenderController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const file = fileId(document.uri);
    if (this.render?.owns(file)) {
      // A base or patch: the objects it renders to, in each overlay (until an unsaved edit moves offsets).
      const lines = this.render.linesOf(file);
      if (!lines || !this.render.matches(document)) return undefined;
      const rendered = this.render.hover(file, document.offsetAt(position));
      if (!rendered) return undefined;
      const md = new vscode.MarkdownString(rendered.markdown);
      md.isTrusted = { enabledCommands: HOVER_COMMANDS };
      md.supportHtml = false;
      return new vscode.Hover(md, rangeIn(lines, rendered.span));
    }
    const entry = this.index.workspace.get(file);
    // The index follows every edit; a document it doesn't hold is not a manifest.
    if (!entry || entry.manifest.text.length !== document.getText().length) return undefined;
    const result = hoverAt(this.index.workspace, file, document.offsetAt(position));
    if (!result) return undefined;
    const note = this.index.isScanning ? '\n\n_Indexing the workspace: objects in files not read yet are missing._' : '';
    const md = new vscode.MarkdownString(result.markdown + note);
    md.isTrusted = { enabledCommands: HOVER_COMMANDS };
    md.supportHtml = false;
    return new vscode.Hover(md, toRange(entry.manifest, result.span));
  }
}
