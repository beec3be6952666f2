// Builds the diagram's SVG with DOM calls only: every string from a manifest goes in through
// textContent or a data attribute, never through markup. Rendering is virtualised: frames and
// aggregated edges are always drawn, nodes and their edges only where they meet the visible area
// (plus a margin), and far out ("overview", when names would be too small to read) only the frames,
// their names at a readable size, and the aggregated edges.
import type { Badge, GraphEdge, GraphNode } from '../shared/protocol';
import { collapsedTitle, LABEL_H, type Box, type Layout } from './layout';
import { overlaps } from './metrics';
import type { Aggregate, View, ViewGroup, ViewSubgroup } from './view';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function text(parent: Element, x: number, y: number, cls: string, value: string): SVGTextElement {
  const t = el('text', { x, y, class: cls }, parent);
  t.textContent = value;
  return t;
}

const KIND_GLYPH: Record<string, string> = {
  Deployment: 'D', StatefulSet: 'SS', DaemonSet: 'DS', ReplicaSet: 'RS', ReplicationController: 'RC',
  Pod: 'P', Job: 'J', CronJob: 'CJ', Service: 'S', Ingress: 'I', Route: 'R',
};

/** Short pill texts and their tooltip, in display order. */
export const BADGES: Record<Badge, { text: string; title: string }> = {
  'ingress-isolated': { text: 'IN ✓', title: 'isolated for ingress: only what policies allow gets in' },
  'ingress-open': { text: 'IN open', title: 'open: no policy isolates ingress, every pod may reach it' },
  'egress-isolated': { text: 'OUT ✓', title: 'isolated for egress: only what policies allow gets out' },
  'egress-open': { text: 'OUT open', title: 'open: no policy isolates egress, it may connect anywhere' },
  'exposed-all-namespaces': { text: 'ALL NS', title: 'pods of every namespace may connect to it' },
  'exposed-internet': { text: 'INTERNET', title: 'addresses outside the cluster may connect to it' },
  'cluster-policy': { text: 'ADMIN', title: 'a cluster-wide policy (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) applies to it' },
  'cni-policy': { text: 'CNI ?', title: 'a Calico or Cilium policy may select it: its flows also depend on that policy, which is not evaluated' },
};

/** `1 workload`, `3 workloads`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function subtitle(n: GraphNode): string {
  switch (n.kind) {
    case 'workload': return `${n.objectKind ?? ''}${n.replicas !== undefined ? ` ×${n.replicas}` : ''}`;
    case 'service': return n.details[0]?.replace(/^type /, '') ?? 'Service';
    case 'ingress': return n.objectKind ?? 'Ingress';
    case 'external': return 'outside the cluster';
    case 'ingress-controller': return 'ingress controller';
  }
}

/** What a frame's title says about open workloads. */
export function openNote(g: ViewGroup): string {
  if (g.kind !== 'namespace' || g.open === 0) return '';
  return g.open === g.workloads ? 'open: every pod may reach it' : `open: every pod may reach ${g.open} of ${g.workloads} workloads`;
}

/** What a namespace's workloads were grouped by, in words. */
const groupedBy = (key: string): string => (key === 'name' || key === 'kind' ? key : key === 'app' ? 'app name' : `label ${key}`);

/**
 * `services`: the Services folded into a workload's box (the view's `foldServices`), said on its
 * second line; `group`: the node is a collapsed group's box (its count on the glyph, click to expand).
 */
function drawNode(parent: Element, n: GraphNode, b: Box, services: readonly string[] = [], group?: ViewSubgroup): void {
  const g = el('g', { class: `node kind-${n.kind}${services.length ? ' with-services' : ''}${group ? ' group-box' : ''}`, 'data-id': n.id, transform: `translate(${b.x},${b.y})`, tabindex: 0 }, parent);
  el('title', {}, g).textContent = group
    ? `${n.label} (${n.namespace}): ${group.members.length} workloads grouped by ${groupedBy(group.key)}; click to expand`
    : `${n.label}${n.namespace ? ` (${n.namespace})` : ''}${services.length ? `\nService${services.length > 1 ? 's' : ''}: ${services.join(', ')}` : ''}`;
  // A group's box: a stack of boxes.
  if (group) el('rect', { class: 'group-stack', x: 4, y: -4, width: b.w - 8, height: b.h, rx: 4 }, g);
  el('rect', { class: 'node-box', width: b.w, height: b.h, rx: n.kind === 'service' ? 14 : 4 }, g);
  const glyph = group ? String(group.members.length) : KIND_GLYPH[n.objectKind ?? ''] ?? (n.kind === 'external' ? '⛁' : '⇄');
  el('rect', { class: 'glyph-box', x: 6, y: 6, width: 26, height: 20, rx: 3 }, g);
  text(g, 19, 20, 'glyph', glyph);
  text(g, 40, 21, 'label', truncate(n.label, 22));
  const second = group ? `${group.members.length} workloads · by ${groupedBy(group.key)}`
    : services.length ? `${n.replicas !== undefined ? `×${n.replicas} · ` : ''}S ${services.join(', ')}` : subtitle(n);
  text(g, 40, 36, 'subtitle', truncate(second, 26));
  let x = 6;
  for (const badge of n.badges) {
    const info = BADGES[badge];
    const w = info.text.length * 6 + 8;
    const pill = el('g', { class: `badge badge-${badge}`, transform: `translate(${x},42)` }, g);
    el('title', {}, pill).textContent = info.title;
    el('rect', { width: w, height: 12, rx: 6 }, pill);
    text(pill, w / 2, 9, 'badge-text', info.text);
    x += w + 3;
  }
}

function drawLabel(labels: Element, id: string, cls: string, value: string, b: Box | undefined): void {
  if (!b) return;
  const lg = el('g', { class: `edge-label ${cls}`, 'data-edge': id, transform: `translate(${b.x + b.w / 2},${b.y + LABEL_H / 2})` }, labels);
  el('rect', { x: -b.w / 2, y: -LABEL_H / 2, width: b.w, height: LABEL_H, rx: 3 }, lg);
  text(lg, 0, 3.5, 'edge-label-text', truncate(value, 28));
}

function drawEdge(parent: Element, labels: Element, e: GraphEdge, layout: Layout): void {
  const geom = layout.edges.get(e.id);
  if (!geom) return;
  const cls = `edge edge-${e.kind}${e.status ? ` edge-${e.status}` : ''}${e.change ? ` edge-change-${e.change}` : ''}${e.decidedBy ? ` edge-decided-${e.decidedBy}` : ''}`;
  const g = el('g', { class: cls, 'data-edge': e.id }, parent);
  el('path', { class: 'edge-hit', d: geom.d }, g);
  el('path', { class: 'edge-line', d: geom.d, 'marker-end': `url(#arrow-${e.kind}${e.status ? `-${e.status}` : ''})` }, g);
  // A label without room on the picture is said on hover.
  el('title', {}, g).textContent = `${e.kind}${e.label ? `: ${e.label}` : ''}${e.decidedBy ? ` (decided by the ${e.decidedBy} tier)` : ''}`;
  if (e.label && e.kind !== 'selects') drawLabel(labels, e.id, cls, e.label, layout.labels.get(e.id));
}

function drawAggregate(parent: Element, labels: Element, a: Aggregate, layout: Layout): void {
  const geom = layout.edges.get(a.id);
  if (!geom) return;
  const cls = `edge edge-aggregate${a.blocked ? ' edge-blocked' : ''}`;
  const g = el('g', { class: cls, 'data-edge': a.id }, parent);
  el('path', { class: 'edge-hit', d: geom.d }, g);
  el('path', { class: 'edge-line', d: geom.d, 'stroke-width': Math.min(8, 1.5 + Math.log2(a.members.length)), 'marker-end': `url(#arrow-aggregate${a.blocked ? '-blocked' : ''})` }, g);
  el('title', {}, g).textContent = `${a.label} (click to expand)`;
  drawLabel(labels, a.id, cls, a.label, layout.labels.get(a.id));
}

/**
 * The elements of each item the last render of a viewport drew, by what they were drawn from (the
 * item's data, its box, its route and label box): the next render moves those of unchanged items
 * into its layers instead of building them again, so an update redraws only what changed. The
 * result is the DOM a fresh render gives (same elements, same order).
 */
interface Drawn {
  /** What it was drawn from: the graph's node or edge object (the page keeps an unchanged item's object), or a text. */
  readonly item: unknown;
  readonly elements: Array<readonly [layer: number, element: Element]>;
}
const drawnBy = new WeakMap<Element, Map<string, Drawn>>();

/**
 * Draws an item with `build` (into `layers`), or moves the elements an earlier render drew for the
 * same `key` (its id and where it goes) from the same `item`.
 */
function keyed(before: ReadonlyMap<string, Drawn>, now: Map<string, Drawn>, key: string, item: unknown, layers: readonly Element[], build: () => void): void {
  const had = before.get(key);
  if (had && had.item === item && !now.has(key)) {
    for (const [i, e] of had.elements) layers[i]!.appendChild(e);
    now.set(key, had);
    return;
  }
  const last = layers.map(l => l.lastElementChild);
  build();
  const elements: Drawn['elements'] = [];
  layers.forEach((l, i) => { for (let e = last[i] ? last[i]!.nextElementSibling : l.firstElementChild; e; e = e.nextElementSibling) elements.push([i, e]); });
  if (!now.has(key)) now.set(key, { item, elements });
}

const boxKey = (b: Box | undefined): string => (b ? `${b.x},${b.y},${b.w},${b.h}` : '');

const MARKERS = ['flow', 'selects', 'routes', 'dns-allowed', 'dns-blocked', 'aggregate', 'aggregate-blocked'];

export interface RenderStats { nodes: number; edges: number; overview: boolean }

/**
 * Replaces the content of `root` (the viewport group) with the drawing of `view`: everything when
 * `visible` is undefined, else what meets that rectangle (layout coordinates). `overview` draws the
 * frames only, their titles scaled by `1 / zoom` so they stay readable.
 */
export function renderView(svg: SVGSVGElement, root: SVGGElement, view: View, layout: Layout, visible: Box | undefined, overview: boolean, zoom: number): RenderStats {
  root.replaceChildren();
  const before = drawnBy.get(root) ?? new Map<string, Drawn>();
  const now = new Map<string, Drawn>();
  drawnBy.set(root, now);
  let defs = svg.querySelector('defs');
  if (!defs) {
    defs = el('defs', {});
    svg.insertBefore(defs, svg.firstChild);
    for (const m of MARKERS) {
      const marker = el('marker', { id: `arrow-${m}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrow arrow-${m}` }, marker);
    }
  }
  const frames = el('g', { class: 'frames' }, root);
  for (const gr of view.groups) {
    const b = layout.groups.get(gr.id);
    if (!b) continue;
    keyed(before, now, `frame\u0000${gr.id}\u0000${boxKey(b)}\u0000${overview ? zoom : ''}`, JSON.stringify(gr), [frames], () => drawFrame(frames, gr, b, overview, zoom));
  }
  // The outlines of the groups drawn as their rows, under a title that collapses them on a click.
  for (const [id, boxes] of layout.subframes) {
    const sg = view.subgroups.get(id);
    if (!sg || overview) continue;
    keyed(before, now, `subframe\u0000${id}\u0000${boxes.map(boxKey).join(';')}`, JSON.stringify(sg), [frames], () => drawSubframe(frames, sg, boxes));
  }
  const edgeLayer = el('g', { class: 'edges' }, root);
  // Labels under the nodes: a label never hides a node or takes its clicks.
  const labelLayer = el('g', { class: 'edge-labels' }, root);
  const nodeLayer = el('g', { class: 'nodes' }, root);
  const routeKey = (id: string) => `${layout.edges.get(id)?.d ?? ''}\u0000${boxKey(layout.labels.get(id))}`;
  for (const a of view.aggregates) {
    keyed(before, now, `agg\u0000${a.id}\u0000${routeKey(a.id)}`, `${a.label}\u0000${a.blocked}\u0000${a.members.length}`, [edgeLayer, labelLayer],
      () => drawAggregate(edgeLayer, labelLayer, a, layout));
  }
  if (overview) return { nodes: 0, edges: view.aggregates.length, overview };
  let nodes = 0, edges = view.aggregates.length;
  const shown = (b: Box | undefined) => b !== undefined && (!visible || overlaps(b, visible));
  const drawn = new Set<string>();
  for (const n of view.nodes) {
    const b = layout.nodes.get(n.id);
    if (!b || !shown(b)) continue;
    const services = view.servicesOf.get(n.id);
    const group = view.subgroups.get(n.id);
    keyed(before, now, `node\u0000${n.id}\u0000${boxKey(b)}\u0000${services?.join('\u0000') ?? ''}`, group ? JSON.stringify(n) : n, [nodeLayer], () => drawNode(nodeLayer, n, b, services, group));
    drawn.add(n.id);
    nodes++;
  }
  for (const e of view.edges) {
    if (visible && !drawn.has(e.source) && !drawn.has(e.target)) {
      const pts = layout.edges.get(e.id)?.pts;
      if (!pts || !pts.some(p => p[0] >= visible.x && p[0] <= visible.x + visible.w && p[1] >= visible.y && p[1] <= visible.y + visible.h)) continue;
    }
    keyed(before, now, `edge\u0000${e.id}\u0000${routeKey(e.id)}`, e, [edgeLayer, labelLayer], () => drawEdge(edgeLayer, labelLayer, e, layout));
    edges++;
  }
  return { nodes, edges, overview };
}

/** An expanded group's outline (one per band of rows) and title; a click on it collapses the group into one box. */
function drawSubframe(frames: Element, sg: ViewSubgroup, boxes: readonly Box[]): void {
  const g = el('g', { class: 'subframe', 'data-toggle': sg.id }, frames);
  el('title', {}, g).textContent = `${sg.label}: ${sg.members.length} workloads grouped by ${groupedBy(sg.key)}; click to collapse them into one box`;
  for (const b of boxes) {
    el('rect', { class: 'subframe-box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 5 }, g);
    text(g, b.x + 8, b.y + 16, 'subframe-title', truncate(`− ${sg.label} · ${sg.members.length}`, 30));
  }
}

/** A frame: its box and title (the name alone in the overview, scaled to stay readable). */
function drawFrame(frames: Element, gr: ViewGroup, b: Box, overview: boolean, zoom: number): void {
  const g = el('g', { class: `frame frame-${gr.kind}${gr.collapsed ? ' collapsed' : ''}${gr.open ? ' open' : ''}`, 'data-group': gr.id, transform: `translate(${b.x},${b.y})` }, frames);
  el('rect', { class: 'frame-box', width: b.w, height: b.h, rx: 6 }, g);
  const note = openNote(gr);
  if (overview) {
    // The name alone, as large as the frame's width allows (at most 13 px on screen), the counts below.
    const scale = Math.max(1, Math.min(1 / Math.max(zoom, 0.01), (b.w - 8) / (gr.label.length * 8.6 + 4)));
    const head = el('g', { class: 'frame-head', transform: `translate(4,4) scale(${scale})` }, g);
    text(head, 2, 12, 'frame-title', gr.label);
    const counts = el('g', { transform: `translate(4,${8 + 16 * scale}) scale(${scale * 0.7})` }, g);
    text(counts, 2, 12, 'frame-summary', `${count(gr.workloads, 'workload')}${note ? ` · ${gr.open} open` : ''}`);
    return;
  }
  const title = el('g', { class: 'frame-head' }, g);
  const toggle = el('g', { class: 'frame-toggle', 'data-toggle': gr.id, transform: 'translate(8,6)' }, title);
  el('title', {}, toggle).textContent = gr.collapsed ? 'Expand this namespace' : 'Collapse this namespace into one box';
  el('rect', { width: 16, height: 16, rx: 3 }, toggle);
  text(toggle, 8, 12.5, 'frame-toggle-text', gr.collapsed ? '+' : '−');
  // A collapsed namespace is a small box of the grid: its name alone (the tooltip says the rest).
  const name = gr.collapsed ? collapsedTitle(gr) : gr.kind === 'outside' ? gr.label : `namespace ${gr.label}`;
  text(title, 30, 19, 'frame-title', truncate(name, gr.collapsed ? 40 : Math.max(12, Math.floor((b.w - 40) / 7.5))));
  if (gr.collapsed) {
    el('title', {}, g).textContent = gr.kind === 'outside' ? gr.label : `namespace ${gr.label}: ${count(gr.workloads, 'workload')}${note ? ` · ${note}` : ''}`;
    text(title, 8, 32, 'frame-summary', gr.kind === 'outside' ? '' : `${count(gr.workloads, 'workload')}${gr.open ? ` · ${gr.open} open` : ''}`);
  } else if (note) {
    const t = text(title, b.w - 10, 19, 'frame-open', 'open');
    el('title', {}, t).textContent = note;
  }
}
