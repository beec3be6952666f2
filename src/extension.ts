import * as vscode from 'vscode';
import { onContainedError } from './core/contained';
import { ConnectivityChanges } from './vscode/changes';
import { QuickFixProvider } from './vscode/codeActions';
import { registerCommands } from './vscode/commands';
import { DefinitionProvider } from './vscode/definition';
import { registerDiagram } from './vscode/diagram';
import { DiagramPanel } from './vscode/diagram/panel';
import type { NetworkGraph } from './core/graph/model';
import type { PageMessage } from './shared/protocol';
import { DiagnosticsController } from './vscode/diagnostics';
import { HoverProvider } from './vscode/hover';
import { registerHostTiming, timedProvider } from './vscode/hostTiming';
import { RenderController } from './vscode/render';
import { readSettings, SECTION } from './vscode/settings';
import { StatusBar } from './vscode/statusBar';
import { WorkspaceIndex } from './vscode/workspaceIndex';

/** What the extension hands its tests (and other extensions): the live index. */
export interface KubeNetlensApi {
  readonly index: WorkspaceIndex;
  readonly render: RenderController;
  /** The diagnostics of open manifests (`pending`: analyses not run yet). */
  readonly diagnostics: DiagnosticsController;
  /** The comparison with a git revision (status bar, changes mode, CodeLens). */
  readonly changes: ConnectivityChanges;
  /** The `NetLens: N objects · M problems` item (its text, undefined while hidden). */
  readonly status: { readonly text: string | undefined };
  /** The graph the diagram panel last drew (undefined before it opened). */
  diagramGraph(): NetworkGraph | undefined;
  /** Handles a message as if the diagram's page had posted it (a click in the side panel). */
  diagramMessage(m: PageMessage): Promise<void>;
  /** What the panel last answered an `explain` request (a flow opened in the page) with. */
  diagramExplanation(): { readonly edgeId: string; readonly lines: readonly string[] } | undefined;
}

/** Manifests are YAML or JSON files on any file system. */
const SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }];

/** Builds the adapter objects and registers them; all analysis lives in src/core. */
export function activate(context: vscode.ExtensionContext): KubeNetlensApi {
  const log = vscode.window.createOutputChannel('Kube NetLens', { log: true });
  let settings = readSettings();
  const index = new WorkspaceIndex(settings, log);
  // Start the scan first: the diagnostics wait for it rather than judge a half-read workspace.
  void index.rescan();
  // Kustomize overlays and Helm charts: rendered after the scan and on save, in trusted workspaces.
  const render = new RenderController(index, settings, log);
  void index.ready.then(() => render.refresh());
  const diagnostics = new DiagnosticsController(index, settings, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules'), render);
  const status = new StatusBar(index, diagnostics, render);
  // A rule or provider that throws is contained by the core; say so in the log, with the stack.
  const unlisten = onContainedError(e => log.error(`${e.where} threw: ${(e.error as Error)?.stack ?? String(e.error)}`));
  context.subscriptions.push(
    log,
    { dispose: unlisten },
    index,
    render,
    diagnostics,
    status,
    vscode.languages.registerHoverProvider(SELECTOR, timedProvider('hover', new HoverProvider(index, render), ['provideHover'])),
    vscode.languages.registerDefinitionProvider(SELECTOR, timedProvider('definition', new DefinitionProvider(index, render), ['provideDefinition'])),
    vscode.languages.registerCodeActionsProvider(SELECTOR, timedProvider('codeActions', new QuickFixProvider(index, diagnostics, render), ['provideCodeActions']), QuickFixProvider.metadata),
    ...registerCommands(index, log, render),
    ...registerHostTiming(),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (!e.affectsConfiguration(SECTION)) return;
      settings = readSettings();
      index.updateSettings(settings);
      render.updateSettings(settings);
      diagnostics.updateSettings(settings);
    }),
  );
  registerDiagram(context, index, render);
  const changes = new ConnectivityChanges(index, log);
  context.subscriptions.push(changes);
  log.info('Kube NetLens activated');
  return { index, render, diagnostics, changes, status, diagramGraph: () => DiagramPanel.lastGraph, diagramMessage: m => DiagramPanel.receive(m), diagramExplanation: () => DiagramPanel.lastExplanation };
}

export function deactivate(): void {}
