/** Quick fixes: the core's offset edits for the finding behind each of our diagnostics. */
import * as vscode from 'vscode';
import type { Fix } from '../core/rules/rule';
import { fileId, toRange, toUri } from './convert';
import { ruleOf, type DiagnosticsController } from './diagnostics';
import type { WorkspaceIndex } from './workspaceIndex';

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly index: WorkspaceIndex, private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Fixes are offsets into the text the findings were computed on: only for the current version.
    if (!this.index.current(document)) return [];
    const entry = this.index.workspace.get(fileId(document.uri));
    if (!entry) return [];
    const findings = this.diagnostics.findingsFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const rule = ruleOf(diagnostic);
      if (!rule) continue;
      const finding = findings.find(f => f.rule === rule && toRange(entry.manifest, f.span).isEqual(diagnostic.range) && f.message === diagnostic.message);
      for (const fix of finding?.fixes ?? []) {
        const edit = this.toEdit(fix);
        if (!edit) continue;
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.edit = edit;
        action.isPreferred = fix.preferred ?? false;
        actions.push(action);
      }
    }
    return actions;
  }

  private toEdit(fix: Fix): vscode.WorkspaceEdit | undefined {
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) {
      const target = this.index.workspace.get(e.file);
      if (!target) return undefined;
      edit.replace(toUri(e.file), toRange(target.manifest, e.span), e.newText);
    }
    return edit;
  }
}
