/**
 * "What does this change do to connectivity?" in the editor: the workspace at a git revision (HEAD
 * by default) is read with git's plumbing (no checkout), analysed with the same engine and compared
 * with the live index. A status-bar item counts the changes, a command opens the diagram in its
 * changes mode, and a CodeLens on each manifest with uncommitted edits says what those edits alone
 * do ("+2 flows, −1 flow"). Git runs as a child process, never blocking the extension host; without
 * git or outside a repository everything here stays silent.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { catFileInput, catFileTexts, lsTreeArgs, manifestEntries } from '../core/git';
import { changeCounts, countsText, withChanges, type ChangeCounts } from '../core/graph/changes';
import { connectivityDiff, type ConnectivityDiff } from '../core/net/policy/diff';
import { Workspace } from '../core/workspace';
import { runGit } from '../render/git';
import { DiagramPanel } from './diagram/panel';
import { timed, timedProvider } from './hostTiming';
import type { WorkspaceIndex } from './workspaceIndex';

/** Runs git in `cwd`; resolves with its stdout, rejects with its stderr. */
async function git(args: string[], cwd: string, input?: string): Promise<Buffer> {
  const r = await runGit(args, cwd, input);
  if (r.code !== 0) throw new Error(r.stderr.trim() || `git exited with ${r.code}`);
  return r.stdout;
}

/** The comparison with one revision. */
export interface Comparison {
  readonly ref: string;
  readonly base: Workspace;
  readonly diff: ConnectivityDiff;
  readonly counts: ChangeCounts;
}

const DEBOUNCE_MS = 500;

export class ConnectivityChanges implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly item = vscode.window.createStatusBarItem('kubeNetlens.changes', vscode.StatusBarAlignment.Left, 50);
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private ref = 'HEAD';
  /** The base workspace per (ref, commits): re-read only when the revision moves. */
  private baseCache: { key: string; ws: Workspace } | undefined;
  /** The manifests of the trees at the revision, read once per (ref, commits). */
  private treeCache: { key: string; files: Array<{ fsPath: string; text: string }> } | undefined;
  private last: Comparison | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private showing = false;
  /** Per file id: the text at HEAD (undefined: not tracked) for the CodeLens, keyed by HEAD's commit. */
  private readonly headTexts = new Map<string, { commit: string; text: string | undefined }>();

  constructor(private readonly index: WorkspaceIndex, private readonly log: vscode.LogOutputChannel) {
    this.item.name = 'Kube NetLens: connectivity changes';
    this.item.command = 'kubeNetlens.compareWithBase';
    this.disposables.push(
      this.item,
      this.lensesChanged,
      index.onDidChange(timed('changes.onIndexChange', () => this.schedule())),
      vscode.commands.registerCommand('kubeNetlens.compareWithBase', (ref?: string) => this.compareCommand(ref)),
      vscode.commands.registerCommand('kubeNetlens.hideChanges', () => this.hide()),
      vscode.languages.registerCodeLensProvider([{ language: 'yaml' }, { language: 'json' }], timedProvider('changesLens', this, ['provideCodeLenses'])),
    );
    this.schedule();
  }

  /** The folders the comparison covers: workspace folders on disk. */
  private folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
  }

  /** The workspace at `ref`: every manifest of each folder's tree that the index follows (or that is gone from disk). */
  async baseAt(ref: string): Promise<Workspace | undefined> {
    const parts: Array<{ folder: string; commit: string }> = [];
    for (const folder of this.folders()) {
      try {
        const commit = (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], folder)).toString().trim();
        if (commit) parts.push({ folder, commit });
      } catch (e) {
        // Not a repository, or no such revision here: this folder has no base.
        this.log.info(`connectivity changes: no ${ref} in ${folder}: ${(e as Error).message}`);
      }
    }
    if (parts.length === 0) return undefined;
    const key = `${ref}\u0000${parts.map(p => `${p.folder}@${p.commit}`).join('\u0000')}`;
    if (this.treeCache?.key !== key) {
      const files: Array<{ fsPath: string; text: string }> = [];
      for (const { folder, commit } of parts) {
        const entries = manifestEntries((await git(lsTreeArgs(commit, ['.']), folder)).toString('utf8'));
        if (entries.length === 0) continue;
        for (const f of catFileTexts(await git(['cat-file', '--batch'], folder, catFileInput(entries)), entries)) {
          files.push({ fsPath: path.normalize(path.join(folder, f.file)), text: f.text });
        }
      }
      this.treeCache = { key, files };
    }
    // The index's file ids by path on disk: the base uses the same ids, so both sides name a file alike.
    const indexed = new Map<string, string>();
    for (const id of this.index.workspace.fileNames) {
      const uri = vscode.Uri.parse(id);
      if (uri.scheme === 'file') indexed.set(path.normalize(uri.fsPath), id);
    }
    // Files the index leaves out (files.exclude, kubeNetlens.exclude) stay out, unless deleted since.
    const kept = this.treeCache.files.filter(f => indexed.has(f.fsPath) || !fs.existsSync(f.fsPath));
    const wsKey = `${key}\u0000${kept.map(f => f.fsPath).join('\u0000')}`;
    if (this.baseCache?.key === wsKey) return this.baseCache.ws;
    const ws = new Workspace(this.index.workspace.settings);
    for (const f of kept) ws.set(indexed.get(f.fsPath) ?? vscode.Uri.file(f.fsPath).toString(), f.text);
    this.baseCache = { key: wsKey, ws };
    return ws;
  }

  /** Compares the index with `ref` (default: the revision last compared with, HEAD at first). */
  async compare(ref = this.ref): Promise<Comparison | undefined> {
    const base = await this.baseAt(ref);
    if (!base) {
      this.item.hide();
      return undefined;
    }
    this.ref = ref;
    // Runs after the git reads, outside the timer's handler: timed on its own.
    const diff = timed('changes.diff', connectivityDiff)(base, this.index.workspace);
    const comparison: Comparison = { ref, base, diff, counts: changeCounts(diff) };
    this.log.info(`connectivity changes vs ${ref}: ${base.fileNames.length} files at ${ref}, ${this.index.workspace.fileNames.length} now; `
      + diff.pairs.filter(p => p.type !== 'unchanged').map(p => `${p.type} ${p.src.id} => ${p.dst.id}`).join('; '));
    this.last = comparison;
    this.item.text = `$(git-compare) Connectivity changes vs ${ref}: ${countsText(comparison.counts)}`;
    this.item.tooltip = `Flows allowed now, compared with the manifests at ${ref}. Click to show them in the network diagram.`;
    this.item.show();
    return comparison;
  }

  private schedule(): void {
    this.headTexts.clear();
    this.lensesChanged.fire();
    if (this.timer) return;
    this.timer = setTimeout(timed('changes.compare', () => {
      this.timer = undefined;
      void this.compare().then(() => { if (this.showing) this.overlay(); }, e => this.log.warn(`connectivity changes: ${(e as Error).message}`));
    }), DEBOUNCE_MS);
  }

  private overlay(): void {
    const c = this.last;
    if (!c) return;
    DiagramPanel.setOverlay(g => withChanges(g, c.diff, this.index.workspace, c.base, c.ref));
  }

  /** `kubeNetlens.compareWithBase [ref]`: compare, then show the diagram in its changes mode. */
  private async compareCommand(ref?: string): Promise<ChangeCounts | undefined> {
    let target = typeof ref === 'string' ? ref : undefined;
    if (target === undefined) {
      target = await vscode.window.showInputBox({ title: 'Compare connectivity with a git revision', value: this.ref, prompt: 'A branch, tag or commit (HEAD, main, HEAD~1, …)' });
      if (!target) return undefined;
    }
    await this.index.ready;
    let c: Comparison | undefined;
    try {
      c = await this.compare(target);
    } catch (e) {
      void vscode.window.showErrorMessage(`Kube NetLens: cannot read ${target} from git: ${(e as Error).message}`);
      return undefined;
    }
    if (!c) {
      void vscode.window.showInformationMessage(`Kube NetLens: no git revision ${target} in the workspace folders.`);
      return undefined;
    }
    this.showing = true;
    this.overlay();
    await vscode.commands.executeCommand('kubeNetlens.openDiagram');
    return c.counts;
  }

  private hide(): void {
    this.showing = false;
    DiagramPanel.setOverlay(undefined);
  }

  /** The text of `file` at HEAD (undefined when HEAD does not track it); null outside a repository. */
  private async headText(uri: vscode.Uri): Promise<{ text: string | undefined } | null> {
    if (uri.scheme !== 'file') return null;
    const dir = path.dirname(uri.fsPath);
    let commit: string;
    try {
      commit = (await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], dir)).toString().trim();
    } catch {
      return null;
    }
    const id = uri.toString();
    const cached = this.headTexts.get(id);
    if (cached && cached.commit === commit) return { text: cached.text };
    let text: string | undefined;
    try {
      const listing = (await git(['ls-tree', '-z', commit, '--', path.basename(uri.fsPath)], dir)).toString('utf8');
      const entries = manifestEntries(listing);
      text = entries.length ? catFileTexts(await git(['cat-file', '--batch'], dir, catFileInput(entries)), entries)[0]?.text : undefined;
    } catch {
      return null;
    }
    this.headTexts.set(id, { commit, text });
    return { text };
  }

  /** What the uncommitted edits of one file do: the workspace with that file as at HEAD, against the live one. */
  async fileChanges(uri: vscode.Uri): Promise<ChangeCounts | undefined> {
    const id = uri.toString();
    const entry = this.index.workspace.get(id);
    if (!entry) return undefined;
    const head = await this.headText(uri);
    if (!head || head.text === entry.manifest.text) return undefined;
    // Runs after the git reads, outside the provider's call: timed on its own.
    return timed('changesLens.diff', () => {
      const before = new Workspace(this.index.workspace.settings);
      for (const f of this.index.workspace.files) {
        if (f.manifest.file !== id) before.set(f.manifest.file, f.manifest.text, { previous: f.manifest });
      }
      if (head.text !== undefined) before.set(id, head.text);
      return changeCounts(connectivityDiff(before, this.index.workspace));
    })();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const entry = this.index.workspace.get(document.uri.toString());
    // Only files that can change connectivity: policies, workloads, Ingresses, Routes, Namespaces.
    if (!entry || (entry.policies.length === 0 && entry.workloads.length === 0 && entry.ingresses.length === 0 && entry.namespaces.length === 0)) return [];
    const counts = await this.fileChanges(document.uri);
    if (!counts) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [new vscode.CodeLens(top, {
      title: `Uncommitted edits: ${countsText(counts)} · show changes`,
      tooltip: 'What the edits of this file since HEAD do to the allowed connections (the rest of the workspace as it is now)',
      command: 'kubeNetlens.compareWithBase',
      arguments: ['HEAD'],
    })];
  }

  /** The last comparison (tests read it). */
  get comparison(): Comparison | undefined {
    return this.last;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
