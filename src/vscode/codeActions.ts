/** Quick fixes: the core's offset edits for the finding behind each of our diagnostics. */
import * as vscode from 'vscode';
import type { Fix } from '../core/rules/rule';
import type { LineIndex } from '../core/span';
import { fileId, rangeIn, toUri } from './convert';
import { ruleOf, type DiagnosticsController } from './diagnostics';
import type { RenderController } from './render';
import type { WorkspaceIndex } from './workspaceIndex';

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly index: WorkspaceIndex, private readonly diagnostics: DiagnosticsController, private readonly render?: RenderController) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Fixes are offsets into the text the findings were computed on: only for the current version.
    // A base or template: the renders' findings, mapped back; their fixes edit the source (the core
    // kept only fixes whose every edit lands in a source scalar written as rendered), and only while
    // the document is the text the render read.
    const id = fileId(document.uri);
    const rendered = this.render?.owns(id);
    const lines = rendered ? (this.render!.matches(document) ? this.render!.linesOf(id) : undefined) : (this.index.current(document) ? this.index.workspace.get(id)?.manifest.lines : undefined);
    if (!lines) return [];
    const findings = this.diagnostics.findingsFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const rule = ruleOf(diagnostic);
      if (!rule) continue;
      const finding = findings.find(f => f.rule === rule && rangeIn(lines, f.span).isEqual(diagnostic.range) && f.message === diagnostic.message);
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
      const target: LineIndex | undefined = this.index.workspace.get(e.file)?.manifest.lines ?? this.render?.linesOf(e.file);
      if (!target) return undefined;
      edit.replace(toUri(e.file), rangeIn(target, e.span), e.newText);
    }
    return edit;
  }
}
