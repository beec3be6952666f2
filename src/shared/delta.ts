/**
 * Incremental graph updates: the host sends what changed since the graph the page holds (nodes and
 * edges by id, compared by value), not the whole graph. Pure functions both sides use.
 */
import type { GraphEdge, GraphNode, NetworkGraph } from '../core/graph/model';

export interface GraphDelta {
  /** Nodes added or changed, whole. */
  readonly nodes: readonly GraphNode[];
  readonly removedNodes: readonly string[];
  readonly edges: readonly GraphEdge[];
  readonly removedEdges: readonly string[];
  /**
   * The small parts, whole, only when one of them changed (the frames, the namespaces' names, the
   * notes, the ipBlock reading); absent, the page keeps its own. At 2,000 workloads the 100 frames
   * were most of an edit's delta.
   */
  readonly rest?: Pick<NetworkGraph, 'groups' | 'namespaces' | 'notes' | 'reading'>;
}

/**
 * Items by id. The host's graph keeps the objects of what an edit did not touch, so the next diff
 * compares those by identity and serialises only the items that are new objects.
 */
export type Snapshot = {
  readonly nodes: Map<string, GraphNode>;
  readonly edges: Map<string, GraphEdge>;
  /** The small parts as sent, as text (see {@link GraphDelta.rest}). */
  readonly rest: string;
};

const restOf = (g: NetworkGraph): NonNullable<GraphDelta['rest']> => ({ groups: g.groups, namespaces: g.namespaces, notes: g.notes, reading: g.reading });

export function snapshot(g: NetworkGraph): Snapshot {
  return { nodes: new Map(g.nodes.map(n => [n.id, n])), edges: new Map(g.edges.map(e => [e.id, e])), rest: JSON.stringify(restOf(g)) };
}

/**
 * What turns the graph `before` was taken of into `after`; also the snapshot of `after`, which is
 * `before` updated in place (no map of every item is built again per update): the caller gives
 * `before` up and keeps `next`.
 */
export function diffGraph(before: Snapshot, after: NetworkGraph): { delta: GraphDelta; next: Snapshot } {
  const rest = JSON.stringify(restOf(after));
  const nodes = patchItems(before.nodes, after.nodes);
  const edges = patchItems(before.edges, after.edges);
  return {
    delta: {
      nodes: nodes.changed, removedNodes: nodes.removed, edges: edges.changed, removedEdges: edges.removed,
      ...(rest !== before.rest ? { rest: restOf(after) } : {}),
    },
    next: { nodes: before.nodes, edges: before.edges, rest },
  };
}

/**
 * The items of `items` new or changed against `byId` (an item kept as the same object is not
 * compared), and the ids of `byId` no longer in `items`; `byId` becomes the map of `items`.
 */
function patchItems<T extends { id: string }>(byId: Map<string, T>, items: readonly T[]): { changed: T[]; removed: string[] } {
  const had = byId.size;
  const changed: T[] = [];
  let found = 0;
  for (const x of items) {
    const o = byId.get(x.id);
    if (o !== undefined) found++;
    if (o === x) continue;
    if (o === undefined || JSON.stringify(o) !== JSON.stringify(x)) changed.push(x);
    byId.set(x.id, x);
  }
  const removed: string[] = [];
  // Every old id is among the items (ids are unique): nothing removed, no set of the new ids needed.
  if (found < had) {
    const now = new Set(items.map(x => x.id));
    for (const id of byId.keys()) if (!now.has(id)) removed.push(id);
    for (const id of removed) byId.delete(id);
  }
  return { changed, removed };
}
/** `g` with `d` applied (order: kept items where they were, new ones at the end; the page sorts by id anyway). */
export function applyDelta(g: NetworkGraph, d: GraphDelta): NetworkGraph {
  const patch = <T extends { id: string }>(items: readonly T[], changed: readonly T[], removed: readonly string[]): T[] => {
    const gone = new Set(removed);
    const byId = new Map(changed.map(x => [x.id, x]));
    const out = items.filter(x => !gone.has(x.id)).map(x => { const c = byId.get(x.id); if (c) byId.delete(x.id); return c ?? x; });
    return [...out, ...byId.values()];
  };
  return {
    nodes: patch(g.nodes, d.nodes, d.removedNodes),
    edges: patch(g.edges, d.edges, d.removedEdges),
    ...(d.rest ?? { groups: g.groups, namespaces: g.namespaces, notes: g.notes, reading: g.reading }),
  };
}

/** Whether sending the delta is worth it (else send the whole graph). */
export function isSmall(d: GraphDelta, g: NetworkGraph): boolean {
  return d.nodes.length + d.edges.length + d.removedNodes.length + d.removedEdges.length < (g.nodes.length + g.edges.length) / 2;
}
