/** The command table: every command the extension contributes, in one place. */
import * as vscode from 'vscode';
import { rangeIn, toUri } from './convert';
import type { RenderController } from './render';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * Opens `file` and selects the span `[start, end)` (used by hover links and the diagram). A base,
 * patch or template a render owns is not in the index: its offsets are in the text the render read.
 */
export async function reveal(index: WorkspaceIndex, file: string, start: number, end: number, render?: RenderController): Promise<void> {
  // Links in hovers carry these arguments: only manifests the index holds or a render read may be opened.
  if (typeof file !== 'string' || !Number.isInteger(start) || !Number.isInteger(end)) return;
  const lines = index.workspace.get(file)?.manifest.lines ?? (render?.owns(file) ? render.linesOf(file) : undefined);
  if (!lines) return;
  const uri = toUri(file);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { selection: rangeIn(lines, { start, end }), preview: false });
}

export function registerCommands(index: WorkspaceIndex, log: vscode.LogOutputChannel, render?: RenderController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubeNetlens.reveal', (file: string, start: number, end: number) => reveal(index, file, start, end, render)),
    vscode.commands.registerCommand('kubeNetlens.reindex', () => index.rescan()),
    vscode.commands.registerCommand('kubeNetlens.showLog', () => log.show()),
  ];
}
