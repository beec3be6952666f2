/**
 * Incremental graph updates: the host sends what changed since the graph the page holds (nodes and
 * edges by id, compared by value), not the whole graph. Pure functions both sides use.
 */
import type { GraphEdge, GraphNode, NetworkGraph, SourceLocation } from '../core/graph/model';

/**
 * Text moved in a file by an edit: every offset at or after `from` is `by` further (an edit that
 * replaced the text between `from - removed` and `from`). The page applies it to the locations of
 * the items it holds; the host leaves out of the delta every item the shift alone turns into its
 * new value (most of what follows a typed character in its file).
 */
export interface TextShift {
  readonly file: string;
  readonly from: number;
  readonly by: number;
}

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
  /** Applied to the page's items before the rest of the delta (see {@link TextShift}). */
  readonly shifts?: readonly TextShift[];
}

/** The shift of one file's offsets from `before` to `after` (their common start and end); undefined when nothing moved. */
export function textShift(file: string, before: string, after: string): TextShift | undefined {
  const max = Math.min(before.length, after.length);
  let head = 0;
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const by = after.length - before.length;
  return by === 0 ? undefined : { file, from: before.length - tail, by };
}

/** What {@link textShifts} reads of a workspace's file changes (core/workspace.ts FileChange). */
interface TextChange {
  readonly file: string;
  readonly before: { readonly manifest: { readonly text: string } } | undefined;
  readonly after: { readonly manifest: { readonly text: string } } | undefined;
}

/** The shifts of the files `changes` edited (oldest first; a file's first text against its last), a file added or deleted has none. */
export function textShifts(changes: readonly TextChange[]): TextShift[] {
  const texts = new Map<string, { before: string | undefined; after: string | undefined }>();
  for (const c of changes) {
    const t = texts.get(c.file);
    if (t) t.after = c.after?.manifest.text;
    else texts.set(c.file, { before: c.before?.manifest.text, after: c.after?.manifest.text });
  }
  const out: TextShift[] = [];
  for (const [file, { before, after }] of texts) {
    const s = before !== undefined && after !== undefined ? textShift(file, before, after) : undefined;
    if (s) out.push(s);
  }
  return out;
}

function shiftLocation(l: SourceLocation, shifts: readonly TextShift[]): SourceLocation {
  let { start, end } = l.span;
  for (const t of shifts) {
    if (t.file !== l.file) continue;
    if (start >= t.from) start += t.by;
    if (end >= t.from) end += t.by;
  }
  return start === l.span.start && end === l.span.end ? l : { ...l, span: { ...l.span, start, end } };
}

/** A node with its locations shifted (the same object when none moved). */
export function shiftNode(n: GraphNode, shifts: readonly TextShift[]): GraphNode {
  const source = n.source && shiftLocation(n.source, shifts);
  const policies = n.policies?.map(p => { const s = shiftLocation(p.source, shifts); return s === p.source ? p : { ...p, source: s }; });
  if (source === n.source && (!policies || policies.every((p, i) => p === n.policies![i]))) return n;
  return { ...n, ...(source ? { source } : {}), ...(policies ? { policies } : {}) };
}

/** An edge with its location shifted (the same object when it did not move). */
export function shiftEdge(e: GraphEdge, shifts: readonly TextShift[]): GraphEdge {
  const sourceLocation = e.sourceLocation && shiftLocation(e.sourceLocation, shifts);
  return sourceLocation === e.sourceLocation ? e : { ...e, sourceLocation };
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
export function diffGraph(before: Snapshot, after: NetworkGraph, shifts: readonly TextShift[] = []): { delta: GraphDelta; next: Snapshot } {
  const rest = JSON.stringify(restOf(after));
  const nodes = patchItems(before.nodes, after.nodes, shifts.length ? n => shiftNode(n, shifts) : undefined);
  const edges = patchItems(before.edges, after.edges, shifts.length ? e => shiftEdge(e, shifts) : undefined);
  return {
    delta: {
      nodes: nodes.changed, removedNodes: nodes.removed, edges: edges.changed, removedEdges: edges.removed,
      ...(rest !== before.rest ? { rest: restOf(after) } : {}),
      ...(shifts.length ? { shifts } : {}),
    },
    next: { nodes: before.nodes, edges: before.edges, rest },
  };
}

/**
 * The items of `items` new or changed against `byId` (an item kept as the same object is not
 * compared; one that `shift` turns into its new value is not sent), and the ids of `byId` no longer
 * in `items`; `byId` becomes the map of `items`.
 */
function patchItems<T extends { id: string }>(byId: Map<string, T>, items: readonly T[], shift?: (x: T) => T): { changed: T[]; removed: string[] } {
  const had = byId.size;
  const changed: T[] = [];
  let found = 0;
  for (const x of items) {
    const o = byId.get(x.id);
    if (o !== undefined) found++;
    // The same object: unchanged, unless the page's shift would move it (then it goes as it is).
    if (o === x) { if (shift && shift(x) !== x) changed.push(x); continue; }
    if (o === undefined) changed.push(x);
    else {
      const now = JSON.stringify(x);
      if (JSON.stringify(o) !== now && (!shift || JSON.stringify(shift(o)) !== now)) changed.push(x);
    }
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
  const shifts = d.shifts ?? [];
  if (shifts.length) g = { ...g, nodes: g.nodes.map(n => shiftNode(n, shifts)), edges: g.edges.map(e => shiftEdge(e, shifts)) };
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
