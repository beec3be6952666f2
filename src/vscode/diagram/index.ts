import * as vscode from 'vscode';
import { timed, timedProvider } from '../hostTiming';
import { SelectionCodeLensProvider } from './codelens';
import { DiagramPanel, nodeIdAt, type DiagramIndex, type DiagramRenders } from './panel';

export type { DiagramIndex, DiagramRenders } from './panel';

/** `kubeNetlens.showInDiagram` arguments: a node id, or a place in a document (the CodeLens passes this). */
type ShowArgs = string | { uri: string; offset: number } | undefined;

function nodeIdFor(index: DiagramIndex, renders: DiagramRenders | undefined, args: ShowArgs): string | undefined {
  if (typeof args === 'string') return args;
  if (args) return nodeIdAt(index, renders, args.uri, args.offset);
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  return nodeIdAt(index, renders, editor.document.uri.toString(), editor.document.offsetAt(editor.selection.active));
}

/**
 * Registers the diagram: its commands, the panel serializer (restores it after a reload) and the
 * CodeLenses. `renders`: the Kustomize overlays and Helm charts drawn beside the loose files.
 */
export function registerDiagram(context: vscode.ExtensionContext, index: DiagramIndex, renders?: DiagramRenders): void {
  const lenses = new SelectionCodeLensProvider(index);
  context.subscriptions.push(
    vscode.commands.registerCommand('kubeNetlens.openDiagram', () => { DiagramPanel.createOrShow(context.extensionUri, index, renders); }),
    vscode.commands.registerCommand('kubeNetlens.showInDiagram', (args: ShowArgs) => {
      const id = nodeIdFor(index, renders, args);
      if (id) DiagramPanel.createOrShow(context.extensionUri, index, renders).select(id);
      else void vscode.window.showInformationMessage('Kube NetLens: the cursor is not on an object the network diagram draws (a workload, Service, Ingress, Route, Namespace or NetworkPolicy).');
    }),
    vscode.window.registerWebviewPanelSerializer(DiagramPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
        DiagramPanel.revive(panel, context.extensionUri, index, renders);
      },
    }),
    vscode.languages.registerCodeLensProvider([{ language: 'yaml' }, { language: 'json' }], timedProvider('selectionLens', lenses, ['provideCodeLenses'])),
    lenses,
    index.onDidChange(timed('selectionLens.refresh', () => lenses.refresh())),
  );
}
