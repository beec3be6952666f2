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

/** What turns the graph `before` was taken of into `after`; also the snapshot of `after`. */
export function diffGraph(before: Snapshot, after: NetworkGraph): { delta: GraphDelta; next: Snapshot } {
  const next = snapshot(after);
  const changed = <T extends { id: string }>(items: readonly T[], old: Map<string, T>) => items.filter(x => {
    const o = old.get(x.id);
    return o !== x && (o === undefined || JSON.stringify(o) !== JSON.stringify(x));
  });
  const removed = <T>(old: Map<string, T>, now: Map<string, T>) => [...old.keys()].filter(id => !now.has(id));
  return {
    delta: {
      nodes: changed(after.nodes, before.nodes), removedNodes: removed(before.nodes, next.nodes),
      edges: changed(after.edges, before.edges), removedEdges: removed(before.edges, next.edges),
      ...(next.rest !== before.rest ? { rest: restOf(after) } : {}),
    },
    next,
  };
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
