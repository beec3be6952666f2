// The diagram's layout: deterministic, linear in the size of the graph, no DOM (the bench runs it in
// Node). Inside a namespace frame, three columns read left to right like the traffic: Ingresses,
// Services, workloads, each Service on the row of the first workload it selects. Frames are packed
// in shelves toward a wide aspect ratio; peers outside the cluster stand in a column on the left.
// docs/diagram.md says why this beat elkjs and cytoscape-fcose on 2,000 workloads.
import type { GraphEdge, NetworkGraph } from '../shared/protocol';

export interface Box { x: number; y: number; w: number; h: number }

/** A cubic Bézier: start, two control points, end. */
export type Curve = [number, number, number, number, number, number, number, number];

export interface Layout {
  readonly nodes: Map<string, Box>;
  readonly groups: Map<string, Box>;
  readonly edges: Map<string, Curve>;
  readonly width: number;
  readonly height: number;
}

export const NODE_W = 200;
export const NODE_H = 58;
const COL_GAP = 70;
const ROW_GAP = 18;
const FRAME_PAD = 18;
const FRAME_TITLE = 28;
const FRAME_GAP = 60;
const OUTSIDE_W = NODE_W + 2 * FRAME_GAP;
const BULGE_MAX = 200;

const COLUMN: Record<string, number> = { ingress: 0, service: 1, workload: 2 };

/** Rows per column, reserving the first free row at or after the one asked. */
class Grid {
  private readonly used = [new Set<number>(), new Set<number>(), new Set<number>()];
  rows = 0;
  place(col: number, wanted: number): number {
    let r = wanted;
    while (this.used[col]!.has(r)) r++;
    this.used[col]!.add(r);
    this.rows = Math.max(this.rows, r + 1);
    return r;
  }
  nextFree(col: number): number {
    let r = 0;
    while (this.used[col]!.has(r)) r++;
    return r;
  }
}

function layoutFrame(members: string[], kindOf: Map<string, string>, out: Map<string, [number, number]>, edges: readonly GraphEdge[]): { cols: number; rows: number } {
  const inFrame = new Set(members);
  const selects = new Map<string, string[]>();
  const routes = new Map<string, string[]>();
  for (const e of edges) {
    if (!inFrame.has(e.source) || !inFrame.has(e.target)) continue;
    const map = e.kind === 'selects' ? selects : e.kind === 'routes' ? routes : undefined;
    if (!map) continue;
    const list = map.get(e.source) ?? [];
    list.push(e.target);
    map.set(e.source, list);
  }
  const grid = new Grid();
  const byKind = (k: string) => members.filter(id => kindOf.get(id) === k);
  const cellOf = new Map<string, number>();
  let nextWorkloadRow = 0;
  for (const s of byKind('service')) {
    const targets = selects.get(s) ?? [];
    let row: number | undefined;
    for (const w of targets) {
      if (cellOf.has(w)) { row ??= cellOf.get(w); continue; }
      const r = grid.place(2, nextWorkloadRow);
      nextWorkloadRow = r + 1;
      cellOf.set(w, r);
      row ??= r;
    }
    cellOf.set(s, grid.place(1, row ?? grid.nextFree(1)));
  }
  for (const w of byKind('workload')) if (!cellOf.has(w)) cellOf.set(w, grid.place(2, grid.nextFree(2)));
  for (const i of byKind('ingress')) {
    const first = (routes.get(i) ?? []).map(s => cellOf.get(s)).find(r => r !== undefined);
    cellOf.set(i, grid.place(0, first ?? grid.nextFree(0)));
  }
  const usedCols = [0, 1, 2].filter(c => members.some(id => COLUMN[kindOf.get(id)!] === c));
  const colIndex = new Map(usedCols.map((c, i) => [c, i]));
  for (const id of members) out.set(id, [colIndex.get(COLUMN[kindOf.get(id)!]!)!, cellOf.get(id)!]);
  return { cols: usedCols.length, rows: grid.rows };
}

/** Positions for every node, group and edge of `graph`. */
export function layoutGraph(graph: NetworkGraph): Layout {
  const kindOf = new Map(graph.nodes.map(n => [n.id, n.kind]));
  const byGroup = new Map<string, string[]>();
  const outside: string[] = [];
  for (const n of graph.nodes) {
    if (!n.parent) { outside.push(n.id); continue; }
    const list = byGroup.get(n.parent) ?? [];
    list.push(n.id);
    byGroup.set(n.parent, list);
  }

  const nodes = new Map<string, Box>();
  const groups = new Map<string, Box>();
  const frames: Array<{ id: string; w: number; h: number; cells: Map<string, [number, number]> }> = [];
  for (const g of graph.groups) {
    const members = byGroup.get(g.id) ?? [];
    const cells = new Map<string, [number, number]>();
    const { cols, rows } = layoutFrame(members, kindOf, cells, graph.edges);
    const w = Math.max(1, cols) * NODE_W + Math.max(0, cols - 1) * COL_GAP + 2 * FRAME_PAD;
    const h = FRAME_TITLE + Math.max(1, rows) * NODE_H + Math.max(0, rows - 1) * ROW_GAP + 2 * FRAME_PAD;
    frames.push({ id: g.id, w, h, cells });
  }

  const area = frames.reduce((a, f) => a + (f.w + FRAME_GAP) * (f.h + FRAME_GAP), 0);
  const widest = frames.reduce((a, f) => Math.max(a, f.w), 0);
  const shelfWidth = Math.max(widest, Math.sqrt(area * 1.8));
  const left = outside.length ? OUTSIDE_W : 0;
  let x = 0;
  let y = 0;
  let shelfH = 0;
  let width = left;
  for (const f of frames) {
    if (x > 0 && x + f.w > shelfWidth) { x = 0; y += shelfH + FRAME_GAP; shelfH = 0; }
    const fx = left + x;
    groups.set(f.id, { x: fx, y, w: f.w, h: f.h });
    for (const [id, [c, r]] of f.cells) {
      nodes.set(id, { x: fx + FRAME_PAD + c * (NODE_W + COL_GAP), y: y + FRAME_TITLE + FRAME_PAD + r * (NODE_H + ROW_GAP), w: NODE_W, h: NODE_H });
    }
    x += f.w + FRAME_GAP;
    shelfH = Math.max(shelfH, f.h);
    width = Math.max(width, fx + f.w);
  }
  const framesHeight = frames.length ? y + shelfH : 0;
  // The ingress controller first, then external ranges in address order (the ids sort that way).
  outside.sort((a, b) => (kindOf.get(a) === 'ingress-controller' ? -1 : kindOf.get(b) === 'ingress-controller' ? 1 : a.localeCompare(b)));
  const outsideHeight = outside.length * (NODE_H + ROW_GAP);
  const top = Math.max(0, (Math.min(framesHeight, 2000) - outsideHeight) / 2);
  outside.forEach((id, i) => nodes.set(id, { x: 0, y: top + i * (NODE_H + ROW_GAP), w: NODE_W, h: NODE_H }));

  const edges = new Map<string, Curve>();
  const lanes = new Map<string, number>();
  for (const e of graph.edges) {
    const a = nodes.get(e.source);
    const b = nodes.get(e.target);
    if (!a || !b) continue;
    const pair = e.source < e.target ? `${e.source}|${e.target}` : `${e.target}|${e.source}`;
    const lane = lanes.get(pair) ?? 0;
    lanes.set(pair, lane + 1);
    edges.set(e.id, route(a, b, lane));
  }
  // Room on the right for the bulge of edges between nodes of one column.
  return { nodes, groups, edges, width: width + BULGE_MAX, height: Math.max(framesHeight, top + outsideHeight) };
}

/** A curve from `a` to `b`, leaving and entering on the sides that face each other. */
function route(a: Box, b: Box, lane: number): Curve {
  const ay = a.y + a.h / 2 + lane * 8;
  const by = b.y + b.h / 2 + lane * 8;
  if (b.x >= a.x + a.w) {
    const sx = a.x + a.w, tx = b.x, d = Math.max(30, (tx - sx) / 2);
    return [sx, ay, sx + d, ay, tx - d, by, tx, by];
  }
  if (b.x + b.w <= a.x) {
    const sx = a.x, tx = b.x + b.w, d = Math.max(30, (sx - tx) / 2);
    return [sx, ay, sx - d, ay, tx + d, by, tx, by];
  }
  // Same column: bulge to the right, wider for rows further apart.
  const sx = a.x + a.w, tx = b.x + b.w, d = 40 + Math.min(BULGE_MAX - 60, Math.abs(by - ay) / 4) + Math.min(20, lane * 12);
  return [sx, ay, sx + d, ay, tx + d, by, tx, by];
}

/** The point halfway along a curve (for its label). */
export function midpoint(c: Curve): [number, number] {
  return [(c[0] + 3 * c[2] + 3 * c[4] + c[6]) / 8, (c[1] + 3 * c[3] + 3 * c[5] + c[7]) / 8];
}
