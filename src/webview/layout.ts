// The diagram's layout, no DOM (the bench and the unit tests run it in Node). Two levels:
// - inside a namespace frame, columns read left to right like the traffic: Ingresses, Services,
//   workloads. A workload is as tall as the Services it anchors, so every Service stands on the row
//   of the first workload (by id) it selects, whatever other workloads have two Services;
// - the frames (namespaces, collapsed namespaces) are laid out as a graph of their own, one node
//   per frame and one edge per aggregated pair, by dagre's layered layout (top to bottom) per
//   connected component, components packed in shelves; the outside of the cluster is a column on
//   the left (bench/layout-libraries.ts
//   measured it against elkjs: docs/diagram.md);
// - positions remembered from the previous layout are kept: a frame stays where it was unless its
//   new size would overlap another, so an edit moves nothing outside the edited namespace;
// - edge labels are placed along their edge where they overlap no other label and no node, else
//   shown only on hover and selection.
// Everything is sorted by id first, so the layout does not depend on the order files were read in.
import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../shared/protocol';
import { overlaps, sampleCubic, type Box, type Point } from './metrics';
import { COLLAPSED_BOX_H, MARGIN, NAME_PX, READABLE_PX, nameSizeAtFit, collapsedWidth, crossesBoxes, gridFrames, gridRoute, obstacleIndex, port, routeAround, simplify, BoxIndex } from './route';
import { OUTSIDE, groupOf, type Aggregate, type View, type ViewGroup, type ViewSubgroup } from './view';

export type { Box, Point } from './metrics';

/** An edge as drawn: an SVG path and the polyline it approximates (for labels, metrics, culling). */
export interface EdgeGeom { readonly d: string; readonly pts: readonly Point[] }

export interface Layout {
  readonly nodes: Map<string, Box>;
  readonly groups: Map<string, Box>;
  /** Node-to-node edges and aggregates, by id. */
  readonly edges: Map<string, EdgeGeom>;
  /** Label boxes of the edges whose label fits without overlap, by edge id. */
  readonly labels: Map<string, Box>;
  readonly width: number;
  readonly height: number;
  /** How its frames were shaped (pass it back as `LayoutOptions.shape` to keep them). */
  readonly shape: FrameShape;
  /** The outline of each expanded group inside a namespace (view.ts `subgroups`): one box per band its rows stand in. */
  readonly subframes: Map<string, Box[]>;
}

export const NODE_W = 200;
export const NODE_H = 58;
const COL_GAP = 70;
const ROW_GAP = 18;
const FRAME_PAD = 18;
const FRAME_TITLE = 28;
/** Room on the right of a frame for edges between nodes of its last column. */
const BULGE = 70;
const FRAME_GAP = 80;
const COLLAPSED_H = FRAME_TITLE + 34;
export const LABEL_H = 15;
export const labelWidth = (text: string): number => Math.min(text.length, 28) * 6.2 + 8;

const COLUMN: Record<string, number> = { ingress: 0, service: 1, workload: 2, external: 0, 'ingress-controller': 0 };
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Names in natural order (team-2 before team-10), the same in every session. */
const NATURAL = new Intl.Collator('en', { numeric: true });

interface Frame { id: string; w: number; h: number; cells: Map<string, Box> }

/** Positions of a frame's members relative to its top left corner. */
function layoutFrame(members: GraphNode[], edges: readonly GraphEdge[], outside: boolean, shape: FrameShape, compact = false, rowGroup?: ReadonlyMap<string, string>): Frame['cells'] & { w?: number } {
  const cells = new Map<string, Box>();
  const ids = new Set(members.map(n => n.id));
  const kind = new Map(members.map(n => [n.id, n.kind]));
  if (outside) {
    // The ingress controller first, then external ranges in id (address) order.
    const order = [...members].sort((a, b) => (a.kind === 'ingress-controller' ? -1 : b.kind === 'ingress-controller' ? 1 : byId(a.id, b.id)));
    // One column left of the picture, or rows of `outsideColumns` above it.
    const cols = Math.max(1, shape.outsideColumns);
    order.forEach((n, i) => cells.set(n.id, { x: FRAME_PAD + (i % cols) * (NODE_W + COL_GAP), y: FRAME_TITLE + FRAME_PAD + Math.floor(i / cols) * (NODE_H + ROW_GAP), w: NODE_W, h: NODE_H }));
    return cells;
  }
  const selects = new Map<string, string[]>();
  const routes = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    const map = e.kind === 'selects' ? selects : e.kind === 'routes' ? routes : undefined;
    if (!map) continue;
    const list = map.get(e.source);
    if (list) list.push(e.target); else map.set(e.source, [e.target]);
  }
  const of = (k: string) => members.filter(n => n.kind === k).map(n => n.id);
  const arcs = edges.filter(e => e.kind !== 'selects' && e.kind !== 'routes' && kind.get(e.source) === 'workload' && kind.get(e.target) === 'workload' && e.source !== e.target && ids.has(e.source) && ids.has(e.target));
  // Rows of one group (view.ts `rowGroup`) stand together, groups and the others by name.
  const grouped = rowGroup !== undefined && members.some(n => rowGroup.has(n.id));
  const workloads = grouped ? rowsByGroup(members.filter(n => n.kind === 'workload'), rowGroup) : orderRows(of('workload'), arcs);
  const services = of('service'), ingresses = of('ingress');
  // Each Service is anchored at the first workload (by id) it selects.
  const anchored = new Map<string, string[]>();
  const loose: string[] = [];
  for (const s of services) {
    const anchor = (selects.get(s) ?? []).filter(w => kind.get(w) === 'workload').sort(byId)[0];
    if (anchor) anchored.set(anchor, [...(anchored.get(anchor) ?? []), s]);
    else loose.push(s);
  }
  const row = new Map<string, number>();
  const used: Array<Set<number>> = [new Set(), new Set(), new Set()];
  let rows = 0;
  for (const w of workloads) {
    const own = anchored.get(w) ?? [];
    const span = Math.max(1, own.length);
    row.set(w, rows);
    own.forEach((s, i) => { row.set(s, rows + i); used[1]!.add(rows + i); });
    for (let i = 0; i < span; i++) used[2]!.add(rows + i);
    cells.set(w, { x: 0, y: 0, w: NODE_W, h: span * NODE_H + (span - 1) * ROW_GAP });
    rows += span;
  }
  // Compact (the Services folded into their workloads): loose Services and Ingresses get rows of
  // their own below the workloads, in the workloads' column, rather than columns of their own.
  const column = (n: GraphNode) => (compact && (n.kind === 'ingress' || loose.includes(n.id)) ? 2 : COLUMN[n.kind]!);
  for (const s of loose) { row.set(s, rows); (compact ? used[2]! : used[1]!).add(rows); rows++; }
  if (compact) for (const i of ingresses) { row.set(i, rows); used[2]!.add(rows); rows++; }
  for (const i of compact ? [] : ingresses) {
    let r = (routes.get(i) ?? []).map(s => row.get(s)).filter((x): x is number => x !== undefined).sort((a, b) => a - b)[0] ?? 0;
    while (used[0]!.has(r)) r++;
    used[0]!.add(r);
    row.set(i, r);
    rows = Math.max(rows, r + 1);
  }
  const usedCols = [0, 1, 2].filter(c => members.some(n => column(n) === c));
  const colX = new Map(usedCols.map((c, i) => [c, FRAME_PAD + i * (NODE_W + COL_GAP)]));
  const band = arcs.length > 0 && !shape.wrapFlows ? (r: number): [number, number] => [0, r]
    : bands(workloads.map(w => Math.max(1, anchored.get(w)?.length ?? 0)), rows, usedCols.length, arcs.length > 0, shape.aspect, grouped ? workloads.map(w => rowGroup.get(w) ?? w) : undefined);
  const bandW = bandStride(usedCols.length, arcs.length > 0);
  // An expanded group's rows (view.ts `rowGroup`: members map to their group, a collapsed group's
  // box to itself) start under a title line, in each band they stand in.
  const titled = new Map<number, Set<number>>();
  if (grouped) {
    let last: string | undefined, lastBand = -1;
    for (const w of workloads) {
      const g = rowGroup.get(w);
      const [b, r] = band(row.get(w)!);
      if (g !== undefined && g !== w && (g !== last || b !== lastBand)) {
        const t = titled.get(b);
        if (t) t.add(r); else titled.set(b, new Set([r]));
      }
      last = g; lastBand = b;
    }
  }
  const titlesAbove = (b: number, r: number) => { let k = 0; for (const t of titled.get(b) ?? []) if (t <= r) k++; return k * SUBFRAME_TITLE; };
  for (const n of members) {
    const [b, r] = band(row.get(n.id) ?? 0);
    const prev = cells.get(n.id);
    cells.set(n.id, { x: colX.get(column(n))! + b * bandW, y: FRAME_TITLE + FRAME_PAD + r * (NODE_H + ROW_GAP) + titlesAbove(b, r), w: NODE_W, h: prev?.h ?? NODE_H });
  }
  return cells;
}

/** Workload rows with a group's (or a group's box) together, ordered by the group's name or the workload's, then by id. */
function rowsByGroup(workloads: readonly GraphNode[], rowGroup: ReadonlyMap<string, string>): string[] {
  const key = (n: GraphNode) => { const g = rowGroup.get(n.id); return g === undefined ? n.label : g.slice(g.indexOf('/') + 1); };
  return [...workloads].sort((a, b) => NATURAL.compare(key(a), key(b)) || byId(key(a), key(b)) || byId(a.id, b.id)).map(n => n.id);
}

/** Room between an expanded group's rows and its outline (rows are `ROW_GAP` apart: outlines of adjacent groups do not meet). */
const SUBFRAME_PAD = 6;
/** The title line above an expanded group's rows. */
export const SUBFRAME_TITLE = 20;

/** Rows of a frame taller than this may be wrapped into bands side by side. */
const WRAP_ROWS = 6;
const BAND_GAP = 40;

/**
 * How frames are shaped for the panel: `aspect`, the width / height a tall frame is wrapped
 * toward (the panel's); `outsideColumns`, 0 for the outside of the cluster as a column left of the
 * picture, else the number of its nodes per row in a frame above the picture.
 */
export interface FrameShape {
  readonly aspect: number;
  readonly outsideColumns: number;
  /**
   * Frames with flows drawn between their rows are wrapped too (their flows between bands routed
   * around the nodes): when one namespace holds at least half the picture's nodes, so that wrapping
   * it is what makes the picture fit; not in pictures of many namespaces, where packing the frames
   * does (and wrapping would add crossings).
   */
  readonly wrapFlows?: boolean;
}

/** From one band of a frame to the next: its columns, and room for the arcs' bulge when flows run between its rows. */
const bandStride = (columns: number, arcs: boolean): number => columns * (NODE_W + COL_GAP) + (arcs ? BAND_GAP : 60 - COL_GAP);

/**
 * Maps a row to (band, row in band). A frame of many rows is cut into bands of equal height, about
 * `aspect` times as wide as tall (the panel's shape), so that at Fit its names stay as large as a
 * small frame's; a workload and the Services on its rows stay in one band. Flows between rows of
 * different bands are routed around the nodes (`layoutView`). Otherwise one band.
 */
function bands(spans: readonly number[], rows: number, columns: number, arcs: boolean, aspect: number, units?: readonly string[]): (row: number) => [number, number] {
  if (rows <= WRAP_ROWS) return r => [0, r];
  const bandW = bandStride(columns, arcs);
  const count = Math.max(1, Math.round(Math.sqrt((aspect * rows * (NODE_H + ROW_GAP)) / bandW)));
  const perBand = Math.max(WRAP_ROWS / 2, Math.ceil(rows / count));
  // The rows of one group (`units`: each workload's group, consecutive) stay in one band when they fit in one.
  const whole: number[] = [];
  for (let i = 0; i < spans.length;) {
    let j = i, sum = 0;
    while (j < spans.length && (j === i || (units !== undefined && units[j] === units[i]))) sum += spans[j++]!;
    if (sum <= perBand) whole.push(sum); else whole.push(...spans.slice(i, j));
    i = j;
  }
  const starts = [0];
  let at = 0, inBand = 0;
  for (const span of whole) {
    if (inBand > 0 && inBand + span > perBand) { starts.push(at); inBand = 0; }
    at += span; inBand += span;
  }
  return r => {
    let b = 0;
    while (b + 1 < starts.length && starts[b + 1]! <= r) b++;
    return [b, r - starts[b]!];
  };
}

/** Pairs of arcs (edges between rows of one column, drawn as bulges on one side) that cross in `order`. */
function arcCrossings(order: readonly string[], arcs: ReadonlyArray<{ source: string; target: string }>): number {
  const at = new Map(order.map((id, i) => [id, i]));
  const spans = arcs.map(a => { const x = at.get(a.source)!, y = at.get(a.target)!; return [Math.min(x, y), Math.max(x, y)] as const; });
  let n = 0;
  for (let i = 0; i < spans.length; i++) {
    const [a, b] = spans[i]!;
    for (let j = i + 1; j < spans.length; j++) {
      const [c, d] = spans[j]!;
      if ((a < c && c < b && b < d) || (c < a && a < d && d < b)) n++;
    }
  }
  return n;
}

/**
 * The order of a frame's workload rows: by id, then improved by barycentre sweeps (each row moved
 * toward the rows it has flows with), kept only when that draws fewer crossing arcs. Deterministic:
 * ties go by id. Skipped above 400 arcs (an unrestricted namespace drawn with its open flows).
 */
function orderRows(ids: string[], arcs: ReadonlyArray<{ source: string; target: string }>): string[] {
  if (arcs.length < 2 || arcs.length > 400) return ids;
  const adj = new Map<string, string[]>(ids.map(id => [id, []]));
  for (const a of arcs) { adj.get(a.source)?.push(a.target); adj.get(a.target)?.push(a.source); }
  let best = ids, bestScore = arcCrossings(ids, arcs), order = ids;
  for (let sweep = 0; sweep < 6 && bestScore > 0; sweep++) {
    const at = new Map(order.map((id, i) => [id, i]));
    const bary = new Map(order.map((id, i) => {
      const ns = adj.get(id)!;
      return [id, ns.length ? ns.reduce((s, m) => s + at.get(m)!, i) / (ns.length + 1) : i];
    }));
    order = [...order].sort((a, b) => bary.get(a)! - bary.get(b)! || byId(a, b));
    const score = arcCrossings(order, arcs);
    if (score < bestScore) { best = order; bestScore = score; }
  }
  return best;
}

function frameSize(cells: Map<string, Box>, collapsed: boolean, bulge: boolean, label: string): { w: number; h: number } {
  // A collapsed namespace is a small box sized to its name (see route.ts: the grid of collapsed namespaces).
  if (collapsed) return { w: collapsedWidth(label), h: COLLAPSED_BOX_H };
  if (cells.size === 0) return { w: NODE_W + 2 * FRAME_PAD + 40, h: COLLAPSED_H };
  let w = 0, h = 0;
  for (const b of cells.values()) { w = Math.max(w, b.x + b.w); h = Math.max(h, b.y + b.h); }
  return { w: w + FRAME_PAD + (bulge ? BULGE : 0), h: h + FRAME_PAD };
}

/** Between the outside column and the namespaces: room for the routes from the column (a trunk and the gaps' lanes, 20 px apart). */
const OUTSIDE_GAP = FRAME_GAP + 60;

/**
 * Positions of frames as a graph. The outside of the cluster is a column on the left; namespace
 * frames are laid out by dagre (layered, top to bottom) per connected component, a component taller
 * than the target height cut into bands of ranks set side by side, components packed in shelves
 * toward a wide aspect ratio. `points` are dagre's routes of the links it laid out (around the frames between).
 */
export function placeFrames(frames: ReadonlyArray<{ id: string; w: number; h: number }>, links: ReadonlyArray<{ id: string; source: string; target: string }>, opts: { aspect?: number; outsideTop?: boolean } = {}): { pos: Map<string, { x: number; y: number }>; points: Map<string, Point[]> } {
  const pos = new Map<string, { x: number; y: number }>();
  const points = new Map<string, Point[]>();
  // The outside of the cluster with no edge drawn to it (its flows all open, said by badges) is
  // packed like any other frame, not set left of or above the picture.
  const linked = links.some(l => l.source === OUTSIDE || l.target === OUTSIDE);
  const outside = linked ? frames.find(f => f.id === OUTSIDE) : undefined;
  const inner = linked ? frames.filter(f => f.id !== OUTSIDE) : [...frames];
  const innerLinks = links.filter(l => l.source !== OUTSIDE && l.target !== OUTSIDE && l.source !== l.target);
  const parent = new Map(inner.map(f => [f.id, f.id]));
  const find = (x: string): string => { let r = x; while (parent.get(r) !== r) r = parent.get(r)!; parent.set(x, r); return r; };
  for (const l of innerLinks) { const a = find(l.source), b = find(l.target); if (a !== b) parent.set(a < b ? b : a, a < b ? a : b); }
  const comps = new Map<string, Array<typeof frames[number]>>();
  for (const f of inner) { const r = find(f.id); comps.set(r, [...(comps.get(r) ?? []), f]); }
  const area = inner.reduce((s, f) => s + (f.w + FRAME_GAP) * (f.h + FRAME_GAP), 0);
  const widest = inner.reduce((m, f) => Math.max(m, f.w), 0);
  const aspect = opts.aspect ?? 1.8;
  const target = Math.max(widest, Math.sqrt(area * aspect));
  const boxes: Array<{ ids: string[]; links: string[]; w: number; h: number }> = [];
  for (const members of comps.values()) {
    if (members.length === 1) {
      const f = members[0]!;
      pos.set(f.id, { x: 0, y: 0 });
      boxes.push({ ids: [f.id], links: [], w: f.w, h: f.h });
      continue;
    }
    const inComp = new Set(members.map(f => f.id));
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'TB', nodesep: FRAME_GAP, ranksep: FRAME_GAP * 1.5, edgesep: 20, marginx: 0, marginy: 0 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const f of members) g.setNode(f.id, { width: f.w, height: f.h });
    const own = innerLinks.filter(l => inComp.has(l.source));
    for (const l of own) g.setEdge(l.source, l.target, {}, l.id);
    dagre.layout(g);
    const raw = new Map(members.map(f => { const n = g.node(f.id); return [f.id, { x: n.x - f.w / 2, y: n.y - f.h / 2, w: f.w, h: f.h }]; }));
    const height = Math.max(...[...raw.values()].map(b => b.y + b.h));
    // Too tall (a long chain of namespaces): cut the ranks into bands and set them side by side.
    const targetH = target / aspect;
    const band = (b: Box) => (height > targetH * 1.5 ? Math.floor(b.y / targetH) : 0);
    const bandTop: number[] = [];
    const widths: number[] = [];
    for (const b of raw.values()) {
      const k = band(b);
      bandTop[k] = Math.min(bandTop[k] ?? Infinity, b.y);
    }
    const minX: number[] = [];
    for (const b of raw.values()) { const k = band(b); minX[k] = Math.min(minX[k] ?? Infinity, b.x); widths[k] = Math.max(widths[k] ?? 0, b.x + b.w); }
    const bandLeft: number[] = [];
    let left = 0;
    for (let k = 0; k < widths.length; k++) {
      if (widths[k] === undefined) continue;
      bandLeft[k] = left - (minX[k] ?? 0);
      left += widths[k]! - (minX[k] ?? 0) + FRAME_GAP;
    }
    let w = 0, h = 0;
    for (const [id, b] of raw) {
      const k = band(b);
      const p = { x: b.x + (bandLeft[k] ?? 0), y: b.y - (bandTop[k] ?? 0) };
      pos.set(id, p);
      w = Math.max(w, p.x + b.w);
      h = Math.max(h, p.y + b.h);
    }
    const kept: string[] = [];
    for (const l of own) {
      const ks = band(raw.get(l.source)!), kt = band(raw.get(l.target)!);
      if (ks !== kt) continue;
      points.set(l.id, (g.edge(l.source, l.target, l.id).points ?? []).map((p: { x: number; y: number }) => [p.x + (bandLeft[ks] ?? 0), p.y - (bandTop[ks] ?? 0)] as Point));
      kept.push(l.id);
    }
    boxes.push({ ids: members.map(f => f.id), links: kept, w, h });
  }
  // Larger components first, then by id.
  boxes.sort((a, b) => b.ids.length - a.ids.length || byId(a.ids[0]!, b.ids[0]!));
  const above = outside !== undefined && opts.outsideTop === true;
  const left = outside && !above ? outside.w + OUTSIDE_GAP : 0;
  // A margin on top: routes from the outside column run in the gap above the frames (none to route: no margin).
  const top = links.some(l => l.source === OUTSIDE || l.target === OUTSIDE) ? FRAME_GAP / 2 + 8 : 0;
  if (outside) pos.set(OUTSIDE, { x: 0, y: top });
  const y0 = above ? top + outside.h + FRAME_GAP : top;
  // Components in shelves (rows) toward the aspect ratio; or, when that fits the panel better, in
  // columns (a tall component and the small ones stacked beside it).
  const shelves = new Map<typeof boxes[number], [number, number]>();
  let x = 0, y = 0, shelfH = 0;
  for (const b of boxes) {
    if (x > 0 && x + b.w > target) { x = 0; y += shelfH + FRAME_GAP; shelfH = 0; }
    shelves.set(b, [x, y]);
    x += b.w + FRAME_GAP;
    shelfH = Math.max(shelfH, b.h);
  }
  let at = shelves;
  if (boxes.length > 1) {
    const score = (p: ReadonlyMap<typeof boxes[number], [number, number]>) => {
      let w = 0, h = 0;
      for (const [b, [bx, by]] of p) { w = Math.max(w, bx + b.w); h = Math.max(h, by + b.h); }
      w = left + Math.max(w, above ? outside.w : 0);
      h = Math.max(y0 + h, outside && !above ? top + outside.h : 0);
      return Math.min(aspect / w, 1 / h);
    };
    let best = score(shelves);
    const tallest = [...boxes].sort((a, b) => b.h - a.h || byId(a.ids[0]!, b.ids[0]!));
    for (const limit of new Set(tallest.map(b => b.h))) {
      if (limit < tallest[0]!.h) break;
      const cols = new Map<typeof boxes[number], [number, number]>();
      let cx = 0, cy = 0, colW = 0;
      for (const b of tallest) {
        if (cy > 0 && cy + b.h > limit) { cx += colW + FRAME_GAP; cy = 0; colW = 0; }
        cols.set(b, [cx, cy]);
        cy += b.h + FRAME_GAP;
        colW = Math.max(colW, b.w);
      }
      const sc = score(cols);
      if (sc > best * 1.02) { best = sc; at = cols; }
    }
  }
  for (const b of boxes) {
    const [bx, by] = at.get(b)!;
    const dx = bx + left, dy = by + y0;
    for (const id of b.ids) { const p = pos.get(id)!; pos.set(id, { x: p.x + dx, y: p.y + dy }); }
    for (const id of b.links) points.set(id, points.get(id)!.map(([px, py]) => [px + dx, py + dy] as Point));
  }
  return { pos, points };
}

/** A cubic between the facing sides of `a` and `b` (`lane` shifts parallel edges apart). */
function curveBetween(a: Box, b: Box, lane: number, ay = a.y + a.h / 2, by = b.y + b.h / 2): number[] {
  const off = lane * 8;
  ay += off; by += off;
  if (b.x >= a.x + a.w) {
    const sx = a.x + a.w, tx = b.x, d = Math.max(30, (tx - sx) / 2);
    return [sx, ay, sx + d, ay, tx - d, by, tx, by];
  }
  if (b.x + b.w <= a.x) {
    const sx = a.x, tx = b.x + b.w, d = Math.max(30, (sx - tx) / 2);
    return [sx, ay, sx - d, ay, tx + d, by, tx, by];
  }
  // Same column: bulge to the right, into the frame's margin, wider for rows further apart.
  const sx = a.x + a.w, tx = b.x + b.w, d = 16 + Math.min(BULGE - 24, Math.abs(by - ay) / 6) + Math.min(8, lane * 4);
  return [sx, ay, sx + d, ay, tx + d, by, tx, by];
}

const cubicGeom = (c: number[]): EdgeGeom => ({ d: `M${c[0]},${c[1]} C${c[2]},${c[3]} ${c[4]},${c[5]} ${c[6]},${c[7]}`, pts: sampleCubic(c) });

function polyGeom(pts: Point[]): EdgeGeom {
  return { d: `M${pts.map(p => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(' L')}`, pts };
}

/** Where a frame's box ends on the line from its centre towards `p`. */
function clip(b: Box, p: Point): Point {
  const cx = b.x + b.w / 2, cy = b.y + b.h / 2, dx = p[0] - cx, dy = p[1] - cy;
  if (dx === 0 && dy === 0) return [cx, cy];
  const t = Math.min(dx ? b.w / 2 / Math.abs(dx) : Infinity, dy ? b.h / 2 / Math.abs(dy) : Infinity);
  return [cx + dx * t, cy + dy * t];
}

/**
 * An orthogonal route between the outside column and frame `id` through free space: through the
 * margin above every frame and down the gap left of the frame; else along the gap above (or below)
 * the frame, joined to the outside column by a trunk in the corridor right of it. Undefined when no
 * such route is free of other frames.
 */
function outsideRoute(groups: ReadonlyMap<string, Box>, id: string, inbound: boolean): Point[] | undefined {
  const o = groups.get(OUTSIDE), f = groups.get(id);
  if (!o || !f || f.x < o.x + o.w) return undefined;
  // First choice: up from the outside column into the margin above every frame, along it, then
  // down the gap left of the frame: these routes meet other edges only at their ends.
  let topY = Infinity;
  for (const b of groups.values()) topY = Math.min(topY, b.y);
  topY -= 24;
  const cx = f.x - (inbound ? 30 : 50), sy = f.y + (inbound ? 24 : 40), up = o.x + o.w - (inbound ? 24 : 12);
  const clear = [...groups].every(([gid, b]) => gid === id || !(b.x - 4 < cx && cx < b.x + b.w + 4 && b.y < sy && b.y + b.h > topY));
  if (clear && topY > -Infinity) {
    const path: Point[] = [[up, o.y], [up, topY], [cx, topY], [cx, sy], [f.x, sy]];
    return inbound ? path : path.reverse();
  }
  const ox = o.x + o.w, trunk = ox + (inbound ? 50 : 70), fx = f.x + (inbound ? 16 : 34);
  const free = (y: number) => [...groups].every(([gid, b]) => gid === id || gid === OUTSIDE || !(b.y - 4 < y && y < b.y + b.h + 4 && b.x < fx && b.x + b.w > trunk));
  for (const [y, end] of [[f.y - FRAME_GAP / 2 + (inbound ? 0 : -8), f.y], [f.y + f.h + FRAME_GAP / 2 + (inbound ? 0 : 8), f.y + f.h]] as const) {
    if (!free(y)) continue;
    const ys = Math.min(Math.max(y, o.y + FRAME_TITLE), o.y + o.h - 4);
    const path: Point[] = [[ox, ys], [trunk, ys], [trunk, y], [fx, y], [fx, end]];
    const clean = path.filter((p, i) => i === 0 || p[0] !== path[i - 1]![0] || p[1] !== path[i - 1]![1]);
    return inbound ? clean : clean.reverse();
  }
  return undefined;
}

/** Label boxes along each edge, greedily, never over a placed label or a node, and inside `bounds` (the frames' extent: Fit shows no more). */
function placeLabels(items: Array<{ id: string; text: string; pts: readonly Point[] }>, obstacles: Iterable<Box>, bounds?: Box): Map<string, Box> {
  const CELL = 200;
  const cells = new Map<string, Box[]>();
  const keysOf = (b: Box) => {
    const out: string[] = [];
    for (let i = Math.floor(b.x / CELL); i <= Math.floor((b.x + b.w) / CELL); i++) for (let j = Math.floor(b.y / CELL); j <= Math.floor((b.y + b.h) / CELL); j++) out.push(`${i},${j}`);
    return out;
  };
  const add = (b: Box) => { for (const k of keysOf(b)) { const l = cells.get(k); if (l) l.push(b); else cells.set(k, [b]); } };
  const free = (b: Box) => keysOf(b).every(k => (cells.get(k) ?? []).every(o => !overlaps(o, b)));
  for (const o of obstacles) add(o);
  const out = new Map<string, Box>();
  for (const it of items) {
    const w = labelWidth(it.text);
    const n = it.pts.length - 1;
    if (n < 1) continue;
    for (const f of [0.5, 0.38, 0.62, 0.26, 0.74, 0.15, 0.85]) {
      const p = it.pts[Math.round(f * n)]!;
      const b = { x: p[0] - w / 2, y: p[1] - LABEL_H / 2, w, h: LABEL_H };
      if (bounds && (b.x < bounds.x || b.y < bounds.y || b.x + b.w > bounds.x + bounds.w || b.y + b.h > bounds.y + bounds.h)) continue;
      if (free(b)) { add(b); out.set(it.id, b); break; }
    }
  }
  return out;
}

/** Label priority: aggregates, blocked DNS, routes, flows, allowed DNS. */
function labelRank(e: GraphEdge | Aggregate): number {
  if (!('kind' in e)) return 0;
  return e.kind === 'dns' ? (e.status === 'blocked' ? 1 : 4) : e.kind === 'routes' ? 2 : 3;
}

/** The name a collapsed frame shows (the outside of the cluster in one word: it shares the grid's columns). */
export const collapsedTitle = (g: ViewGroup): string => (g.kind === 'outside' ? 'outside' : g.label);

export interface LayoutOptions {
  /** Width / height of the panel: the grid of collapsed namespaces, tall frames and the frames' graph take about this aspect ratio. */
  readonly aspect?: number;
  /**
   * The frames' shape of a remembered picture (its layout's `shape`): an update keeps it, so the
   * frames of namespaces an edit did not touch keep their cells. Without it the shape is chosen
   * for the panel (`aspect`): the outside column left of the picture or above it, whichever makes
   * names larger at Fit.
   */
  readonly shape?: FrameShape;
  /** Only the frames' places (and the picture's size): no nodes, edges nor labels (measuring names at Fit). */
  readonly framesOnly?: boolean;
}

/** Pictures of at most this many nodes try the outside of the cluster left of and above the picture. */
const SHAPE_SEARCH_NODES = 400;

/**
 * Where an edge leaves node `n` of frame `f` (`right`: the right side of its rightmost nodes): out
 * of the right side when no node stands right of it, out of the left side from the first column,
 * else along the gap left of its column (nodes stand only in columns) up to the frame's top. Ends
 * on the routes' margin outside the frame.
 */
function exitPath(n: Box, f: Box, right: number, lane: number): Point[] {
  const y = n.y + Math.min(n.h - 6, Math.max(6, n.h / 2 + ((lane % 5) - 2) * 6));
  const m = MARGIN;
  if (n.x + n.w >= right - 1) return [[n.x + n.w, y], [f.x + f.w + m, y]];
  if (n.x - f.x <= FRAME_PAD + 1) return [[n.x, y], [f.x - m, y]];
  const gx = n.x - COL_GAP / 2 + ((lane % 5) - 2) * 6;
  return [[n.x, y], [gx, y], [gx, f.y - m]];
}

/** A place for frame `f` (formerly at `old`) free of `placed`: right of everything at its height, or below everything at its column. */
function nearestFree(f: { w: number; h: number }, old: Box, placed: readonly Box[]): Box {
  let r = 0, bottom = 0, l = Infinity, t = Infinity;
  for (const p of placed) { r = Math.max(r, p.x + p.w); bottom = Math.max(bottom, p.y + p.h); l = Math.min(l, p.x); t = Math.min(t, p.y); }
  if (!placed.length) return { x: old.x, y: old.y, w: f.w, h: f.h };
  const beside = { x: r + FRAME_GAP, y: old.y, w: f.w, h: f.h }, below = { x: old.x, y: bottom + FRAME_GAP, w: f.w, h: f.h };
  const area = (b: Box) => (Math.max(r, b.x + b.w) - Math.min(l, b.x)) * (Math.max(bottom, b.y + b.h) - Math.min(t, b.y));
  return area(below) < area(beside) ? below : beside;
}

/**
 * Positions for every frame, node, edge and label of `view`. `previous` (the last layout of the
 * same view) keeps frames where they were.
 */
export function layoutView(view: View, previous?: ReadonlyMap<string, Box>, previousEdges?: ReadonlyMap<string, EdgeGeom>, opts: LayoutOptions = {}): Layout {
  const members = new Map<string, GraphNode[]>();
  const push = <T>(m: Map<string, T[]>, k: string, v: T) => { const l = m.get(k); if (l) l.push(v); else m.set(k, [v]); };
  for (const n of view.nodes) push(members, groupOf(n), n);
  const nodeGroup = new Map(view.nodes.map(n => [n.id, groupOf(n)]));
  const inner = new Map<string, GraphEdge[]>();
  for (const e of view.edges) {
    const g = nodeGroup.get(e.source);
    if (g !== undefined && g === nodeGroup.get(e.target)) push(inner, g, e);
  }
  const aspect = opts.aspect ?? 1.6;
  const frameOf = (g: ViewGroup, shape: FrameShape): Frame => {
    const list = members.get(g.id) ?? [];
    const cells = g.collapsed ? new Map<string, Box>() : layoutFrame(list, inner.get(g.id) ?? [], g.kind === 'outside', shape, view.folded.size > 0, view.rowGroup.size ? view.rowGroup : undefined);
    const kindOf = new Map(list.map(n => [n.id, n.kind]));
    const bulge = (inner.get(g.id) ?? []).some(e => kindOf.get(e.source) === kindOf.get(e.target));
    const { w, h } = frameSize(cells, g.collapsed, bulge, collapsedTitle(g));
    return { id: g.id, w, h, cells };
  };
  // A remembered picture without its shape (a layout of this module's tests): the outside frame's width says its columns.
  const oldOutside = previous?.get(OUTSIDE);
  const inferred = oldOutside && oldOutside.w > 0 ? Math.max(0, Math.round((oldOutside.w - 2 * FRAME_PAD + COL_GAP) / (NODE_W + COL_GAP))) : 0;
  const inFrames = new Map<string, number>();
  for (const n of view.nodes) if (n.parent) inFrames.set(n.parent, (inFrames.get(n.parent) ?? 0) + 1);
  let total = 0, largest = 0;
  for (const c of inFrames.values()) { total += c; largest = Math.max(largest, c); }
  let shape: FrameShape = opts.shape ?? { aspect, outsideColumns: inferred > 1 ? inferred : 0, wrapFlows: largest * 2 >= total };
  const frames: Frame[] = view.groups.map(g => frameOf(g, shape));

  // Frame-level links: aggregates, and the pairs of expanded edges, so dagre keeps talking frames close.
  const links = new Map<string, { id: string; source: string; target: string }>();
  for (const a of view.aggregates) links.set(a.id, { id: a.id, source: a.source, target: a.target });
  for (const e of view.edges) {
    const s = nodeGroup.get(e.source)!, t = nodeGroup.get(e.target)!;
    if (s !== t && !links.has(`agg:${s}->${t}`)) links.set(`agg:${s}->${t}`, { id: `agg:${s}->${t}`, source: s, target: t });
  }
  // Remembered frames stay where they were: first those of unchanged size (they fitted together
  // before), then those that grew or shrank, if they still fit. Only when nothing is remembered does
  // dagre lay the frames out; a frame that is new or no longer fits goes right of everything, at
  // the height it had, so an edit never moves another namespace.
  const groups = new Map<string, Box>();
  const placed: Box[] = [];
  const fits = (b: Box) => placed.every(p => !overlaps({ x: b.x - FRAME_GAP / 2, y: b.y - FRAME_GAP / 2, w: b.w + FRAME_GAP, h: b.h + FRAME_GAP }, p));
  const sameSize = (f: Frame, old: Box) => (old.w === 0 && old.h === 0) || (old.w === f.w && old.h === f.h);
  const pending: Frame[] = [];
  for (const pass of [true, false]) {
    for (const f of frames) {
      const old = previous?.get(f.id);
      if (!old || sameSize(f, old) !== pass) continue;
      const b = { x: old.x, y: old.y, w: f.w, h: f.h };
      if (pass || fits(b)) { groups.set(f.id, b); placed.push(b); } else pending.push(f);
    }
  }
  for (const f of frames) if (!previous?.has(f.id)) pending.push(f);
  const kept = new Set(groups.keys());
  // Every frame collapsed and nothing remembered: the compact grid (names readable at Fit), the
  // outside first, then namespaces in natural order; else dagre's layered layout of the frames.
  const grid = kept.size === 0 && frames.length > 1 && view.groups.every(g => g.collapsed)
    ? gridFrames([...frames].sort((a, b) => (a.id === OUTSIDE ? -1 : b.id === OUTSIDE ? 1 : NATURAL.compare(a.id, b.id) || byId(a.id, b.id))), opts.aspect ?? 1.6)
    : undefined;
  let fresh: { pos: Map<string, { x: number; y: number }>; points: Map<string, Point[]> } | undefined;
  if (kept.size === 0 && grid) fresh = { pos: grid.pos, points: new Map<string, Point[]>() };
  else if (kept.size === 0) {
    // A fresh picture: the outside of the cluster as a column on the left, or as rows above the
    // namespaces, whichever the panel shows larger (small pictures only; a remembered shape is kept).
    const outsideGroup = view.groups.find(g => g.id === OUTSIDE && !g.collapsed);
    const n = outsideGroup ? (members.get(OUTSIDE) ?? []).length : 0;
    const tries: FrameShape[] = opts.shape || !outsideGroup || view.groups.length < 2 || view.nodes.length > SHAPE_SEARCH_NODES ? [shape]
      : [...new Set([0, ...[1, 2, 3].map(r => Math.min(6, Math.ceil(n / r)))])].map(c => ({ ...shape, outsideColumns: c }));
    let best = -Infinity;
    for (const t of tries) {
      const fs = frames.map(f => (f.id === OUTSIDE ? frameOf(outsideGroup!, t) : f));
      const placed = placeFrames(fs, [...links.values()], { aspect, outsideTop: t.outsideColumns > 0 });
      let w = 0, h = 0;
      for (const f of fs) { const p = placed.pos.get(f.id)!; w = Math.max(w, p.x + f.w); h = Math.max(h, p.y + f.h); }
      const score = Math.min(aspect / w, 1 / h);
      if (score > best + 1e-12) {
        best = score; shape = t; fresh = placed;
        frames.splice(0, frames.length, ...fs);
      }
    }
    for (let i = 0; i < pending.length; i++) pending[i] = frames.find(f => f.id === pending[i]!.id)!;
  }
  // Frames new to a remembered picture are laid out together, as a block right of everything.
  const pendingIds = new Set(pending.map(f => f.id));
  const block = fresh || pending.length === 0 ? undefined
    : placeFrames(pending, [...links.values()].filter(l => pendingIds.has(l.source) && pendingIds.has(l.target)), { aspect });
  const right = placed.reduce((m, o) => Math.max(m, o.x + o.w), 0) + FRAME_GAP;
  const top = placed.reduce((m, o) => Math.min(m, o.y), Infinity);
  for (const f of pending) {
    const old = previous?.get(f.id);
    let b: Box;
    if (!fresh && old && pending.length === 1) {
      // One frame that grew out of its place (a namespace expanded, a workload added): right of
      // everything at its height, or below everything at its column, whichever keeps the picture smaller.
      b = nearestFree(f, old, placed);
    } else {
      const p = fresh?.pos.get(f.id) ?? { x: right + block!.pos.get(f.id)!.x, y: (Number.isFinite(top) ? top : 0) + block!.pos.get(f.id)!.y };
      b = { x: p.x, y: p.y, w: f.w, h: f.h };
    }
    // (The grid's gutters are narrower than the gap kept between frames elsewhere.)
    if (!grid && !fits(b)) b = { x: placed.reduce((m, o) => Math.max(m, o.x + o.w), 0) + FRAME_GAP, y: b.y, w: f.w, h: f.h };
    groups.set(f.id, b);
    placed.push(b);
  }
  if (opts.framesOnly) {
    let w = 0, h = 0;
    for (const g of groups.values()) { w = Math.max(w, g.x + g.w); h = Math.max(h, g.y + g.h); }
    return { nodes: new Map(), groups, edges: new Map(), labels: new Map(), width: w, height: h, shape, subframes: new Map() };
  }
  const atFresh = (id: string) => { const b = groups.get(id)!, p = fresh?.pos.get(id); return p !== undefined && (!kept.has(id) || (b.x === p.x && b.y === p.y)); };
  const unchanged = (id: string) => { const a = previous?.get(id), b = groups.get(id)!; return a !== undefined && a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h; };

  const nodes = new Map<string, Box>();
  const lastColumn = new Map<string, number>();
  for (const f of frames) {
    const g = groups.get(f.id)!;
    let r = 0;
    for (const [id, c] of f.cells) { nodes.set(id, { x: g.x + c.x, y: g.y + c.y, w: c.w, h: c.h }); r = Math.max(r, g.x + c.x + c.w); }
    lastColumn.set(f.id, r);
  }

  // Frames as obstacles: routes between frames go around those that are not their ends.
  let frameIndex: BoxIndex | undefined, grown: BoxIndex | undefined, nodeIndex: BoxIndex | undefined;
  let frameNodes: Map<string, Box[]> | undefined;
  const nodesByFrame = () => {
    const m = new Map<string, Box[]>();
    for (const n of view.nodes) { const b = nodes.get(n.id); if (b) push(m, groupOf(n), b); }
    return m;
  };
  const frameBoxes = () => (frameIndex ??= new BoxIndex(groups.values()));
  const around = (from: Point, to: Point) => routeAround(from, to, [...groups.values()], (grown ??= obstacleIndex(groups.values())));
  /** From the middle of the side of `a` facing `b` to the side of `b` facing `a`, around every frame. */
  const portRoute = (a: Box, b: Box): Point[] | undefined => {
    const [pa, qa] = port(a, [b.x + b.w / 2, b.y + b.h / 2]), [pb, qb] = port(b, [a.x + a.w / 2, a.y + a.h / 2]);
    const mid = around(qa, qb);
    return mid ? simplify([pa, ...mid, pb]) : undefined;
  };
  const edges = new Map<string, EdgeGeom>();
  const lanes = new Map<string, number>();
  const exits = new Map<string, number>();
  for (const e of view.edges) {
    const a = nodes.get(e.source), b = nodes.get(e.target);
    if (!a || !b) continue;
    const pair = e.source < e.target ? `${e.source}|${e.target}` : `${e.target}|${e.source}`;
    const lane = lanes.get(pair) ?? 0;
    lanes.set(pair, lane + 1);
    const gs = nodeGroup.get(e.source)!, gt = nodeGroup.get(e.target)!;
    if (gs !== gt) {
      // An edge of an expanded pair: out of its frame without crossing a node, around other frames, into the target's frame.
      const ls = exits.get(e.source) ?? 0, lt = exits.get(e.target) ?? 0;
      exits.set(e.source, ls + 1); exits.set(e.target, lt + 1);
      const out = exitPath(a, groups.get(gs)!, lastColumn.get(gs)!, ls), into = exitPath(b, groups.get(gt)!, lastColumn.get(gt)!, lt).reverse();
      const mid = around(out[out.length - 1]!, into[0]!);
      if (mid) { edges.set(e.id, polyGeom(simplify([...out, ...mid, ...into]))); continue; }
    }
    const geom = cubicGeom(curveBetween(a, b, lane));
    // A flow between rows of different bands of a wrapped frame: around the nodes between (and other frames).
    if (gs === gt && Math.abs(a.x - b.x) > NODE_W + COL_GAP && crossesBoxes(geom.pts, (nodeIndex ??= new BoxIndex(nodes.values())), new Set([a, b]))) {
      const own = groups.get(gs)!;
      const obstacles = [...(frameNodes ??= nodesByFrame()).get(gs) ?? [], ...[...groups.values()].filter(g => g !== own)];
      // Out of the sides facing each other (rows are closer than two margins: no way out above or below).
      const off = ((lane % 5) - 2) * 5, right = b.x > a.x;
      const ya = a.y + a.h / 2 + off, yb = b.y + b.h / 2 + off;
      const pa: Point = [right ? a.x + a.w : a.x, ya], pb: Point = [right ? b.x : b.x + b.w, yb];
      const qa: Point = [pa[0] + (right ? MARGIN : -MARGIN), ya], qb: Point = [pb[0] + (right ? -MARGIN : MARGIN), yb];
      const mid = routeAround(qa, qb, obstacles);
      if (mid) { edges.set(e.id, polyGeom(simplify([pa, ...mid, pb]))); continue; }
    }
    edges.set(e.id, geom);
  }
  let gridLane = 0;
  for (const ag of view.aggregates) {
    const a = groups.get(ag.source), b = groups.get(ag.target);
    if (!a || !b) continue;
    const pts = fresh?.points.get(ag.id);
    const before = previousEdges?.get(ag.id);
    if (before && unchanged(ag.source) && unchanged(ag.target)) { edges.set(ag.id, before); continue; }
    if (grid && atFresh(ag.source) && atFresh(ag.target)) { edges.set(ag.id, polyGeom(gridRoute(grid, a, b, ag.source, ag.target, gridLane++))); continue; }
    const fromOutside = ag.source === OUTSIDE || ag.target === OUTSIDE;
    const channel = fromOutside ? outsideRoute(groups, ag.source === OUTSIDE ? ag.target : ag.source, ag.source === OUTSIDE) : undefined;
    let geom: EdgeGeom;
    const direct = fromOutside && !channel ? portRoute(a, b) : undefined;
    if (channel) {
      geom = polyGeom(channel);
    } else if (direct) {
      // The outside above the picture: from the facing sides, around the frames between.
      geom = polyGeom(direct);
    } else if (pts && pts.length >= 2 && atFresh(ag.source) && atFresh(ag.target) && !kept.has(ag.source) === !kept.has(ag.target)) {
      const inner = pts.slice(1, -1);
      const first = clip(a, inner[0] ?? pts[pts.length - 1]!), last = clip(b, inner[inner.length - 1] ?? pts[0]!);
      geom = polyGeom([first, ...inner, last]);
    } else {
      geom = cubicGeom(curveBetween(a, b, 0));
    }
    // Across a frame that is not an end (dagre's bands, a frame placed beside the picture): around it.
    if (!direct && (crossesBoxes(geom.pts, frameBoxes(), new Set([a, b])) || crossesBoxes(geom.pts, (nodeIndex ??= new BoxIndex(nodes.values())), new Set()))) {
      const r = portRoute(a, b);
      if (r) geom = polyGeom(r);
    }
    edges.set(ag.id, geom);
  }

  const subframes = subframesOf(view, nodes);
  const titles = [...groups.values()].map(g => ({ x: g.x, y: g.y, w: g.w, h: FRAME_TITLE }));
  for (const boxes of subframes.values()) for (const b of boxes) titles.push({ x: b.x, y: b.y, w: b.w, h: SUBFRAME_TITLE + SUBFRAME_PAD });
  const items = [
    ...view.aggregates.map(a => ({ e: a as GraphEdge | Aggregate, id: a.id, text: a.label })),
    ...view.edges.filter(e => e.label && e.kind !== 'selects').map(e => ({ e: e as GraphEdge | Aggregate, id: e.id, text: e.label })),
  ].filter(it => edges.has(it.id)).sort((x, y) => labelRank(x.e) - labelRank(y.e) || byId(x.id, y.id))
    .map(it => ({ id: it.id, text: it.text, pts: edges.get(it.id)!.pts }));
  let bx = Infinity, by = Infinity, bw = 0, bh = 0;
  for (const g of groups.values()) { bx = Math.min(bx, g.x); by = Math.min(by, g.y); bw = Math.max(bw, g.x + g.w); bh = Math.max(bh, g.y + g.h); }
  const labels = placeLabels(items, [...nodes.values(), ...titles], groups.size ? { x: Math.min(0, bx), y: Math.min(0, by), w: bw - Math.min(0, bx), h: bh - Math.min(0, by) } : undefined);

  let width = 0, height = 0;
  for (const g of groups.values()) { width = Math.max(width, g.x + g.w); height = Math.max(height, g.y + g.h); }
  return { nodes, groups, edges, labels, width, height, shape, subframes };
}


/** The outlines of the expanded groups: per band (column of boxes) their rows stand in, around them. */
function subframesOf(view: View, nodes: ReadonlyMap<string, Box>): Map<string, Box[]> {
  const out = new Map<string, Box[]>();
  for (const sg of view.subgroups.values()) {
    if (sg.collapsed || sg.outer) continue;
    const byX = new Map<number, Box[]>();
    for (const m of sg.members) {
      const b = nodes.get(m);
      if (!b) continue;
      const l = byX.get(b.x);
      if (l) l.push(b); else byX.set(b.x, [b]);
    }
    const boxes = [...byX].sort(([a], [b]) => a - b).map(([x, bs]) => {
      const top = Math.min(...bs.map(b => b.y)) - SUBFRAME_TITLE, bottom = Math.max(...bs.map(b => b.y + b.h));
      return { x: x - SUBFRAME_PAD, y: top - SUBFRAME_PAD, w: NODE_W + 2 * SUBFRAME_PAD, h: bottom - top + 2 * SUBFRAME_PAD };
    });
    if (boxes.length) out.set(sg.id, boxes);
  }
  return out;
}

/** A picture of at most this many nodes opens expanded whatever its size at Fit (a zoom step makes it readable; aggregating it would hide what it is opened for). */
export const SMALL_PICTURE = 30;

/** At most how large names can be at Fit in `panel` for a picture of `nodes` nodes and `boxes` collapsed frames: it is no smaller than they are. */
function bestAtFit(nodes: number, boxes: number, panel: { w: number; h: number }): number {
  const area = nodes * NODE_W * NODE_H + boxes * 120 * COLLAPSED_BOX_H;
  return NAME_PX * Math.min(2, Math.sqrt(Math.max(1, panel.w - 48) * Math.max(1, panel.h - 48) / Math.max(1, area)));
}

/** Names' size on screen at Fit when `view` is laid out for `panel` (its frames only). */
function sizeAtFit(view: View, panel: { w: number; h: number }): number {
  const l = layoutView(view, undefined, undefined, { aspect: panel.w / Math.max(1, panel.h), framesOnly: true });
  return nameSizeAtFit(l.width, l.height, panel);
}

/** Whether names are at least `threshold` px on screen at Fit when `view` is laid out for `panel`; bounded first by its nodes' area. */
function readableAtFit(view: View, panel: { w: number; h: number }, threshold: number): boolean {
  if (bestAtFit(view.nodes.length, view.groups.filter(g => g.collapsed).length, panel) < threshold) return false;
  return sizeAtFit(view, panel) >= threshold;
}

/** What the page aggregates when it opens a picture: namespaces collapsed, Services folded into their workloads. */
export interface Aggregation { readonly collapsed: string[]; readonly foldServices: boolean }

/**
 * What the page aggregates when it opens a picture (until the user changes it) so that names are
 * at least `threshold` px on screen at Fit in `panel`, hiding as little as it can:
 * 1. nothing, when the expanded picture reads;
 * 2. else each Service that selects one workload drawn inside that workload's box (`foldServices`:
 *    its name on the workload's second line, its edges to the workload), when that reads;
 * 3. else, with more than `SMALL_PICTURE` nodes, groups inside namespaces collapsed into one box
 *    each (`defaultGroupsCollapsed`: the largest first, as few as read), Services as boxes or folded;
 * 4. else, with two namespaces or more and more than `SMALL_PICTURE` nodes, namespaces collapsed
 *    (`defaultCollapsed`), first with the Services as boxes, then folded: as few as read;
 * 5. else every frame collapsed, in the compact grid; or, when that is not an option (one
 *    namespace, a small picture), the Services folded if that makes names larger (not readable,
 *    but as close as it gets without hiding workloads).
 * `derive` gives the view with the given frames collapsed and Services folded or not; `view` is
 * derived with nothing aggregated.
 */
export function defaultAggregation(view: View, panel: { w: number; h: number }, derive: (collapsed: readonly string[], foldServices: boolean) => View, threshold = READABLE_PX): Aggregation {
  if (readableAtFit(view, panel, threshold)) return { collapsed: [], foldServices: false };
  const folded = view.nodes.some(n => n.kind === 'service') ? derive([], true) : undefined;
  if (folded && folded.nodes.length < view.nodes.length && readableAtFit(folded, panel, threshold)) return { collapsed: [], foldServices: true };
  const grouped = view.nodes.length > SMALL_PICTURE ? defaultGroupsCollapsed(view, panel, threshold, derive, folded !== undefined && folded.nodes.length < view.nodes.length) : undefined;
  if (grouped) return grouped;
  const namespaces = view.groups.filter(g => g.kind === 'namespace');
  if (namespaces.length < 2 || view.nodes.length <= SMALL_PICTURE) {
    const larger = folded !== undefined && folded.nodes.length < view.nodes.length && sizeAtFit(folded, panel) > sizeAtFit(view, panel) * 1.05;
    return { collapsed: [], foldServices: larger };
  }
  const all = view.groups.map(g => g.id);
  const collapsed = defaultCollapsed(view, panel, threshold, c => derive(c, false), false);
  if (collapsed.length < all.length) return { collapsed, foldServices: false };
  if (folded && folded.nodes.length < view.nodes.length) {
    const withFolded = defaultCollapsed(folded, panel, threshold, c => derive(c, true), false);
    if (withFolded.length < all.length) return { collapsed: withFolded, foldServices: true };
  }
  return { collapsed: all, foldServices: false };
}

/**
 * Groups inside namespaces (view.ts `subgroups`) collapsed into one box each, the largest first
 * (then by id), as few as make names at least `threshold` px at Fit, with the Services as boxes or
 * (`canFold`) folded, whichever needs fewer; undefined when even every group collapsed does not
 * read (the namespaces are collapsed then) or there is no group.
 */
function defaultGroupsCollapsed(view: View, panel: { w: number; h: number }, threshold: number, derive: (collapsed: readonly string[], foldServices: boolean) => View, canFold: boolean): Aggregation | undefined {
  const largestFirst = (gs: ViewSubgroup[]) => gs.sort((a, b) => b.members.length - a.members.length || byId(a.id, b.id)).map(g => g.id);
  const groups = largestFirst([...view.subgroups.values()].filter(g => !g.outer));
  // Then, when every group collapsed does not read, groups of groups (`cluster-*` around `cluster-example-*`, …).
  const outer = largestFirst([...view.subgroups.values()].filter(g => g.outer));
  if (!groups.length) return undefined;
  for (const [always, order] of [[[], groups], [groups, outer]] as const) {
    if (!order.length) continue;
    let best: Aggregation | undefined, fewest = Infinity;
    for (const fold of canFold ? [false, true] : [false]) {
      if (!readableAtFit(derive([...always, ...order], fold), panel, threshold)) continue;
      // The fewest that read (collapsing more never makes the picture larger).
      let lo = 1, hi = order.length;
      while (lo < hi) {
        const k = (lo + hi) >> 1;
        if (readableAtFit(derive([...always, ...order.slice(0, k)], fold), panel, threshold)) hi = k; else lo = k + 1;
      }
      if (lo < fewest) { fewest = lo; best = { collapsed: [...always, ...order.slice(0, lo)].sort(), foldServices: fold }; }
    }
    if (best) return best;
  }
  return undefined;
}

/**
 * The namespaces the page collapses when it opens a picture (until the user collapses or expands
 * one), so that names are at least `threshold` px on screen at Fit in `panel`: none for a small
 * picture (`SMALL_PICTURE` nodes), when the expanded picture is readable, or when there is only
 * one namespace (nothing to aggregate it into). Else, with `derive` (the view with the given frames
 * collapsed), **until readable**: the largest namespaces first (then the least connected, then by
 * id), as few as make names readable, the others left expanded; when even one expanded namespace
 * is too many (or without `derive`), every frame, which the grid lays out compactly. `view` is
 * derived with nothing collapsed. Whether names are readable is first bounded by the nodes' area
 * (a picture can be no smaller than its nodes), so a large workspace is never laid out expanded
 * just to decide (`checkExpanded` false: the caller knows it does not read).
 */
export function defaultCollapsed(view: View, panel: { w: number; h: number }, threshold = READABLE_PX, derive?: (collapsed: readonly string[]) => View, checkExpanded = true): string[] {
  const namespaces = view.groups.filter(g => g.kind === 'namespace');
  if (namespaces.length < 2 || view.nodes.length <= SMALL_PICTURE) return [];
  if (checkExpanded && readableAtFit(view, panel, threshold)) return [];
  const all = view.groups.map(g => g.id);
  if (!derive) return all;
  const size = new Map<string, number>();
  for (const n of view.nodes) size.set(groupOf(n), (size.get(groupOf(n)) ?? 0) + 1);
  const links = new Map<string, number>();
  for (const a of view.aggregates) { links.set(a.source, (links.get(a.source) ?? 0) + 1); links.set(a.target, (links.get(a.target) ?? 0) + 1); }
  const order = namespaces.map(g => g.id).sort((a, b) => (size.get(b) ?? 0) - (size.get(a) ?? 0) || (links.get(a) ?? 0) - (links.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
  // The fewest collapsed that read (collapsing more never makes the picture larger): a binary search, one namespace left expanded at least,
  // from the fewest whose nodes' area allows it (counted, not derived nor laid out).
  let lo = 1, hi = order.length - 1, found: string[] | undefined;
  let left = view.nodes.length;
  for (let k = 1; k <= hi; k++) {
    left -= size.get(order[k - 1]!) ?? 0;
    lo = k;
    if (bestAtFit(left, k, panel) >= threshold) break;
    if (k === hi) lo = hi + 1;
  }
  while (lo <= hi) {
    const k = (lo + hi) >> 1;
    const collapsed = order.slice(0, k);
    if (readableAtFit(derive(collapsed), panel, threshold)) { found = collapsed; hi = k - 1; } else lo = k + 1;
  }
  return found ? [...found].sort() : all;
}
