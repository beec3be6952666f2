/**
 * The messages between the diagram panel (extension host) and its page (webview). Types only: both
 * sides import this file, and nothing else crosses the boundary.
 */
import type { GraphOptions, NetworkGraph } from '../core/graph/model';
import type { Span } from '../core/span';

export type { Badge, EdgeKind, GraphEdge, GraphGroup, GraphNode, GraphOptions, NetworkGraph, NodeKind, PolicyRef, SourceLocation } from '../core/graph/model';

/** Host → page. */
export type HostMessage =
  /** A new graph (after `ready`, an options change, or a workspace change). `reading` is the ipBlock reading used. */
  | { readonly type: 'graph'; readonly graph: NetworkGraph; readonly options: GraphOptions; readonly reading: string }
  /** The editor's cursor moved into the object this node stands for: highlight it. */
  | { readonly type: 'select'; readonly nodeId: string }
  /** The colour theme changed (the page re-reads colours it cached, e.g. for export). */
  | { readonly type: 'theme' };

/** Page → host. */
export type PageMessage =
  /** The page is listening: send the graph, built with the options the page restored from its state. */
  | { readonly type: 'ready'; readonly options?: GraphOptions }
  /** Open `file` and select `span` (a click on a node or an edge). */
  | { readonly type: 'reveal'; readonly file: string; readonly span: Span }
  /** The toolbar changed what to show. */
  | { readonly type: 'options'; readonly options: GraphOptions }
  /** Save the picture: `data` is SVG text, or a PNG as a `data:image/png;base64,` URL. */
  | { readonly type: 'export'; readonly format: 'png' | 'svg'; readonly data: string };

/** What the page keeps in `vscode.setState` to come back as it was (ids are stable across rebuilds). */
export interface PageState {
  readonly options: GraphOptions;
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
  readonly selected: string | undefined;
}
