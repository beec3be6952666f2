/**
 * Diagnostics as you type. A document is analysed at once when it opens; edits are debounced per
 * document, and results computed for an older document version are dropped. Findings of other open
 * documents are recomputed when any file changes, since rules read cross-file facts (fixing a
 * Deployment's labels clears the Service's warning in another file). Diagnostics clear on close.
 */
import * as vscode from 'vscode';
import { checkFile } from '../core/rules/run';
import type { Finding, RuleSeverity } from '../core/rules/rule';
import type { LineIndex } from '../core/span';
import { fileId, rangeIn, toUri } from './convert';
import type { RenderController } from './render';
import { timed } from './hostTiming';
import type { ExtensionSettings } from './settings';
import { isManifestDocument, type WorkspaceIndex } from './workspaceIndex';

const DEBOUNCE_MS = 250;
const SOURCE = 'kube-netlens';
const LOOKS_LIKE_MANIFEST = /^\s*(?:apiVersion|kind):/m;

const SEVERITY: Record<RuleSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('kube-netlens');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The findings behind the published diagnostics, per file, for code actions and the status bar. */
  private readonly findings = new Map<string, Finding[]>();
  /** Files analysed at least once since they were opened (with `run: onSave`, the rest wait for the scan). */
  private readonly analysed = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidUpdate = this.emitter.event;

  constructor(
    private readonly index: WorkspaceIndex,
    private settings: ExtensionSettings,
    private readonly docsRoot: vscode.Uri,
    private readonly render?: RenderController,
  ) {
    if (render) {
      this.disposables.push(render.onDidChange(() => {
        for (const d of this.openManifests()) this.schedule(d, 0);
      }));
    }
    this.disposables.push(
      this.collection,
      this.emitter,
      index.onDidChange(timed('diagnostics.onIndexChange', change => {
        if (this.settings.run === 'onSave') {
          // Documents open before the first scan finished have not been analysed yet: do it once.
          for (const d of this.openManifests()) if (!this.analysed.has(fileId(d.uri))) this.schedule(d, 0);
          return;
        }
        const changed = new Set(change.files);
        for (const d of this.openManifests()) this.schedule(d, changed.has(fileId(d.uri)) ? DEBOUNCE_MS : DEBOUNCE_MS * 2);
      })),
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
      vscode.workspace.onDidSaveTextDocument(() => {
        if (this.settings.run === 'onSave') for (const d of this.openManifests()) this.schedule(d, 0);
      }),
      vscode.workspace.onDidCloseTextDocument(d => this.clear(d.uri)),
    );
    for (const d of this.openManifests()) this.schedule(d, 0);
  }

  updateSettings(settings: ExtensionSettings): void {
    this.settings = settings;
    for (const d of this.openManifests()) this.schedule(d, 0);
  }

  /** The findings published for a file (empty when none). */
  findingsFor(uri: vscode.Uri): readonly Finding[] {
    return this.findings.get(fileId(uri)) ?? [];
  }

  /** Every published finding, by file. */
  get allFindings(): ReadonlyMap<string, readonly Finding[]> {
    return this.findings;
  }

  /** Analyses scheduled and not run yet (0: what is published follows the index as it is now). */
  get pending(): number {
    return this.timers.size;
  }

  private openManifests(): vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter(isManifestDocument);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isManifestDocument(document)) return;
    const id = fileId(document.uri);
    const pending = this.timers.get(id);
    if (pending) clearTimeout(pending);
    const version = document.version;
    this.timers.set(id, setTimeout(timed('diagnostics.analyse', () => {
      this.timers.delete(id);
      this.analyse(document, version);
    }), delay));
  }

  private analyse(document: vscode.TextDocument, version: number): void {
    if (document.isClosed) return;
    const id = fileId(document.uri);
    if (this.render?.owns(id)) {
      // A base, patch, template or root file: what the renders say about it (computed per render, on save).
      const findings = this.render.findingsFor(id, this.settings.rules);
      this.findings.set(id, findings);
      this.collection.set(document.uri, findings.map(f => this.toDiagnostic(f)).filter((d): d is vscode.Diagnostic => !!d));
      this.emitter.fire();
      return;
    }
    // The index parses a burst of keystrokes once; bring it to this version first.
    if (!this.index.current(document)) return;
    this.analysed.add(id);
    const entry = this.index.workspace.get(id);
    // Only documents that hold a Kubernetes object, or look like one being typed, get diagnostics:
    // other YAML (CI configs, compose files) is not ours to judge.
    const m = entry?.manifest;
    if (!m || (m.objects.length === 0 && !m.skipped && !(m.problems.length && LOOKS_LIKE_MANIFEST.test(m.text)))) {
      this.clear(document.uri);
      return;
    }
    // Until the scan is done, a Service in a file not read yet would look missing, and until the roots
    // are rendered, pods an overlay adds: only the file's own problems (syntax, skipped) are certain;
    // the scan's and the renders' change events schedule the rules. Then the file's findings are the
    // CLI's: with renders, those that also hold beside each render.
    const findings = this.index.isScanning || this.render?.rendering ? checkFile(this.index.workspace, id, this.settings.rules, [])
      : this.render ? this.render.findingsFor(id, this.settings.rules) : checkFile(this.index.workspace, id, this.settings.rules);
    // The document moved on while we computed: a newer run is scheduled, drop this one.
    if (document.version !== version || entry.manifest.text.length !== document.getText().length) return;
    this.findings.set(id, findings);
    this.collection.set(document.uri, findings.map(f => this.toDiagnostic(f)).filter((d): d is vscode.Diagnostic => !!d));
    this.emitter.fire();
  }

  /** The line index of a finding's file: the indexed text, or the source text a render read. */
  private linesOf(file: string): LineIndex | undefined {
    return this.index.workspace.get(file)?.manifest.lines ?? this.render?.linesOf(file);
  }

  private toDiagnostic(f: Finding): vscode.Diagnostic | undefined {
    const lines = this.linesOf(f.file);
    if (!lines) return undefined;
    const d = new vscode.Diagnostic(rangeIn(lines, f.span), f.message, SEVERITY[f.severity]);
    d.source = SOURCE;
    d.code = { value: f.rule, target: vscode.Uri.joinPath(this.docsRoot, `${f.rule}.md`) };
    const related = f.related.flatMap(r => {
      const other = this.linesOf(r.file);
      return other ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(toUri(r.file), rangeIn(other, r.span)), r.message)] : [];
    });
    if (related.length) d.relatedInformation = related;
    return d;
  }

  private clear(uri: vscode.Uri): void {
    const id = fileId(uri);
    const pending = this.timers.get(id);
    if (pending) clearTimeout(pending);
    this.timers.delete(id);
    this.findings.delete(id);
    this.analysed.delete(id);
    this.collection.delete(uri);
    this.emitter.fire();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/** The rule id of one of our diagnostics, or undefined. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  if (d.source !== SOURCE) return undefined;
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}
