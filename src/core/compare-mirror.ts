/**
 * The comparisons with a git revision (src/vscode/changes.ts) run off the extension host, on a
 * worker thread that keeps its own copy of the workspace. This module is both halves, free of
 * Node APIs so that the unit tests drive them in-process:
 * - {@link MirrorFeed} (host side) says what changed in the live workspace since the last message:
 *   the files whose entry was replaced (their text), the files gone, and the settings when they
 *   changed. Walking the file list by entry identity costs a pass over the files, no parsing.
 * - {@link ComparisonMirror} (worker side) applies those deltas to its copy, keeps the workspace of
 *   each revision it is given, and computes what the editor shows: the status bar's comparison with
 *   the revision and the CodeLens's "what do this file's uncommitted edits do". Both are
 *   `connectivityDiffAllNetworks` (the pod network and each secondary one) on the same texts in the
 *   same order as the host would have used, so the results are the host's exactly; only where they
 *   are computed moves.
 */
import { changeCounts, changeLines, changeMarks, type ChangeCounts, type ChangeMarks } from './graph/changes';
import { connectivityDiffAllNetworks } from './net/policy/secondary-diff';
import type { AnalysisSettings } from './settings';
import { Workspace, type FileEntry } from './workspace';

/** A file's text as the mirror needs it. */
export interface MirrorFile {
  readonly file: string;
  readonly text: string;
}

/** What changed in the live workspace since the previous delta. */
export interface MirrorDelta {
  /** The settings, when they changed (always in the first delta). */
  readonly settings?: AnalysisSettings;
  /** Files forgotten, or forgotten and indexed again (then also in `set`, at their new place). Applied first. */
  readonly remove: readonly string[];
  /** Files new or with a new entry, in workspace order. */
  readonly set: readonly MirrorFile[];
}

/** The host's side: deltas of one live workspace, for one mirror. */
export class MirrorFeed {
  private readonly sent = new Map<string, { entry: FileEntry; order: number | undefined }>();
  private settingsKey: string | undefined;

  /** What changed in `ws` since the last call (everything at the first call). */
  delta(ws: Workspace): MirrorDelta {
    const remove: string[] = [];
    const set: MirrorFile[] = [];
    const settingsKey = JSON.stringify(ws.settings);
    const settings = settingsKey !== this.settingsKey ? ws.settings : undefined;
    this.settingsKey = settingsKey;
    const seen = new Set<string>();
    for (const entry of ws.files) {
      const file = entry.manifest.file;
      seen.add(file);
      const before = this.sent.get(file);
      if (before?.entry === entry) continue;
      const order = ws.orderOf(file);
      // Deleted and indexed again: the file moved to the end of workspace order; so must the copy's.
      if (before && before.order !== order) remove.push(file);
      set.push({ file, text: entry.manifest.text });
      this.sent.set(file, { entry, order });
    }
    for (const file of [...this.sent.keys()]) {
      if (!seen.has(file)) {
        remove.push(file);
        this.sent.delete(file);
      }
    }
    return settings ? { settings, remove, set } : { remove, set };
  }
}

/** The status bar's comparison: counts, and each changed pair for the log. */
export interface MirrorComparison {
  readonly counts: ChangeCounts;
  /** `added src => dst` (` on <network>` on a secondary network) per pair that is not unchanged, in the diff's order. */
  readonly changes: readonly string[];
  /** The marks the diagram's changes mode lays over its graph, when asked for. */
  readonly marks?: ChangeMarks;
}

/** The worker's side: a copy of the live workspace and the workspaces of revisions. */
export class ComparisonMirror {
  readonly live = new Workspace();
  /** The workspace of the last revision given (one: the host compares with one revision at a time). */
  private base: { key: string; ws: Workspace } | undefined;

  /** Applies a {@link MirrorDelta} of the live workspace. */
  apply(delta: MirrorDelta): void {
    if (delta.settings) this.live.updateSettings(delta.settings);
    for (const file of delta.remove) this.live.delete(file);
    for (const f of delta.set) this.live.set(f.file, f.text);
  }

  /** The workspace of the revision `key`: its files, with the live settings (as the host builds it). */
  setBase(key: string, files: readonly MirrorFile[]): void {
    const ws = new Workspace(this.live.settings);
    for (const f of files) {
      const live = this.live.get(f.file);
      ws.set(f.file, f.text, live ? { previous: live.manifest } : {});
    }
    this.base = { key, ws };
  }

  /**
   * The live workspace against the revision `key` (undefined when that revision is not held), with
   * the diagram's marks when `marksLabel` names the revision for them.
   */
  compare(key: string, marksLabel?: string): MirrorComparison | undefined {
    if (this.base?.key !== key) return undefined;
    const diff = connectivityDiffAllNetworks(this.base.ws, this.live);
    const out = { counts: changeCounts(diff), changes: changeLines(diff) };
    return marksLabel === undefined ? out : { ...out, marks: changeMarks(diff, this.live, this.base.ws, marksLabel) };
  }

  /**
   * What the uncommitted edits of `file` do: the live workspace with `file` as at HEAD (`headText`;
   * undefined: HEAD does not track it, so the file is left out) against the live one.
   */
  fileChanges(file: string, headText: string | undefined): ChangeCounts | undefined {
    if (!this.live.has(file)) return undefined;
    // The editor asks again for the same lenses (scrolling, focus): one answer per generation and text.
    const last = this.lastFile;
    if (last && last.generation === this.live.generation && last.file === file && last.headText === headText) return last.counts;
    const counts = fileChangeCounts(this.live, file, headText);
    this.lastFile = { generation: this.live.generation, file, headText, counts };
    return counts;
  }

  private lastFile: { generation: number; file: string; headText: string | undefined; counts: ChangeCounts } | undefined;
}

/** The counts of what `ws`'s `file` changes against its text at HEAD (`headText`; undefined: untracked). */
export function fileChangeCounts(ws: Workspace, file: string, headText: string | undefined): ChangeCounts {
  return changeCounts(connectivityDiffAllNetworks(withFileAt(ws, file, headText), ws));
}

/**
 * `ws` with `file` replaced by `text` (left out when undefined), placed last; every other file's
 * parse is handed over, not redone. The CodeLens's "before" side.
 */
export function withFileAt(ws: Workspace, file: string, text: string | undefined): Workspace {
  const out = new Workspace(ws.settings);
  for (const f of ws.files) {
    if (f.manifest.file !== file) out.set(f.manifest.file, f.manifest.text, { previous: f.manifest });
  }
  if (text !== undefined) out.set(file, text);
  return out;
}
