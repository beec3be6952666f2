// Measurements of a drawn diagram, no DOM (the bench and the unit tests run them in Node, the e2e
// test on the page's own layout): edge crossings, overlapping labels, labels over nodes, edges
// through nodes that are not their ends, Services off the row of the workload they select, and how
// many nodes an update moved. Spatial hashing keeps them near linear on 2,000 workloads.

export interface Box { x: number; y: number; w: number; h: number }
export type Point = [number, number];

/** What the metrics need of a layout: node boxes, edges as polylines, label boxes. */
export interface Drawing {
  readonly nodes: ReadonlyMap<string, Box>;
  readonly edges: ReadonlyArray<{ readonly id: string; readonly source: string; readonly target: string; readonly pts: readonly Point[] }>;
  readonly labels: ReadonlyArray<Box>;
}

export interface DrawingMetrics {
  crossings: number;
  overlappingLabels: number;
  labelsOverNodes: number;
  edgesThroughNodes: number;
}

const CELL = 400;

/** Buckets of a uniform grid: every item listed in each cell its box touches. */
class Grid<T> {
  private readonly cells = new Map<string, T[]>();
  add(b: Box, item: T): void {
    for (const k of keys(b)) {
      const list = this.cells.get(k);
      if (list) list.push(item);
      else this.cells.set(k, [item]);
    }
  }
  near(b: Box): Set<T> {
    const out = new Set<T>();
    for (const k of keys(b)) for (const x of this.cells.get(k) ?? []) out.add(x);
    return out;
  }
}
function keys(b: Box): string[] {
  const out: string[] = [];
  for (let i = Math.floor(b.x / CELL); i <= Math.floor((b.x + b.w) / CELL); i++) {
    for (let j = Math.floor(b.y / CELL); j <= Math.floor((b.y + b.h) / CELL); j++) out.push(`${i},${j}`);
  }
  return out;
}

export const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const segBox = (p: Point, q: Point): Box => ({ x: Math.min(p[0], q[0]), y: Math.min(p[1], q[1]), w: Math.abs(p[0] - q[0]), h: Math.abs(p[1] - q[1]) });

function orient(a: Point, b: Point, c: Point): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-9 ? 0 : Math.sign(v);
}
/** Proper crossing of two segments (touching ends and collinear overlaps do not count). */
function cross(a: Point, b: Point, c: Point, d: Point): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}
/** Whether the segment enters the box shrunk by 2 px (an edge that only grazes a side does not count). */
export function segmentHitsBox(p: Point, q: Point, b: Box): boolean {
  const x0 = b.x + 2, y0 = b.y + 2, x1 = b.x + b.w - 2, y1 = b.y + b.h - 2;
  let t0 = 0, t1 = 1;
  const dx = q[0] - p[0], dy = q[1] - p[1];
  for (const [pp, qq] of [[-dx, p[0] - x0], [dx, x1 - p[0]], [-dy, p[1] - y0], [dy, y1 - p[1]]] as const) {
    if (pp === 0) { if (qq < 0) return false; continue; }
    const r = qq / pp;
    if (pp < 0) { if (r > t1) return false; if (r > t0) t0 = r; } else { if (r < t0) return false; if (r < t1) t1 = r; }
  }
  return t0 < t1;
}

/** Crossings between edges (pairs of segments of different edges that do not share an end node), overlaps of labels with labels and nodes, edges through other nodes. */
export function measureDrawing(d: Drawing): DrawingMetrics {
  const segs: Array<{ e: number; p: Point; q: Point }> = [];
  const grid = new Grid<number>();
  d.edges.forEach((e, i) => {
    for (let k = 0; k + 1 < e.pts.length; k++) {
      const s = { e: i, p: e.pts[k]!, q: e.pts[k + 1]! };
      grid.add(segBox(s.p, s.q), segs.length);
      segs.push(s);
    }
  });
  // One crossing per pair of edges, however many of their segments cross.
  const crossed = new Set<string>();
  segs.forEach((s, i) => {
    for (const j of grid.near(segBox(s.p, s.q))) {
      if (j <= i) continue;
      const t = segs[j]!;
      if (t.e === s.e) continue;
      const a = d.edges[s.e]!, b = d.edges[t.e]!;
      if (a.source === b.source || a.source === b.target || a.target === b.source || a.target === b.target) continue;
      const key = s.e < t.e ? `${s.e},${t.e}` : `${t.e},${s.e}`;
      if (!crossed.has(key) && cross(s.p, s.q, t.p, t.q)) crossed.add(key);
    }
  });
  const nodeGrid = new Grid<string>();
  for (const [id, b] of d.nodes) nodeGrid.add(b, id);
  const through = new Set<number>();
  for (const s of segs) {
    if (through.has(s.e)) continue;
    const e = d.edges[s.e]!;
    for (const id of nodeGrid.near(segBox(s.p, s.q))) {
      if (id === e.source || id === e.target) continue;
      if (segmentHitsBox(s.p, s.q, d.nodes.get(id)!)) { through.add(s.e); break; }
    }
  }
  const labelGrid = new Grid<number>();
  d.labels.forEach((b, i) => labelGrid.add(b, i));
  let overlappingLabels = 0;
  let labelsOverNodes = 0;
  d.labels.forEach((b, i) => {
    for (const j of labelGrid.near(b)) if (j > i && overlaps(b, d.labels[j]!)) overlappingLabels++;
    for (const id of nodeGrid.near(b)) if (overlaps(b, d.nodes.get(id)!)) { labelsOverNodes++; break; }
  });
  return { crossings: crossed.size, overlappingLabels, labelsOverNodes, edgesThroughNodes: through.size };
}

/** Node ids whose box moved (or changed size) between two layouts, among the nodes both have. */
export function movedNodes(before: ReadonlyMap<string, Box>, after: ReadonlyMap<string, Box>): string[] {
  const out: string[] = [];
  for (const [id, a] of before) {
    const b = after.get(id);
    if (b && (Math.abs(a.x - b.x) > 0.5 || Math.abs(a.y - b.y) > 0.5)) out.push(id);
  }
  return out.sort();
}

/** A cubic Bézier sampled into `n` segments. */
export function sampleCubic(c: readonly number[], n = 8): Point[] {
  const out: Point[] = [];
  for (let i = 0; i <= n; i++) {
    const t = i / n, u = 1 - t;
    const a = u * u * u, b = 3 * u * u * t, cc = 3 * u * t * t, dd = t * t * t;
    out.push([a * c[0]! + b * c[2]! + cc * c[4]! + dd * c[6]!, a * c[1]! + b * c[3]! + cc * c[5]! + dd * c[7]!]);
  }
  return out;
}

/** Services drawn on no row of a workload they select (their vertical extents do not meet). */
export function servicesOffRow(nodes: ReadonlyMap<string, Box>, selects: ReadonlyArray<{ readonly source: string; readonly target: string }>): string[] {
  const targets = new Map<string, string[]>();
  for (const e of selects) targets.set(e.source, [...(targets.get(e.source) ?? []), e.target]);
  const out: string[] = [];
  for (const [s, ws] of targets) {
    const a = nodes.get(s);
    if (!a) continue;
    const beside = ws.some(w => { const b = nodes.get(w); return b !== undefined && a.y < b.y + b.h && b.y < a.y + a.h && b.x > a.x; });
    if (!beside) out.push(s);
  }
  return out.sort();
}

/**
 * Edges drawn across a frame that is not one of their ends' frames (`frameOf` maps an edge end, a
 * node or a frame, to its frame). Frames' sides grazed within 2 px do not count.
 */
export function edgesThroughFrames(frames: ReadonlyMap<string, Box>, edges: Drawing['edges'], frameOf: (id: string) => string): string[] {
  const grid = new Grid<string>();
  for (const [id, b] of frames) grid.add(b, id);
  const out: string[] = [];
  for (const e of edges) {
    const ends = new Set([frameOf(e.source), frameOf(e.target)]);
    let hit = false;
    for (let k = 0; !hit && k + 1 < e.pts.length; k++) {
      const p = e.pts[k]!, q = e.pts[k + 1]!;
      for (const id of grid.near(segBox(p, q))) if (!ends.has(id) && segmentHitsBox(p, q, frames.get(id)!)) { hit = true; break; }
    }
    if (hit) out.push(e.id);
  }
  return out.sort();
}
