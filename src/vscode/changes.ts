/**
 * "What does this change do to connectivity?" in the editor: the workspace at a git revision (HEAD
 * by default) is read with git's plumbing (no checkout), analysed with the same engine and compared
 * with the live index. A status-bar item counts the changes, a command opens the diagram in its
 * changes mode, and a CodeLens on each manifest with uncommitted edits says what those edits alone
 * do ("+2 flows, −1 flow"). Git runs as a child process, never blocking the extension host; without
 * git or outside a repository everything here stays silent.
 *
 * The two comparisons that run while typing (the status bar's, after each burst of edits, and the
 * CodeLens's) diff the connectivity of two whole workspaces: they run on a worker thread
 * (changesWorker.ts) that mirrors the live workspace from deltas (src/core/compare-mirror.ts), so
 * the host only walks the file list and posts the changed texts. The compare command and the
 * diagram's changes mode get their marks (changed edges with both sides explained, plain data)
 * from the worker too; the host only lays them over its graph. Without the worker (it failed to
 * start or crashed) everything computes on the host as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { fileChangeCounts, MirrorFeed, type MirrorComparison, type MirrorFile } from '../core/compare-mirror';
import { isExcludedDir, isManifestPath } from '../core/files';
import { catFileInput, catFileTexts, lsTreeArgs, manifestEntries } from '../core/git';
import { changeCounts, changeLines, countsText, withChangeMarks, withChanges, type ChangeCounts } from '../core/graph/changes';
import type { NetworkGraph } from '../core/graph/model';
import type { ConnectivityDiff } from '../core/net/policy/diff';
import { connectivityDiffAllNetworks } from '../core/net/policy/secondary-diff';
import { networkAttachmentDefinitionView } from '../core/parse/networks';
import { multiNetworkPolicyView } from '../core/parse/views/policy';
import { Workspace } from '../core/workspace';
import { findGitDirs, readHeadCommit, runGit } from '../render/git';
import { DiagramPanel } from './diagram/panel';
import { timed, timedProvider } from './hostTiming';
import type { WorkerReply, WorkerRequest } from './changesProtocol';
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

/** The files of the workspace at a revision, named by the index's ids, and a key that changes with them. */
interface BaseFiles {
  readonly key: string;
  readonly files: readonly MirrorFile[];
}

/**
 * The host's end of the worker thread: posts each request with the live workspace's delta since the
 * previous one (and the revision's files when the worker does not hold them), and matches replies to
 * requests. `generation` is shared with the worker: {@link bump} on every edit makes the requests
 * asked before it come back `stale`, uncomputed.
 */
class ComparisonWorker {
  private worker: Worker | undefined;
  private broken = false;
  private readonly feed = new MirrorFeed();
  private readonly generation = new Int32Array(new SharedArrayBuffer(4));
  private seq = 0;
  private readonly waiting = new Map<number, (r: WorkerReply) => void>();
  private baseKey: string | undefined;
  private readonly present: boolean;

  constructor(private readonly script: string, private readonly log: vscode.LogOutputChannel) {
    this.present = fs.existsSync(script);
    if (!this.present) log.warn(`connectivity changes: no worker script at ${script}; comparing on the extension host`);
  }

  /** Whether requests can go to the worker (else the caller computes on the host). */
  get usable(): boolean {
    return this.present && !this.broken;
  }

  /** The edit generation now. */
  get current(): number {
    return Atomics.load(this.generation, 0);
  }

  /** A newer edit exists: requests asked before now are answered stale. */
  bump(): void {
    Atomics.add(this.generation, 0, 1);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.script, { workerData: { generation: this.generation.buffer } });
    w.unref();
    w.on('message', timed('changes.worker', (r: WorkerReply) => {
      const resolve = this.waiting.get(r.seq);
      this.waiting.delete(r.seq);
      resolve?.(r);
    }));
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.log.warn(`connectivity changes: the worker thread stopped (${why}); comparing on the extension host from now on`);
      this.broken = true;
      this.worker = undefined;
      for (const resolve of this.waiting.values()) resolve({ seq: -1, error: why });
      this.waiting.clear();
    };
    w.on('error', e => fail(e.message));
    w.on('exit', code => fail(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  /** Sends a request (with the live workspace's delta, posted now) and waits for its reply. */
  request(live: Workspace, generation: number, base: BaseFiles | undefined, ask: { kind: 'compare'; key: string } | { kind: 'file'; file: string; headText: string | undefined }): Promise<WorkerReply> {
    return new Promise(resolve => {
      timed('changes.post', () => {
        const w = this.start();
        const seq = ++this.seq;
        // A worker that failed a request or lacks the revision gets the revision again with the next one.
        this.waiting.set(seq, r => {
          if ('needsBase' in r || 'error' in r) this.baseKey = undefined;
          resolve(r);
        });
        const sendBase = base && base.key !== this.baseKey ? { key: base.key, files: base.files } : undefined;
        if (sendBase) this.baseKey = sendBase.key;
        const req: WorkerRequest = { ...ask, seq, generation, delta: this.feed.delta(live), ...(sendBase ? { base: sendBase } : {}) };
        w.postMessage(req);
      })();
    });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }
}

export class ConnectivityChanges implements vscode.Disposable, vscode.CodeLensProvider {
  private readonly item = vscode.window.createStatusBarItem('kubeNetlens.changes', vscode.StatusBarAlignment.Left, 50);
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private ref = 'HEAD';
  /** The base workspace per (ref, commits): re-read only when the revision moves. */
  private baseCache: { key: string; ws: Workspace } | undefined;
  /** The manifests of the trees at the revision, read once per (ref, commits). */
  private treeCache: {
    key: string; ref: string; parts: ReadonlyArray<{ folder: string; commit: string }>;
    files: Array<{ fsPath: string; text: string }>; byPath: Map<string, string>;
  } | undefined;
  private last: Comparison | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private showing = false;
  /** Per folder: why it last had no base (logged when it changes). */
  private readonly saidNoBase = new Map<string, string>();
  /** Per file id: the text at HEAD (undefined: not tracked) for the CodeLens, keyed by HEAD's commit. */
  private readonly headTexts = new Map<string, { commit: string; text: string | undefined }>();
  /** Per file id: its path on disk (null: not a file), parsed once. */
  private readonly fsPaths = new Map<string, string | null>();
  /** Per directory asked about: its repository's git directory (HEAD) and common directory (branches). */
  private readonly gitDirs = new Map<string, { gitDir: string; commonDir: string }>();
  private readonly worker: ComparisonWorker;
  /** Per file id: the CodeLens's last counts, shown while a newer edit's are computed. */
  private readonly lensCounts = new Map<string, ChangeCounts | undefined>();

  constructor(private readonly index: WorkspaceIndex, private readonly log: vscode.LogOutputChannel) {
    this.worker = new ComparisonWorker(path.join(__dirname, 'changesWorker.js'), log);
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

  /** The files at `ref`: every manifest of each folder's tree that the index follows (or that is gone from disk). */
  private async baseFiles(ref: string): Promise<BaseFiles | undefined> {
    const parts: Array<{ folder: string; commit: string }> = [];
    for (const folder of this.folders()) {
      try {
        const commit = await this.commitOf(ref, folder);
        if (commit) parts.push({ folder, commit });
      } catch (e) {
        // Not a repository, or no such revision here: this folder has no base. Said once, not on every edit.
        const why = `connectivity changes: no ${ref} in ${folder}: ${(e as Error).message}`;
        if (this.saidNoBase.get(folder) !== why) this.log.info(why);
        this.saidNoBase.set(folder, why);
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
      this.treeCache = { key, ref, parts, files, byPath: new Map(files.map(f => [f.fsPath, f.text])) };
    }
    // The index's file ids by path on disk: the base uses the same ids, so both sides name a file alike.
    const indexed = new Map<string, string>();
    for (const id of this.index.workspace.fileNames) {
      let fsPath = this.fsPaths.get(id);
      if (fsPath === undefined) {
        const uri = vscode.Uri.parse(id);
        this.fsPaths.set(id, (fsPath = uri.scheme === 'file' ? path.normalize(uri.fsPath) : null));
      }
      if (fsPath !== null) indexed.set(fsPath, id);
    }
    // Files the index leaves out (files.exclude, kubeNetlens.exclude) stay out, unless deleted since.
    const kept = this.treeCache.files.filter(f => indexed.has(f.fsPath) || !fs.existsSync(f.fsPath));
    // The base is analysed with the live settings (the ipBlock reading, the default namespace): a new one rebuilds it.
    const wsKey = `${key}\u0000${JSON.stringify(this.index.workspace.settings)}\u0000${kept.map(f => f.fsPath).join('\u0000')}`;
    return { key: wsKey, files: kept.map(f => ({ file: indexed.get(f.fsPath) ?? vscode.Uri.file(f.fsPath).toString(), text: f.text })) };
  }

  /** The workspace at `ref` (built on the host: the compare command and the changes mode need it). */
  async baseAt(ref: string): Promise<Workspace | undefined> {
    const files = await this.baseFiles(ref);
    if (!files) return undefined;
    if (this.baseCache?.key === files.key) return this.baseCache.ws;
    const ws = new Workspace(this.index.workspace.settings);
    for (const f of files.files) ws.set(f.file, f.text);
    this.baseCache = { key: files.key, ws };
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
    const diff = timed('changes.diff', connectivityDiffAllNetworks)(base, this.index.workspace);
    const comparison: Comparison = { ref, base, diff, counts: changeCounts(diff) };
    this.log.info(`connectivity changes vs ${ref}: ${base.fileNames.length} files at ${ref}, ${this.index.workspace.fileNames.length} now; `
      + changeLines(diff).join('; '));
    this.last = comparison;
    this.showCounts(ref, comparison.counts);
    return comparison;
  }

  private showCounts(ref: string, counts: ChangeCounts): void {
    this.item.text = `$(git-compare) Connectivity changes vs ${ref}: ${countsText(counts)}`;
    this.item.tooltip = `Flows allowed now, compared with the manifests at ${ref}. Click to show them in the network diagram.`;
    this.item.show();
  }

  /**
   * The comparison with `ref` on the worker thread: the counts, and the diagram's marks when `marks`.
   * Null when no folder has the revision; undefined when a newer edit made it stale (its own
   * comparison follows), unless `untilFresh`, which asks again until an answer is current.
   */
  private async compareOffHost(ref: string, marks: boolean, untilFresh: boolean): Promise<MirrorComparison | null | undefined> {
    let generation = this.worker.current;
    const base = await this.baseFiles(ref);
    if (!base) {
      this.item.hide();
      return null;
    }
    let resent = false;
    for (;;) {
      const reply = await this.worker.request(this.index.workspace, generation, base, { kind: 'compare', key: base.key, ...(marks ? { marks: ref } : {}) });
      if ('error' in reply) throw new Error(reply.error);
      if ('needsBase' in reply) {
        // Asked again, the request carries the revision; a second miss is an error, not a loop.
        if (resent) throw new Error(`the worker did not keep the files at ${ref}`);
        resent = true;
        continue;
      }
      if ('comparison' in reply) {
        this.ref = ref;
        const c = reply.comparison;
        this.log.info(`connectivity changes vs ${ref}: ${base.files.length} files at ${ref}, ${this.index.workspace.fileNames.length} now; ${c.changes.join('; ')}`);
        this.showCounts(ref, c.counts);
        return c;
      }
      if (!untilFresh) return undefined;
      generation = this.worker.current;
    }
  }

  private schedule(): void {
    this.worker.bump();
    this.lensesChanged.fire();
    if (this.timer) return;
    this.timer = setTimeout(timed('changes.compare', () => {
      this.timer = undefined;
      const run = this.worker.usable
        ? this.compareOffHost(this.ref, this.showing, false).then(c => { if (c?.marks && this.showing) DiagramPanel.setOverlay(g => withChangeMarks(g, c.marks!)); })
        : this.compare().then(() => { if (this.showing) this.overlay(); });
      void run.catch(e => this.log.warn(`connectivity changes: ${(e as Error).message}`));
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
    if (!(await this.anyRepository())) {
      void vscode.window.showInformationMessage('Kube NetLens: connectivity changes compare the manifests with a git revision, but no workspace folder is in a git repository.');
      return undefined;
    }
    if (target === undefined) {
      target = await vscode.window.showInputBox({ title: 'Compare connectivity with a git revision', value: this.ref, prompt: 'A branch, tag or commit (HEAD, main, HEAD~1, …)' });
      if (!target) return undefined;
    }
    await this.index.ready;
    let counts: ChangeCounts | undefined;
    let overlay: ((g: NetworkGraph) => NetworkGraph) | undefined;
    try {
      if (this.worker.usable) {
        try {
          const c = await this.compareOffHost(target, true, true);
          if (c?.marks) {
            const marks = c.marks;
            counts = c.counts;
            overlay = g => withChangeMarks(g, marks);
          }
        } catch (e) {
          // The worker stopped: compare on the host below. Any other failure is git's.
          if (this.worker.usable) throw e;
        }
      }
      if (!overlay && !this.worker.usable) {
        const c = await this.compare(target);
        if (c) {
          counts = c.counts;
          overlay = g => withChanges(g, c.diff, this.index.workspace, c.base, c.ref);
        }
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`Kube NetLens: cannot read ${target} from git: ${(e as Error).message}`);
      return undefined;
    }
    if (!overlay) {
      void vscode.window.showInformationMessage(`Kube NetLens: no revision '${target}' in the git repository of the workspace folders.`);
      return undefined;
    }
    this.setShowing(true);
    DiagramPanel.setOverlay(overlay);
    await vscode.commands.executeCommand('kubeNetlens.openDiagram');
    return counts;
  }

  private hide(): void {
    this.setShowing(false);
    DiagramPanel.setOverlay(undefined);
  }

  /** Whether the diagram shows the changes; the `kubeNetlens.showingChanges` context key offers "Hide" only then. */
  private setShowing(showing: boolean): void {
    this.showing = showing;
    void vscode.commands.executeCommand('setContext', 'kubeNetlens.showingChanges', showing);
  }

  /** Whether some workspace folder on disk is in a git repository. */
  private async anyRepository(): Promise<boolean> {
    for (const folder of this.folders()) {
      if (this.gitDirs.has(folder) || await findGitDirs(folder)) return true;
      try {
        // Layouts findGitDirs does not read (GIT_DIR in the environment, ...): ask git.
        if ((await git(['rev-parse', '--git-dir'], folder)).length) return true;
      } catch {
        // Not a repository.
      }
    }
    return false;
  }

  /**
   * The commit `ref` names in the repository of `dir`; throws as git does when it names none. HEAD
   * is read from the repository's files when they are plain (readHeadCommit): no process per burst
   * of edits, since spawning one blocks the extension host for tens of milliseconds.
   */
  private async commitOf(ref: string, dir: string): Promise<string> {
    if (ref === 'HEAD') {
      let dirs = this.gitDirs.get(dir);
      if (!dirs) {
        dirs = await findGitDirs(dir);
        if (!dirs) {
          const [gitDir, commonDir] = (await git(['rev-parse', '--absolute-git-dir', '--git-common-dir'], dir)).toString().split('\n').map(l => l.trim());
          if (gitDir && commonDir) dirs = { gitDir: path.resolve(gitDir), commonDir: path.resolve(dir, commonDir) };
        }
        if (dirs) this.gitDirs.set(dir, dirs);
      }
      const commit = dirs && await readHeadCommit(dirs.gitDir, dirs.commonDir);
      if (commit) return commit;
    }
    return (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], dir)).toString().trim();
  }

  /** The text of `file` at HEAD (undefined when HEAD does not track it); null outside a repository. */
  private async headText(uri: vscode.Uri): Promise<{ text: string | undefined } | null> {
    if (uri.scheme !== 'file') return null;
    const dir = path.dirname(uri.fsPath);
    let commit: string;
    try {
      commit = await this.commitOf('HEAD', dir);
    } catch {
      return null;
    }
    const id = uri.toString();
    const cached = this.headTexts.get(id);
    if (cached && cached.commit === commit) return { text: cached.text };
    const fromTree = this.headTextFromTree(path.normalize(uri.fsPath), dir, commit);
    if (fromTree) {
      this.headTexts.set(id, { commit, text: fromTree.text });
      return fromTree;
    }
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

  /**
   * The text of `fsPath` at `commit` from the status bar's listing of HEAD (no git process), when that
   * listing covers it: a folder of the same repository at the same commit, and a path the listing
   * keeps (a manifest outside excluded folders), so that a path missing from it is untracked.
   */
  private headTextFromTree(fsPath: string, dir: string, commit: string): { text: string | undefined } | undefined {
    const t = this.treeCache;
    if (!t || t.ref !== 'HEAD') return undefined;
    const repo = this.gitDirs.get(dir)?.gitDir;
    for (const p of t.parts) {
      const rel = path.relative(p.folder, fsPath);
      if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      const segments = rel.split(path.sep);
      if (p.commit !== commit || repo === undefined || this.gitDirs.get(p.folder)?.gitDir !== repo) return undefined;
      if (!isManifestPath(rel) || segments.slice(0, -1).some(isExcludedDir)) return undefined;
      return { text: t.byPath.get(fsPath) };
    }
    return undefined;
  }

  /** What the uncommitted edits of one file do: the workspace with that file as at HEAD, against the live one. */
  async fileChanges(uri: vscode.Uri): Promise<ChangeCounts | undefined> {
    const id = uri.toString();
    const entry = this.index.workspace.get(id);
    if (!entry) return undefined;
    const generation = this.worker.current;
    const head = await this.headText(uri);
    if (!head || head.text === entry.manifest.text) return undefined;
    if (this.worker.usable) {
      const reply = await this.worker.request(this.index.workspace, generation, undefined, { kind: 'file', file: id, headText: head.text });
      if ('counts' in reply) {
        const counts = reply.counts ?? undefined;
        this.lensCounts.set(id, counts);
        return counts;
      }
      if ('error' in reply) this.log.warn(`connectivity changes: ${reply.error}`);
      // Stale: a newer edit's request follows (the lenses were told to refresh); until then, the last counts.
      if (!('error' in reply) || this.worker.usable) return this.lensCounts.get(id);
    }
    // Runs after the git reads, outside the provider's call: timed on its own.
    return timed('changesLens.diff', () => fileChangeCounts(this.index.workspace, id, head.text))();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const entry = this.index.workspace.get(document.uri.toString());
    // Only files that can change connectivity: policies, workloads, Ingresses, Routes, Namespaces,
    // secondary networks and their MultiNetworkPolicies.
    if (!entry || (entry.policies.length === 0 && entry.workloads.length === 0 && entry.ingresses.length === 0 && entry.namespaces.length === 0
      && !entry.manifest.objects.some(o => multiNetworkPolicyView(o) || networkAttachmentDefinitionView(o)))) return [];
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
    this.worker.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
