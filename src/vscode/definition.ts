/** Go to Definition: a DNS name to its Service, a per-pod name to its StatefulSet, and so on. */
import * as vscode from 'vscode';
import { definitionAt, type DefinitionResult } from '../core/definition';
import type { LineIndex } from '../core/span';
import { fileId, rangeIn, toUri } from './convert';
import type { RenderController } from './render';
import type { WorkspaceIndex } from './workspaceIndex';

export class DefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly index: WorkspaceIndex, private readonly render?: RenderController) {}

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.LocationLink[] | undefined {
    const file = fileId(document.uri);
    const offset = document.offsetAt(position);
    if (this.render?.owns(file)) {
      // A base or patch: what its renders define the name as, in the files that write it (until an unsaved edit moves offsets).
      const lines = this.render.linesOf(file);
      if (!lines || !this.render.matches(document)) return undefined;
      return this.links(lines, this.render.definition(file, offset));
    }
    if (!this.index.current(document)) return undefined;
    const entry = this.index.workspace.get(file);
    if (!entry) return undefined;
    return this.links(entry.manifest.lines, definitionAt(this.index.workspace, file, offset));
  }

  private links(lines: LineIndex, result: DefinitionResult | undefined): vscode.LocationLink[] | undefined {
    if (!result) return undefined;
    const origin = rangeIn(lines, result.origin);
    return result.locations.flatMap(l => {
      const target = this.index.workspace.get(l.file)?.manifest.lines ?? this.render?.linesOf(l.file);
      if (!target) return [];
      const range = rangeIn(target, l.span);
      return [{ originSelectionRange: origin, targetUri: toUri(l.file), targetRange: range, targetSelectionRange: range }];
    });
  }
}
