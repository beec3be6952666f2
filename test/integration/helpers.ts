// Helpers for integration tests running inside VS Code's extension host.
// Tests poll with `waitFor`; they never sleep a fixed time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'kube-netlens.kube-netlens';

export interface WaitOptions {
  /** Poll interval in ms (default 50). */
  interval?: number;
  /** Describes what is awaited, for the timeout message. */
  message?: string;
}

/**
 * Calls `fn` until it returns a truthy value (or a promise of one) and returns that value.
 * A throwing `fn` counts as "not yet". Rejects after `timeout` ms with the last error, if any.
 *   const diags = await waitFor(() => { const d = vscode.languages.getDiagnostics(uri); return d.length ? d : undefined; });
 */
export async function waitFor<T>(fn: () => T | Promise<T>, timeout = 10000, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const interval = opts.interval ?? 50;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`waitFor timed out after ${timeout} ms${opts.message ? ` waiting for ${opts.message}` : ''}${why}`);
    }
    await new Promise(r => setTimeout(r, interval));
  }
}

/** The extension under test (fails the test if VS Code did not load it). */
export function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates the extension (idempotent) and returns its exports. */
export async function activateExtension(): Promise<unknown> {
  return getExtension().activate();
}

/** The workspace folder the tests run in (the repository's examples/ folder). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the runner opens examples/)');
  return folder.uri.fsPath;
}

/** Absolute path of `rel` inside the workspace folder. */
export function workspacePath(rel: string): string {
  return path.join(workspaceDir(), rel);
}

/** Workspace-relative paths of all *.yaml / *.yml files in the workspace folder, sorted. */
export function yamlFiles(dir = workspaceDir()): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** Writes generated files (bench/gen.ts) under `dir`, replacing what was there. */
export function writeFiles(dir: string, files: ReadonlyArray<{ path: string; text: string }>): void {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const f of files) {
    fs.mkdirSync(path.join(dir, path.dirname(f.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, f.path), f.text);
  }
}

/** Opens a workspace file (relative path or absolute) in an editor and returns its document. */
export async function openDocument(file: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.file(path.isAbsolute(file) ? file : workspacePath(file));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Opens an untitled document with the given content and language. */
export async function openUntitled(content: string, language = 'yaml'): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument({ content, language });
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** Closes all editors without saving (use in afterEach). */
export async function closeAllEditors(): Promise<void> {
  // Discard every unsaved change (tests edit examples/ in memory only), then close the rest.
  for (const doc of vscode.workspace.textDocuments.filter(d => d.isDirty)) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Position of the `occurrence`-th (0-based) match of `text` in `doc`, plus `offset` characters.
 *   const pos = positionOf(doc, 'my-svc.default.svc.cluster.local', 0, 2);
 */
export function positionOf(doc: vscode.TextDocument, text: string, occurrence = 0, offset = 0): vscode.Position {
  const src = doc.getText();
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) {
    idx = src.indexOf(text, idx + 1);
    assert.ok(idx >= 0, `"${text}" (occurrence ${occurrence}) not found in ${doc.uri.fsPath}`);
  }
  return doc.positionAt(idx + offset);
}

/** Plain text of every hover at `position` (markdown source, joined per hover). */
export async function hoverTexts(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers.map(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n'));
}

/** Waits until the diagnostics of `uri` satisfy `predicate` (default: at least one) and returns them. */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (d: vscode.Diagnostic[]) => boolean = d => d.length > 0,
  timeout = 10000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(() => {
    const d = vscode.languages.getDiagnostics(uri);
    return predicate(d) ? d : undefined;
  }, timeout, { message: `diagnostics of ${path.basename(uri.fsPath)}` });
}
