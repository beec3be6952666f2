import * as vscode from 'vscode';

/** Entry point: builds the adapter objects and registers them; all analysis lives in src/core. */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Kube NetLens', { log: true });
  context.subscriptions.push(output);
  output.info('Kube NetLens activated');
}

export function deactivate(): void {}
