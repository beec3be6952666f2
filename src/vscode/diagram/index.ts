import * as vscode from 'vscode';
import { nodeIdOfObject, objectAt } from '../../core/graph/selection';
import { SelectionCodeLensProvider } from './codelens';
import { DiagramPanel, type DiagramIndex } from './panel';

export type { DiagramIndex } from './panel';

/** `kubeNetlens.showInDiagram` arguments: a node id, or a place in a document (the CodeLens passes this). */
type ShowArgs = string | { uri: string; offset: number } | undefined;

function nodeIdFor(index: DiagramIndex, args: ShowArgs): string | undefined {
  if (typeof args === 'string') return args;
  const ws = index.workspace;
  if (args) {
    const o = objectAt(ws, args.uri, args.offset);
    return o ? nodeIdOfObject(ws, o) : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const o = objectAt(ws, editor.document.uri.toString(), editor.document.offsetAt(editor.selection.active));
  return o ? nodeIdOfObject(ws, o) : undefined;
}

/** Registers the diagram: its commands, the panel serializer (restores it after a reload) and the CodeLenses. */
export function registerDiagram(context: vscode.ExtensionContext, index: DiagramIndex): void {
  const lenses = new SelectionCodeLensProvider(index);
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeNetlens.openDiagram', () => { DiagramPanel.createOrShow(context.extensionUri, index); }),
    vscode.commands.registerCommand('kubeNetlens.showInDiagram', (args: ShowArgs) => {
      const id = nodeIdFor(index, args);
      const panel = DiagramPanel.createOrShow(context.extensionUri, index);
      if (id) panel.select(id);
      else void vscode.window.showInformationMessage('Nothing here has a place in the network diagram.');
    }),
    vscode.window.registerWebviewPanelSerializer(DiagramPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        DiagramPanel.revive(panel, context.extensionUri, index);
      },
    }),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }, { language: 'json' }], lenses),
    lenses,
    index.onDidChange(() => lenses.refresh()),
  );
}
