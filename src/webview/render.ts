// Builds the diagram's SVG with DOM calls only: every string from a manifest goes in through
// textContent or a data attribute, never through markup.
import type { Badge, GraphEdge, GraphNode, NetworkGraph } from '../shared/protocol';
import { midpoint, type Layout } from './layout';

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
  'ingress-open': { text: 'IN open', title: 'no policy isolates ingress: everything may connect to it' },
  'egress-isolated': { text: 'OUT ✓', title: 'isolated for egress: only what policies allow gets out' },
  'egress-open': { text: 'OUT open', title: 'no policy isolates egress: it may connect anywhere' },
  'exposed-all-namespaces': { text: 'ALL NS', title: 'pods of every namespace may connect to it' },
  'exposed-internet': { text: 'INTERNET', title: 'addresses outside the cluster may connect to it' },
};

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

function drawNode(parent: Element, n: GraphNode, layout: Layout): void {
  const b = layout.nodes.get(n.id);
  if (!b) return;
  const g = el('g', { class: `node kind-${n.kind}`, 'data-id': n.id, transform: `translate(${b.x},${b.y})`, tabindex: 0 }, parent);
  el('title', {}, g).textContent = `${n.label}${n.namespace ? ` (${n.namespace})` : ''}`;
  el('rect', { class: 'node-box', width: b.w, height: b.h, rx: n.kind === 'service' ? 14 : 4 }, g);
  const glyph = KIND_GLYPH[n.objectKind ?? ''] ?? (n.kind === 'external' ? '⛁' : '⇄');
  el('rect', { class: 'glyph-box', x: 6, y: 6, width: 26, height: 20, rx: 3 }, g);
  text(g, 19, 20, 'glyph', glyph);
  text(g, 40, 21, 'label', truncate(n.label, 22));
  text(g, 40, 36, 'subtitle', truncate(subtitle(n), 26));
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

function drawEdge(parent: Element, labels: Element, e: GraphEdge, layout: Layout): void {
  const c = layout.edges.get(e.id);
  if (!c) return;
  const cls = `edge edge-${e.kind}${e.status ? ` edge-${e.status}` : ''}${e.change ? ` edge-change-${e.change}` : ''}`;
  const g = el('g', { class: cls, 'data-edge': e.id }, parent);
  const d = `M${c[0]},${c[1]} C${c[2]},${c[3]} ${c[4]},${c[5]} ${c[6]},${c[7]}`;
  el('path', { class: 'edge-hit', d }, g);
  el('path', { class: 'edge-line', d, 'marker-end': `url(#arrow-${e.kind}${e.status ? `-${e.status}` : ''})` }, g);
  el('title', {}, g).textContent = `${e.kind}${e.label ? `: ${e.label}` : ''}`;
  if (!e.label || e.kind === 'selects') return;
  const [mx, my] = midpoint(c);
  const lg = el('g', { class: `edge-label ${cls}`, 'data-edge': e.id, transform: `translate(${mx},${my})` }, labels);
  const shown = truncate(e.label, 28);
  const w = shown.length * 6.2 + 8;
  el('rect', { x: -w / 2, y: -8, width: w, height: 15, rx: 3 }, lg);
  text(lg, 0, 3, 'edge-label-text', shown);
}

const MARKERS = ['flow', 'selects', 'routes', 'dns-allowed', 'dns-blocked'];

/** Replaces the content of `root` (the viewport group) with the drawing of `graph`. */
export function renderGraph(svg: SVGSVGElement, root: SVGGElement, graph: NetworkGraph, layout: Layout): void {
  root.replaceChildren();
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
  for (const gr of graph.groups) {
    const b = layout.groups.get(gr.id);
    if (!b) continue;
    const g = el('g', { class: 'frame', 'data-group': gr.id, transform: `translate(${b.x},${b.y})` }, frames);
    el('rect', { class: 'frame-box', width: b.w, height: b.h, rx: 6 }, g);
    text(g, 12, 19, 'frame-title', `namespace ${gr.label}`);
  }
  // Labels under the nodes: a label never hides a node or takes its clicks.
  const edgeLayer = el('g', { class: 'edges' }, root);
  const labelLayer = el('g', { class: 'edge-labels' }, root);
  const nodeLayer = el('g', { class: 'nodes' }, root);
  for (const e of graph.edges) drawEdge(edgeLayer, labelLayer, e, layout);
  for (const n of graph.nodes) drawNode(nodeLayer, n, layout);
}
