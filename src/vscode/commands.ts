/** The command table: every command the extension contributes, in one place. */
import * as vscode from 'vscode';
import { toRange, toUri } from './convert';
import type { WorkspaceIndex } from './workspaceIndex';

/** Opens `file` and selects the span `[start, end)` (used by hover links and the diagram). */
export async function reveal(index: WorkspaceIndex, file: string, start: number, end: number): Promise<void> {
  const entry = index.workspace.get(file);
  // Links in hovers carry these arguments: only manifests the index holds may be opened.
  if (!entry || !Number.isInteger(start) || !Number.isInteger(end)) return;
  const uri = toUri(file);
  const document = await vscode.workspace.openTextDocument(uri);
  const range = toRange(entry.manifest, { start, end });
  await vscode.window.showTextDocument(document, { selection: range, preview: false });
}

export function registerCommands(index: WorkspaceIndex, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('kubeNetlens.reveal', (file: string, start: number, end: number) => reveal(index, file, start, end)),
    vscode.commands.registerCommand('kubeNetlens.reindex', () => index.rescan()),
    vscode.commands.registerCommand('kubeNetlens.showLog', () => log.show()),
  ];
}
