/** Messages between src/vscode/changes.ts and its worker thread (src/vscode/changesWorker.ts). */
import type { MirrorComparison, MirrorDelta, MirrorFile } from '../core/compare-mirror';
import type { ChangeCounts } from '../core/graph/changes';

interface RequestBase {
  readonly seq: number;
  /** The live workspace's changes since the previous request (applied even when the answer is stale). */
  readonly delta: MirrorDelta;
  /** The host's edit generation when it asked. */
  readonly generation: number;
  /** The workspace of the revision, when the worker does not hold it yet. */
  readonly base?: { readonly key: string; readonly files: readonly MirrorFile[] };
}

export type WorkerRequest =
  | (RequestBase & { readonly kind: 'compare'; readonly key: string; /** Also the diagram's marks, naming the revision so. */ readonly marks?: string })
  | (RequestBase & { readonly kind: 'file'; readonly file: string; readonly headText: string | undefined });

export type WorkerReply =
  | { readonly seq: number; readonly stale: true }
  | { readonly seq: number; readonly needsBase: true }
  | { readonly seq: number; readonly comparison: MirrorComparison }
  | { readonly seq: number; readonly counts: ChangeCounts | null }
  | { readonly seq: number; readonly error: string };
