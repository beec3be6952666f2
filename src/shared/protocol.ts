/**
 * The messages between the diagram panel (extension host) and its page (webview). Types only: both
 * sides import this file, and nothing else crosses the boundary.
 */
import type { GraphOptions, NetworkGraph } from '../core/graph/model';
import type { Span } from '../core/span';
import type { GraphDelta } from './delta';

export type { GraphDelta } from './delta';

export type { Badge, EdgeKind, GraphEdge, GraphGroup, GraphNode, GraphOptions, NetworkGraph, NodeKind, PolicyRef, SourceLocation } from '../core/graph/model';

/**
 * When the host made a `graph` or `delta` message, for the page's timing figures (test/e2e reads
 * them from the page's body): `graphMs` building or updating the graph, `messageMs` diffing and
 * preparing the message, `sentAt` the host's clock (Date.now()) when it posted it; `graphCpuMs` the
 * extension host process's CPU time while building or updating the graph (every thread, so the
 * collector's too: well under `graphMs` means the host waited for a core), `build` how the graph
 * came (`incremental ns,…`, `whole: reason`, or `cached` when the generation's graph was known).
 */
export interface HostTiming {
  readonly graphMs: number;
  readonly messageMs: number;
  readonly sentAt: number;
  readonly graphCpuMs?: number;
  readonly build?: string;
}

/**
 * What the host is still computing of the whole graph (a first picture comes before them, see
 * src/vscode/diagram/panel.ts): `flows` the allowed flows, `dns` the DNS references' edges. A
 * message without it is complete.
 */
export type GraphPending = 'flows' | 'dns';

/** Host → page. */
export type HostMessage =
  /**
   * A new graph (after `ready`, an options change, or a workspace change). `reading` is the ipBlock
   * reading used. `partial`: the index is still reading files, so the page lays the picture out
   * afresh instead of keeping frames where they were (the layout then depends only on the files).
   * `pending`: a first picture, the rest follows as deltas (the page says so, and lays the complete
   * graph out as if it had come at once).
   */
  | { readonly type: 'graph'; readonly graph: NetworkGraph; readonly options: GraphOptions; readonly reading: string; readonly partial?: boolean; readonly pending?: GraphPending; readonly timing?: HostTiming }
  /** What changed since the last `graph` or `delta` the page received, under the same options. */
  | { readonly type: 'delta'; readonly delta: GraphDelta; readonly options: GraphOptions; readonly partial?: boolean; readonly pending?: GraphPending; readonly timing?: HostTiming }
  /** The editor's cursor moved into the object this node stands for: highlight it. */
  | { readonly type: 'select'; readonly nodeId: string }
  /** The colour theme changed (the page re-reads colours it cached, e.g. for export). */
  | { readonly type: 'theme' }
  /** The answer to `explain`: why the flow exists, one line each (empty when it is no longer a flow). */
  | { readonly type: 'explanation'; readonly edgeId: string; readonly lines: readonly string[] };

/** Page → host. */
export type PageMessage =
  /** The page is listening: send the graph, built with the options the page restored from its state. */
  | { readonly type: 'ready'; readonly options?: GraphOptions }
  /** Open `file` and select `span` (a click on a node or an edge). */
  | { readonly type: 'reveal'; readonly file: string; readonly span: Span }
  /** The toolbar changed what to show. */
  | { readonly type: 'options'; readonly options: GraphOptions }
  /** The side panel opened a flow that came without its explanation: compute it. */
  | { readonly type: 'explain'; readonly edgeId: string }
  /** Save the picture: `data` is SVG text, or a PNG as a `data:image/png;base64,` URL. */
  | { readonly type: 'export'; readonly format: 'png' | 'svg'; readonly data: string };

/** The page's own choices of what to draw from the graph (the host's options filter the graph before). */
export interface DiagramViewState {
  /** "policy": what the policies allow; "dependencies": who calls whom by DNS name. */
  readonly mode: 'policy' | 'dependencies';
  /** Draw the flows the "open" badges already say (neither end isolated in the flow's direction). */
  readonly showOpen: boolean;
  /** Namespace frames (group ids, or `outside`) drawn as one small box. */
  readonly collapsed: readonly string[];
  /** Aggregated edges (`agg:<group>-><group>`) drawn as their member edges. */
  readonly expanded: readonly string[];
  /**
   * Each Service that selects exactly one workload is drawn inside that workload's box (its name
   * under the workload's), not as a box of its own; its edges go to the workload.
   */
  readonly foldServices?: boolean;
}

/** What the page keeps in `vscode.setState` to come back as it was (ids are stable across rebuilds). */
export interface PageState {
  readonly options: GraphOptions;
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
  readonly selected: string | undefined;
  readonly view?: DiagramViewState;
  /**
   * Where each frame stood (group id → x, y), for the options and view named by `framesKey`: an
   * update or a reload keeps frames there, so an edit moves nothing outside the edited namespace.
   */
  readonly frames?: Readonly<Record<string, readonly [number, number]>>;
  readonly framesKey?: string;
  /** How those frames were shaped for the panel (webview/layout.ts `FrameShape`): kept with them. */
  readonly shape?: { readonly aspect: number; readonly outsideColumns: number; readonly wrapFlows?: boolean };
}
