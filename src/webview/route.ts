// Edge routing and the compact grid of collapsed namespaces, no DOM (the bench and the unit tests run
// it in Node):
// - `routeAround`: an orthogonal route between two points through free space, never inside a frame
//   (A* over the lines of the frames' margins, bends penalised), for aggregated edges whose simple
//   route would cross a frame that is not one of their ends and for the edges of an expanded pair of
//   namespaces;
// - `gridFrames` / `gridRoute`: collapsed namespaces laid out as a grid of small boxes about as wide
//   as the panel is tall times its aspect ratio, with their aggregated edges in the gutters;
// - `nameSizeAtFit` (with layout.ts `defaultAggregation`): how large names are on screen when the picture is fitted
//   to the panel, and what the page aggregates by default (Services folded, namespaces collapsed) so that they are readable.
import { segmentHitsBox, type Box, type Point } from './metrics';

/** Room kept between a route and a frame it passes (at most half the grid's gutter). */
export const MARGIN = 10;
const BEND = 40;

const inside = (b: Box, x: number, y: number) => x > b.x + 0.5 && x < b.x + b.w - 0.5 && y > b.y + 0.5 && y < b.y + b.h - 0.5;

/** A spatial hash of boxes for point queries. */
export class BoxIndex {
  private readonly cells = new Map<string, Box[]>();
  constructor(boxes: Iterable<Box>, private readonly cell = 400) {
    for (const b of boxes) {
      for (let i = Math.floor(b.x / cell); i <= Math.floor((b.x + b.w) / cell); i++) {
        for (let j = Math.floor(b.y / cell); j <= Math.floor((b.y + b.h) / cell); j++) {
          const k = `${i},${j}`;
          const l = this.cells.get(k);
          if (l) l.push(b); else this.cells.set(k, [b]);
        }
      }
    }
  }
  near(b: Box): Set<Box> {
    const out = new Set<Box>();
    for (let i = Math.floor(b.x / this.cell); i <= Math.floor((b.x + b.w) / this.cell); i++) {
      for (let j = Math.floor(b.y / this.cell); j <= Math.floor((b.y + b.h) / this.cell); j++) for (const x of this.cells.get(`${i},${j}`) ?? []) out.add(x);
    }
    return out;
  }
  /** Whether (x, y) is strictly inside a box. */
  blocked(x: number, y: number): boolean {
    for (const b of this.cells.get(`${Math.floor(x / this.cell)},${Math.floor(y / this.cell)}`) ?? []) if (inside(b, x, y)) return true;
    return false;
  }
}

/** Whether the polyline enters one of `boxes` other than `ends`. */
export function crossesBoxes(pts: readonly Point[], index: BoxIndex, ends: ReadonlySet<Box>): boolean {
  for (let k = 0; k + 1 < pts.length; k++) {
    const p = pts[k]!, q = pts[k + 1]!;
    const seg = { x: Math.min(p[0], q[0]), y: Math.min(p[1], q[1]), w: Math.abs(p[0] - q[0]), h: Math.abs(p[1] - q[1]) };
    for (const b of index.near(seg)) if (!ends.has(b) && segmentHitsBox(p, q, b)) return true;
  }
  return false;
}

/** A binary heap of [priority, value]. */
class Heap {
  private readonly a: Array<[number, number]> = [];
  get size(): number { return this.a.length; }
  push(p: number, v: number): void {
    const a = this.a;
    a.push([p, v]);
    for (let i = a.length - 1; i > 0;) {
      const up = (i - 1) >> 1;
      if (a[up]![0] <= a[i]![0]) break;
      [a[up], a[i]] = [a[i]!, a[up]!];
      i = up;
    }
  }
  pop(): number {
    const a = this.a, top = a[0]!, last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && a[l]![0] < a[m]![0]) m = l;
        if (r < a.length && a[r]![0] < a[m]![0]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top[1];
  }
}

/**
 * An orthogonal route from `from` to `to` (both in free space, e.g. on a frame's margin) that enters
 * no box of `frames` grown by the margin: A* over the lines of the grown boxes' sides (a sparse grid),
 * length plus a penalty per bend. Looks near the two points first, then everywhere. Undefined when
 * no route exists.
 */
export function routeAround(from: Point, to: Point, frames: readonly Box[], index?: BoxIndex): Point[] | undefined {
  const grown = frames.map(b => ({ x: b.x - MARGIN, y: b.y - MARGIN, w: b.w + 2 * MARGIN, h: b.h + 2 * MARGIN }));
  const all = index ?? new BoxIndex(grown);
  for (const pad of [600, 3000, Infinity]) {
    const win = { x: Math.min(from[0], to[0]) - pad, y: Math.min(from[1], to[1]) - pad, w: Math.abs(from[0] - to[0]) + 2 * pad, h: Math.abs(from[1] - to[1]) + 2 * pad };
    const near = pad === Infinity ? grown : grown.filter(b => b.x < win.x + win.w && win.x < b.x + b.w && b.y < win.y + win.h && win.y < b.y + b.h);
    const route = search(from, to, near, all, pad === Infinity ? undefined : win);
    if (route) return route;
  }
  return undefined;
}

function search(from: Point, to: Point, boxes: readonly Box[], index: BoxIndex, win: Box | undefined): Point[] | undefined {
  const xsSet = new Set([from[0], to[0]]), ysSet = new Set([from[1], to[1]]);
  for (const b of boxes) { xsSet.add(b.x); xsSet.add(b.x + b.w); ysSet.add(b.y); ysSet.add(b.y + b.h); }
  if (win) { xsSet.add(win.x); xsSet.add(win.x + win.w); ysSet.add(win.y); ysSet.add(win.y + win.h); } else {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const b of boxes) { x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.w); y1 = Math.max(y1, b.y + b.h); }
    xsSet.add(x0 - 20); xsSet.add(x1 + 20); ysSet.add(y0 - 20); ysSet.add(y1 + 20);
  }
  const xs = [...xsSet].filter(x => !win || (x >= win.x && x <= win.x + win.w)).sort((a, b) => a - b);
  const ys = [...ysSet].filter(y => !win || (y >= win.y && y <= win.y + win.h)).sort((a, b) => a - b);
  const nx = xs.length, ny = ys.length;
  const si = xs.indexOf(from[0]), sj = ys.indexOf(from[1]), ti = xs.indexOf(to[0]), tj = ys.indexOf(to[1]);
  if (si < 0 || sj < 0 || ti < 0 || tj < 0) return undefined;
  // States: grid point × direction of arrival (0 +x, 1 -x, 2 +y, 3 -y, 4 start).
  const key = (i: number, j: number, d: number) => (j * nx + i) * 5 + d;
  const cost = new Map<number, number>();
  const prev = new Map<number, number>();
  const heap = new Heap();
  const h = (i: number, j: number) => Math.abs(xs[i]! - to[0]) + Math.abs(ys[j]! - to[1]);
  const start = key(si, sj, 4);
  cost.set(start, 0);
  heap.push(h(si, sj), start);
  const free = new Map<number, boolean>();
  const segFree = (i: number, j: number, i2: number, j2: number) => {
    const k = i2 !== i ? (j * nx + Math.min(i, i2)) * 2 : (Math.min(j, j2) * nx + i) * 2 + 1;
    let f = free.get(k);
    if (f === undefined) { f = !index.blocked((xs[i]! + xs[i2]!) / 2, (ys[j]! + ys[j2]!) / 2); free.set(k, f); }
    return f;
  };
  const DIRS: Array<[number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1]];
  let end: number | undefined;
  let steps = 0;
  while (heap.size) {
    const s = heap.pop();
    const d = s % 5, cell = (s - d) / 5, i = cell % nx, j = (cell - i) / nx;
    const c = cost.get(s)!;
    if (i === ti && j === tj) { end = s; break; }
    if (++steps > 400000) return undefined;
    for (let nd = 0; nd < 4; nd++) {
      const [dx, dy] = DIRS[nd]!;
      const i2 = i + dx, j2 = j + dy;
      if (i2 < 0 || j2 < 0 || i2 >= nx || j2 >= ny) continue;
      if (!segFree(i, j, i2, j2)) continue;
      const nc = c + Math.abs(xs[i2]! - xs[i]!) + Math.abs(ys[j2]! - ys[j]!) + (d !== 4 && d !== nd ? BEND : 0);
      const k = key(i2, j2, nd);
      if (nc < (cost.get(k) ?? Infinity)) { cost.set(k, nc); prev.set(k, s); heap.push(nc + h(i2, j2), k); }
    }
  }
  if (end === undefined) return undefined;
  const path: Point[] = [];
  for (let s: number | undefined = end; s !== undefined; s = prev.get(s)) {
    const cell = Math.floor(s / 5), i = cell % nx, j = (cell - i) / nx;
    path.push([xs[i]!, ys[j]!]);
  }
  return simplify(path.reverse());
}

/** Drops repeated points and points in the middle of a straight run. */
export function simplify(pts: readonly Point[]): Point[] {
  const out: Point[] = [];
  for (const p of pts) {
    if (out.length && out[out.length - 1]![0] === p[0] && out[out.length - 1]![1] === p[1]) continue;
    if (out.length >= 2) {
      const a = out[out.length - 2]!, b = out[out.length - 1]!;
      if ((a[0] === b[0] && b[0] === p[0]) || (a[1] === b[1] && b[1] === p[1])) out.pop();
    }
    out.push(p);
  }
  return out;
}

/** Where a route leaves box `b` towards point `p`: the middle of the side facing it, and that point moved out by the margin. */
export function port(b: Box, p: Point, lane = 0): [Point, Point] {
  const cx = b.x + b.w / 2, cy = b.y + b.h / 2, dx = p[0] - cx, dy = p[1] - cy;
  const off = ((lane % 5) - 2) * 5;
  if (Math.abs(dx) / b.w >= Math.abs(dy) / b.h) {
    const x = dx >= 0 ? b.x + b.w : b.x, y = cy + off;
    return [[x, y], [x + (dx >= 0 ? MARGIN : -MARGIN), y]];
  }
  const y = dy >= 0 ? b.y + b.h : b.y, x = cx + off * 2;
  return [[x, y], [x, y + (dy >= 0 ? MARGIN : -MARGIN)]];
}

/** The frames' boxes grown by the routes' margin (the obstacles of `routeAround`), indexed. */
export function obstacleIndex(frames: Iterable<Box>): BoxIndex {
  const grown: Box[] = [];
  for (const b of frames) grown.push({ x: b.x - MARGIN, y: b.y - MARGIN, w: b.w + 2 * MARGIN, h: b.h + 2 * MARGIN });
  return new BoxIndex(grown);
}

// ---- the compact grid of collapsed namespaces

/** Height of a collapsed namespace's box: its name and its counts. */
export const COLLAPSED_BOX_H = 38;
/** Gutters between the boxes of the grid, where their aggregated edges run. */
export const GRID_GUTTER = 20;
/** The width of a collapsed namespace's box: its name at 13 px, the toggle, at least its counts. */
export const collapsedWidth = (label: string): number => Math.max(84, Math.min(label.length, 40) * 7.6 + 36);

/**
 * Positions of collapsed frames in a grid (row by row, in the order given), column widths from
 * their boxes, with the number of columns that makes the grid largest on screen when fitted to a
 * panel of aspect ratio `aspect` (the panel's width / height). Returns positions and the grid's
 * lines for `gridRoute`.
 */
export interface Grid {
  readonly pos: Map<string, { x: number; y: number }>;
  readonly cell: Map<string, { row: number; col: number }>;
  /** Left side of each column, and the width of each column. */
  readonly colX: number[];
  readonly colW: number[];
  readonly rowY: number[];
  readonly rowH: number;
  readonly width: number;
  readonly height: number;
}

export function gridFrames(frames: ReadonlyArray<{ id: string; w: number; h: number }>, aspect: number, origin: Point = [0, 0]): Grid {
  const n = frames.length;
  const rowH = Math.max(COLLAPSED_BOX_H, ...frames.map(f => f.h)) + GRID_GUTTER;
  // Fitted to a panel of height 1 and width `aspect`, the grid's zoom is min(aspect / w, 1 / h).
  let best: { cols: number; score: number } | undefined;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    let w = 0;
    for (let c = 0; c < cols; c++) {
      let cw = 0;
      for (let r = 0; r < rows; r++) { const f = frames[r * cols + c]; if (f) cw = Math.max(cw, f.w); }
      w += cw + GRID_GUTTER;
    }
    const h = rows * rowH;
    const score = -Math.min(aspect / w, 1 / h);
    if (!best || score < best.score) best = { cols, score };
    if (w / h > aspect * 2) break;
  }
  const cols = best?.cols ?? 1, rows = Math.ceil(n / cols);
  const colW: number[] = [];
  for (let c = 0; c < cols; c++) {
    let cw = 0;
    for (let r = 0; r < rows; r++) { const f = frames[r * cols + c]; if (f) cw = Math.max(cw, f.w); }
    colW.push(cw);
  }
  const colX: number[] = [];
  let x = origin[0] + GRID_GUTTER;
  for (const cw of colW) { colX.push(x); x += cw + GRID_GUTTER; }
  const rowY = Array.from({ length: rows }, (_, r) => origin[1] + GRID_GUTTER + r * rowH);
  const pos = new Map<string, { x: number; y: number }>();
  const cell = new Map<string, { row: number; col: number }>();
  frames.forEach((f, k) => {
    const row = Math.floor(k / cols), col = k % cols;
    pos.set(f.id, { x: colX[col]!, y: rowY[row]! });
    cell.set(f.id, { row, col });
  });
  return { pos, cell, colX, colW, rowY, rowH, width: x - origin[0], height: rows * rowH + GRID_GUTTER };
}

/**
 * The route of an aggregated edge between two boxes of the grid, in its gutters only: between
 * neighbours of a row or a column straight across the gutter between them; else out of the
 * source's bottom into the gutter below its row, along it to the gutter left of the target's column,
 * along that one to the target's row, into the target's left side. Gutters hold no box, so the
 * route crosses no frame. `lane` spreads parallel routes apart within a gutter.
 */
export function gridRoute(grid: Grid, a: Box, b: Box, source: string, target: string, lane: number): Point[] {
  const ca = grid.cell.get(source)!, cb = grid.cell.get(target)!;
  const step = Math.max(3, Math.floor((GRID_GUTTER - 8) / 6));
  const off = ((lane % 7) - 3) * step / 2;
  // Neighbours in a row or a column: straight across the gutter between them.
  if (ca.row === cb.row && Math.abs(ca.col - cb.col) === 1) {
    const y = a.y + Math.min(a.h, b.h) / 2 + off;
    return ca.col < cb.col ? [[a.x + a.w, y], [b.x, y]] : [[a.x, y], [b.x + b.w, y]];
  }
  if (ca.col === cb.col && Math.abs(ca.row - cb.row) === 1) {
    const x = a.x + Math.min(a.w, b.w) / 2 + off * 2;
    return ca.row < cb.row ? [[x, a.y + a.h], [x, b.y]] : [[x, a.y], [x, b.y + b.h]];
  }
  const sx = Math.min(a.x + a.w - 6, Math.max(a.x + 6, a.x + a.w / 2 + off * 2));
  const gy = grid.rowY[ca.row]! + grid.rowH - GRID_GUTTER / 2 + off;
  const gx = grid.colX[cb.col]! - GRID_GUTTER / 2 + off;
  const ty = Math.min(b.y + b.h - 4, Math.max(b.y + 4, b.y + b.h / 2 + off));
  return simplify([[sx, a.y + a.h], [sx, gy], [gx, gy], [gx, ty], [b.x, ty]]);
}

// ---- names at Fit

/** Font size of names (workloads, Services, frames' titles), px. */
export const NAME_PX = 13;
/** The default threshold: below this size on screen at Fit, names are not readable. */
export const READABLE_PX = 9;

/** The zoom the page's Fit chooses for a picture of `width` × `height` in a panel (24 px padding, at most 2). */
export function fitZoom(width: number, height: number, panel: { w: number; h: number }): number {
  const pad = 24;
  return Math.min(2, Math.max(0.02, Math.min((panel.w - 2 * pad) / Math.max(1, width), (panel.h - 2 * pad) / Math.max(1, height))));
}

/** The names' size on screen, px, when a picture of `width` × `height` is fitted to the panel. */
export const nameSizeAtFit = (width: number, height: number, panel: { w: number; h: number }): number => NAME_PX * fitZoom(width, height, panel);
