/** Go to Definition: a DNS name to its Service, a per-pod name to its StatefulSet, and so on. */
import * as vscode from 'vscode';
import { definitionAt } from '../core/definition';
import { fileId, toRange, toUri } from './convert';
import type { WorkspaceIndex } from './workspaceIndex';

export class DefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly index: WorkspaceIndex) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.LocationLink[] | undefined {
    if (!this.index.current(document)) return undefined;
    const ws = this.index.workspace;
    const file = fileId(document.uri);
    const entry = ws.get(file);
    if (!entry) return undefined;
    const result = definitionAt(ws, file, document.offsetAt(position));
    if (!result) return undefined;
    const origin = toRange(entry.manifest, result.origin);
    return result.locations.flatMap(l => {
      const target = ws.get(l.file);
      if (!target) return [];
      const range = toRange(target.manifest, l.span);
      return [{ originSelectionRange: origin, targetUri: toUri(l.file), targetRange: range, targetSelectionRange: range }];
    });
  }
}
