/**
 * Keeps the core {@link Workspace} in step with the editor: every manifest under the workspace
 * folders (respecting `files.exclude` and `kubeNetlens.include/exclude`), with the contents of open
 * editors taking precedence over disk. Each change re-parses one document. The first scan reads the
 * files in batches, then parses them on worker threads when there is enough text
 * (src/parallel/parse.ts) and hands them to the workspace in the files' order, in slices that yield
 * between them, with window progress, so the extension host never blocks for long. When workers
 * cannot start, the same slices parse on the host.
 */
import * as vscode from 'vscode';
import { EXCLUDE_GLOBS, MANIFEST_GLOB, globMatcher, isManifestPath } from '../core/files';
import { Workspace } from '../core/workspace';
import { parseInOrder, workerCount, type ParseStats, type ScanFile } from '../parallel/parse';
import { fileId, toUri } from './convert';
import { timed } from './hostTiming';
import type { ExtensionSettings } from './settings';

export interface IndexChange {
  /** Core file ids (URI strings) whose content changed, was added or removed. */
  readonly files: readonly string[];
}

const BATCH = 50;
/** Longest hand-over of the first scan in one extension-host task (ms), then it yields. */
const SCAN_SLICE_MS = 10;
/** Files larger than this are not even read (the size setting skips smaller large files with a message). */
const MAX_READ_BYTES = 64 * 1024 * 1024;
const MANIFEST_LANGUAGES = new Set(['yaml', 'json', 'jsonc', 'dockercompose', 'helm']);

/**
 * Schemes of documents the index follows: files on disk and untitled editors, plus the schemes of
 * the workspace folders in a virtual workspace. `git:` (a diff's HEAD side), `output:` and other
 * virtual documents are never indexed: they would count as a second copy of every object.
 */
function indexedScheme(scheme: string): boolean {
  if (scheme === 'file' || scheme === 'untitled') return true;
  return (vscode.workspace.workspaceFolders ?? []).some(f => f.uri.scheme === scheme);
}

/** Whether an open document is one the index follows even outside the workspace folders. */
export function isManifestDocument(document: vscode.TextDocument): boolean {
  if (!indexedScheme(document.uri.scheme)) return false;
  return MANIFEST_LANGUAGES.has(document.languageId) || isManifestPath(document.uri.path);
}

/** How long typing may run ahead of the index: a burst of keystrokes is parsed once, at its last version. */
const PARSE_DEBOUNCE_MS = 60;

export class WorkspaceIndex implements vscode.Disposable {
  readonly workspace: Workspace;
  private readonly emitter = new vscode.EventEmitter<IndexChange>();
  /** Fires after the index changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private watcher: vscode.FileSystemWatcher | undefined;
  /** Files found on disk by the scan or the watcher (as opposed to open-only documents). */
  private readonly onDisk = new Set<string>();
  private scanning: Promise<void> | undefined;
  /** Files a render root owns: they enter the analysis through the render, not as loose manifests. */
  private excluded: ReadonlySet<string> = new Set();
  private scanningNow = false;
  private scanGeneration = 0;
  /** How the last finished scan parsed its files (worker threads or the host), for the log and the tests. */
  lastScan: (ParseStats & { readonly files: number }) | undefined;
  /**
   * The first scan's worker script (undefined: `parse-worker.js` next to the extension). The
   * integration tests point it at a missing file to take the host path, as when workers cannot start.
   */
  parseWorkerScript: string | undefined;
  /** Text from which the first scan parses on workers (undefined: `MIN_PARALLEL_CHARS`); the integration tests lower it. */
  minParallelChars: number | undefined;

  constructor(private settings: ExtensionSettings, private readonly log: vscode.LogOutputChannel) {
    this.workspace = new Workspace(settings.analysis);
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(timed('index.onDidOpen', d => this.fromDocument(d))),
      vscode.workspace.onDidChangeTextDocument(timed('index.onDidChangeTextDocument', e => {
        if (e.contentChanges.length) this.schedule(e.document);
      })),
      vscode.workspace.onDidCloseTextDocument(d => void this.documentClosed(d)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
    );
    for (const d of vscode.workspace.textDocuments) this.fromDocument(d, false);
  }

  /** Manifest files found on disk (core ids), including those a render root owns. */
  get diskFiles(): readonly string[] {
    return [...this.onDisk];
  }

  /**
   * Keeps `owned` files out of the workspace (a render root analyses them); files no longer owned
   * are read back in. Fires a change when the workspace changed.
   */
  async setExcluded(owned: ReadonlySet<string>): Promise<void> {
    const before = this.excluded;
    this.excluded = owned;
    const changed: string[] = [];
    for (const id of owned) if (this.workspace.delete(id)) changed.push(id);
    for (const id of before) {
      if (owned.has(id)) continue;
      // A file deleted from disk is no manifest any more, though its closed document may linger.
      const doc = vscode.workspace.textDocuments.find(d => fileId(d.uri) === id && (this.onDisk.has(id) || d.isDirty));
      const text = doc ? doc.getText() : this.onDisk.has(id) ? await this.read(toUri(id)) : undefined;
      if (text !== undefined && !this.excluded.has(id)) {
        this.workspace.set(id, text);
        changed.push(id);
      }
    }
    if (changed.length) this.emitter.fire({ files: changed });
  }

  /** Whether a render root owns the file (it is not in the workspace as a loose manifest). */
  isExcluded(id: string): boolean {
    return this.excluded.has(id);
  }

  /** Resolves when the current scan of the workspace folders has finished. */
  get ready(): Promise<void> {
    return this.scanning ?? Promise.resolve();
  }

  /** True while a scan runs: cross-file facts are incomplete, so findings would be premature. */
  get isScanning(): boolean {
    return this.scanningNow;
  }

  updateSettings(settings: ExtensionSettings): void {
    const rescan = JSON.stringify([settings.include, settings.exclude, settings.analysis.maxFileSize, settings.maxFiles])
      !== JSON.stringify([this.settings.include, this.settings.exclude, this.settings.analysis.maxFileSize, this.settings.maxFiles]);
    this.settings = settings;
    this.workspace.updateSettings(settings.analysis);
    if (rescan) void this.rescan();
    else this.emitter.fire({ files: this.workspace.fileNames });
  }

  /** Scans the workspace folders from scratch (open documents keep precedence). */
  rescan(): Promise<void> {
    const generation = ++this.scanGeneration;
    this.scanningNow = true;
    const scanning = Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Kube NetLens: indexing manifests' },
      progress => this.scan(generation, progress),
    )).catch(e => {
      this.log.error(`indexing failed: ${(e as Error).stack ?? e}`);
      return [] as string[];
    }).then(changed => {
      // A newer scan took over: it reports when it is done.
      if (generation !== this.scanGeneration) return;
      this.scanningNow = false;
      this.emitter.fire({ files: changed });
    });
    this.scanning = scanning;
    this.watch();
    return scanning;
  }

  private excludeGlob(): string {
    const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, boolean>>('exclude') ?? {};
    const globs = [...EXCLUDE_GLOBS, ...this.settings.exclude, ...Object.keys(filesExclude).filter(k => filesExclude[k] === true)];
    // Brace groups don't nest: a pattern that has its own braces can't be joined with the others.
    return `{${globs.filter(g => !/[{}]/.test(g)).join(',')}}`;
  }

  /** The exclude glob's matcher, for the watcher (compiled again only when the glob changes). */
  private excludeMatcher: { glob: string; matches: (relativePath: string) => boolean } | undefined;

  /** Whether the scan's exclude glob (the same one {@link scan} passes to `findFiles`) excludes `uri`. */
  private excludedByGlob(uri: vscode.Uri): boolean {
    const glob = this.excludeGlob();
    if (this.excludeMatcher?.glob !== glob) this.excludeMatcher = { glob, matches: globMatcher(glob) };
    // `findFiles` matches its exclude on the path relative to the file's workspace folder.
    return this.excludeMatcher.matches(vscode.workspace.asRelativePath(uri, false));
  }

  private includeGlobs(): string[] {
    return this.settings.include.length ? [...this.settings.include] : [MANIFEST_GLOB];
  }

  /** Reads every manifest of the workspace folders; returns the files whose content it set. */
  private async scan(generation: number, progress: vscode.Progress<{ message?: string }>): Promise<string[]> {
    const changed: string[] = [];
    if (!vscode.workspace.workspaceFolders?.length) return changed;
    const started = Date.now();
    const exclude = this.excludeGlob();
    const found = new Map<string, vscode.Uri>();
    // Only files known before the search can be stale: one the watcher heard of while `findFiles`
    // ran (created meanwhile) is not in its answer, yet on disk.
    const known = [...this.onDisk];
    for (const glob of this.includeGlobs()) {
      for (const uri of await vscode.workspace.findFiles(glob, exclude, this.settings.maxFiles)) found.set(fileId(uri), uri);
    }
    if (generation !== this.scanGeneration) return changed;
    for (const stale of known.filter(f => !found.has(f))) {
      this.onDisk.delete(stale);
      if (!this.isOpen(stale) && this.workspace.delete(stale)) changed.push(stale);
      // A file a render root owned is in no workspace: its root hears of it all the same.
      else if (this.excluded.has(stale)) changed.push(stale);
    }
    const uris = [...found.values()];
    // Read first (I/O, the host stays free), then parse: on worker threads when there is enough text.
    const read: Array<{ file: string; text: string } | undefined> = new Array(uris.length);
    for (let i = 0; i < uris.length; i += BATCH) {
      if (generation !== this.scanGeneration) return changed;
      progress.report({ message: `reading ${i}/${uris.length} files` });
      await Promise.all(uris.slice(i, i + BATCH).map(async (uri, k) => {
        const id = fileId(uri);
        this.onDisk.add(id);
        if (this.isOpen(id) || this.excluded.has(id)) return;
        const text = await this.read(uri);
        if (text !== undefined) read[i + k] = { file: id, text };
      }));
    }
    // Files the index holds with this text (a rescan) are set again as today, without a worker's parse.
    const files: ScanFile[] = read.filter((f): f is { file: string; text: string } => !!f)
      .map(f => ({ ...f, known: this.workspace.get(f.file)?.manifest.text === f.text }));
    const threads = workerCount(files.reduce((k, f) => k + (f.known ? 0 : f.text.length), 0), undefined, this.minParallelChars);
    const stats = await parseInOrder(files, {
      maxFileSize: this.settings.analysis.maxFileSize,
      threads,
      sliceMs: SCAN_SLICE_MS,
      script: this.parseWorkerScript,
      cancelled: () => generation !== this.scanGeneration,
      each: (i, previous) => {
        const { file: id, text } = files[i]!;
        if (i % 500 === 0) progress.report({ message: `${i}/${files.length} files` });
        // Since the file was read, it may have been opened (the editor's text wins) or become a render root's.
        if (this.excluded.has(id) || this.isOpen(id)) return;
        this.workspace.set(id, text, previous ? { previous } : {});
        changed.push(id);
      },
    });
    // A newer scan took over: it reads the files again.
    if (stats.stopped) return changed;
    for (const why of stats.failures) this.log.warn(`indexing: ${why}; parsing on the extension host instead`);
    this.lastScan = { ...stats, files: files.length };
    const how = stats.threads ? `, ${stats.fromWorkers} parsed on ${stats.threads} worker threads, ${stats.onThisThread} on the host` : '';
    this.log.info(`indexed ${uris.length} files, ${this.workspace.objects.length} objects in ${Date.now() - started} ms${how} (longest host task ${Math.round(stats.longestTaskMs)} ms)`);
    return changed;
  }

  private watch(): void {
    this.watcher?.dispose();
    const pattern = this.includeGlobs().length === 1 ? this.includeGlobs()[0]! : `{${this.includeGlobs().join(',')}}`;
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const reload = async (uri: vscode.Uri) => {
      const id = fileId(uri);
      if (this.isOpen(id) || !this.inScope(uri)) return;
      this.onDisk.add(id);
      if (this.excluded.has(id)) {
        this.emitter.fire({ files: [id] });
        return;
      }
      const text = await this.read(uri);
      // Opened while it was read: the editor's text wins. Dropped by a scan meanwhile (deleted, or
      // now excluded), or owned by a root found meanwhile: it stays out.
      if (text === undefined || this.isOpen(id) || !this.onDisk.has(id) || this.excluded.has(id)) return;
      this.workspace.set(id, text);
      this.emitter.fire({ files: [id] });
    };
    watcher.onDidCreate(reload);
    watcher.onDidChange(reload);
    watcher.onDidDelete(uri => {
      const id = fileId(uri);
      this.onDisk.delete(id);
      if ((!this.isOpen(id) && this.workspace.delete(id)) || this.excluded.has(id)) this.emitter.fire({ files: [id] });
    });
    this.watcher = watcher;
  }

  private inScope(uri: vscode.Uri): boolean {
    // A file the scan would not find (under `kubeNetlens.exclude`, `files.exclude` or a dependency
    // folder) is not indexed when it changes on disk either.
    return !!vscode.workspace.getWorkspaceFolder(uri) && !this.excludedByGlob(uri);
  }

  private async read(uri: vscode.Uri): Promise<string | undefined> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_READ_BYTES) {
        this.log.info(`not indexed: ${uri.toString(true)} is ${Math.round(stat.size / 1048576)} MB`);
        return undefined;
      }
      return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      this.log.warn(`cannot read ${uri.toString(true)}: ${(e as Error).message}`);
      return undefined;
    }
  }

  private isOpen(id: string): boolean {
    return vscode.workspace.textDocuments.some(d => fileId(d.uri) === id);
  }

  /** Edits waiting to be parsed, per file: only the newest version is ever parsed. */
  private readonly pending = new Map<string, { document: vscode.TextDocument; timer: ReturnType<typeof setTimeout> }>();

  private schedule(document: vscode.TextDocument): void {
    if (!isManifestDocument(document)) return;
    const id = fileId(document.uri);
    const before = this.pending.get(id);
    if (before) clearTimeout(before.timer);
    this.pending.set(id, { document, timer: setTimeout(timed('index.parse', () => this.flush(document)), PARSE_DEBOUNCE_MS) });
  }

  /**
   * Brings the index up to the document's current text now, when an edit is still waiting; a hover,
   * a definition or a quick fix asks before it reads. Returns whether the index holds this version.
   */
  current(document: vscode.TextDocument): boolean {
    this.flush(document);
    return this.indexedVersions.get(fileId(document.uri)) === document.version;
  }

  /** The document version each open file was last indexed at. */
  private readonly indexedVersions = new Map<string, number>();

  private flush(document: vscode.TextDocument): void {
    const id = fileId(document.uri);
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (!document.isClosed) this.fromDocument(document);
  }

  private fromDocument(document: vscode.TextDocument, fire = true): void {
    if (!isManifestDocument(document)) return;
    const id = fileId(document.uri);
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(id);
    }
    if (this.excluded.has(id)) return;
    this.workspace.set(id, document.getText());
    this.indexedVersions.set(id, document.version);
    if (fire) this.emitter.fire({ files: [id] });
  }

  private async documentClosed(document: vscode.TextDocument): Promise<void> {
    const id = fileId(document.uri);
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.timer);
      this.pending.delete(id);
    }
    this.indexedVersions.delete(id);
    if (!this.workspace.has(id) || this.excluded.has(id)) return;
    // Back to what is on disk, or out of the index when the file is not part of the workspace scan.
    const text = this.onDisk.has(id) ? await this.read(document.uri) : undefined;
    if (this.isOpen(id) || this.excluded.has(id)) return;
    if (text === undefined) this.workspace.delete(id);
    else this.workspace.set(id, text);
    this.emitter.fire({ files: [id] });
  }

  dispose(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
