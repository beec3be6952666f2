// The diagram page: toolbar, SVG canvas with pan and zoom, side panel. It receives graphs from the
// host, keeps zoom, pan and selection across updates (node ids are stable), and saves them with
// setState so the panel comes back as it was.
import type { GraphOptions, HostMessage, NetworkGraph, PageMessage, PageState } from '../shared/protocol';
import { exportPng, exportSvg } from './export';
import { layoutGraph, type Layout } from './layout';
import { renderGraph } from './render';
import { showSelection } from './sidepanel';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): PageState | undefined;
  setState(state: PageState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (m: PageMessage) => vscode.postMessage(m);

const saved = vscode.getState();
let options: GraphOptions = saved?.options ?? {};
let zoom = saved?.zoom ?? 1;
let panX = saved?.panX ?? 0;
let panY = saved?.panY ?? 0;
let selected: string | undefined = saved?.selected;
let graph: NetworkGraph | undefined;
let layout: Layout | undefined;
let fitted = saved !== undefined;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, content?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (content !== undefined) e.textContent = content;
  return e;
}

// ---- scaffold
const toolbar = h('div', { class: 'toolbar', role: 'toolbar' });
const nsSelect = h('select', { title: 'Namespace', 'aria-label': 'Namespace' });
const search = h('input', { type: 'search', placeholder: 'Search a name', 'aria-label': 'Search a name' });
const deniedLabel = h('label', { class: 'check' });
const denied = h('input', { type: 'checkbox' });
deniedLabel.append(denied, document.createTextNode(' Denied DNS only'));
const focusBtn = h('button', { title: 'Show the selection and its neighbours' }, 'Focus');
const clearBtn = h('button', { title: 'Show everything again' }, 'Clear filters');
const fitBtn = h('button', { title: 'Fit to window' }, 'Fit');
const svgBtn = h('button', { title: 'Export as SVG' }, 'SVG');
const pngBtn = h('button', { title: 'Export as PNG' }, 'PNG');
const status = h('span', { class: 'status', 'aria-live': 'polite' });
toolbar.append(nsSelect, search, deniedLabel, focusBtn, clearBtn, h('span', { class: 'spacer' }), status, fitBtn, svgBtn, pngBtn);

const notes = h('div', { class: 'notes' });
const main = h('div', { class: 'main' });
const canvas = h('div', { class: 'canvas' });
const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
svg.setAttribute('class', 'diagram');
const viewport = document.createElementNS('http://www.w3.org/2000/svg', 'g');
viewport.setAttribute('class', 'viewport');
svg.appendChild(viewport);
canvas.appendChild(svg);
const side = h('aside', { class: 'side', 'aria-label': 'Selection' });
main.append(canvas, side);
const legend = h('div', { class: 'legend' });
for (const [cls, label] of [['flow', 'allowed flow'], ['selects', 'Service selects'], ['routes', 'Ingress routes'], ['dns-allowed', 'DNS ref, allowed'], ['dns-blocked', 'DNS ref, blocked']] as const) {
  const item = h('span', { class: `legend-item legend-${cls}` });
  item.append(h('span', { class: 'swatch' }), document.createTextNode(label));
  legend.append(item);
}
document.body.append(toolbar, notes, main, legend);

function saveState(): void {
  vscode.setState({ options, zoom, panX, panY, selected });
}

function applyTransform(): void {
  viewport.setAttribute('transform', `translate(${panX},${panY}) scale(${zoom})`);
  svg.classList.toggle('zoomed-out', zoom < 0.55);
  saveState();
}

function fit(): void {
  if (!layout) return;
  const w = canvas.clientWidth || 800;
  const hgt = canvas.clientHeight || 600;
  const pad = 24;
  zoom = Math.min(2, Math.max(0.05, Math.min((w - 2 * pad) / Math.max(1, layout.width), (hgt - 2 * pad) / Math.max(1, layout.height))));
  panX = (w - layout.width * zoom) / 2;
  panY = Math.max(pad, (hgt - layout.height * zoom) / 2);
  applyTransform();
}

function setOptions(next: GraphOptions): void {
  options = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== '' && v !== false)) as GraphOptions;
  saveState();
  post({ type: 'options', options });
}

function syncToolbar(): void {
  const namespaces = graph?.namespaces ?? [];
  nsSelect.replaceChildren(h('option', { value: '' }, 'All namespaces'), ...namespaces.map(ns => h('option', { value: ns }, ns)));
  nsSelect.value = options.namespace ?? '';
  if (document.activeElement !== search) search.value = options.search ?? '';
  denied.checked = options.deniedDnsOnly ?? false;
  focusBtn.classList.toggle('active', options.focus !== undefined);
  clearBtn.disabled = Object.keys(options).length === 0;
}

function highlight(): void {
  for (const e of Array.from(svg.querySelectorAll('.selected, .neighbour, .dimmed'))) e.classList.remove('selected', 'neighbour', 'dimmed');
  if (!graph || !selected) { showSelection(side, graph, undefined, post); return; }
  const node = svg.querySelector(`[data-id="${CSS.escape(selected)}"]`);
  const edges = svg.querySelectorAll(`[data-edge="${CSS.escape(selected)}"]`);
  if (node) {
    node.classList.add('selected');
    for (const e of graph.edges) {
      if (e.source !== selected && e.target !== selected) continue;
      for (const x of Array.from(svg.querySelectorAll(`[data-edge="${CSS.escape(e.id)}"]`))) x.classList.add('neighbour');
    }
  }
  for (const x of Array.from(edges)) x.classList.add('selected');
  showSelection(side, graph, selected, post);
}

function select(id: string | undefined, reveal: boolean): void {
  selected = id;
  highlight();
  saveState();
  if (!reveal || !graph || !id) return;
  const node = graph.nodes.find(n => n.id === id);
  const edge = graph.edges.find(e => e.id === id);
  const where = node?.source ?? edge?.sourceLocation ?? graph.groups.find(g => g.id === id)?.source;
  if (where) post({ type: 'reveal', file: where.file, span: where.span });
}

function centerOn(id: string): void {
  const b = layout?.nodes.get(id);
  if (!b) return;
  const w = canvas.clientWidth || 800;
  const hgt = canvas.clientHeight || 600;
  const sx = b.x * zoom + panX;
  const sy = b.y * zoom + panY;
  if (sx < 0 || sy < 0 || sx + b.w * zoom > w || sy + b.h * zoom > hgt) {
    panX = w / 2 - (b.x + b.w / 2) * zoom;
    panY = hgt / 2 - (b.y + b.h / 2) * zoom;
    applyTransform();
  }
}

function onGraph(m: Extract<HostMessage, { type: 'graph' }>): void {
  graph = m.graph;
  options = m.options;
  layout = layoutGraph(graph);
  renderGraph(svg, viewport, graph, layout);
  notes.replaceChildren(...graph.notes.map(n => h('div', {}, n)));
  notes.hidden = graph.notes.length === 0;
  const workloads = graph.nodes.filter(n => n.kind === 'workload').length;
  status.textContent = `${workloads} workloads · ${graph.edges.filter(e => e.kind === 'flow').length} flows · ipBlock reading: ${m.reading}`;
  syncToolbar();
  if (!fitted) { fitted = true; fit(); } else applyTransform();
  highlight();
}

window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const m = ev.data;
  switch (m.type) {
    case 'graph': onGraph(m); break;
    case 'select':
      select(m.nodeId, false);
      centerOn(m.nodeId);
      break;
    case 'theme': highlight(); break;
  }
});

// ---- interaction
nsSelect.addEventListener('change', () => setOptions({ ...options, namespace: nsSelect.value || undefined }));
let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => setOptions({ ...options, search: search.value.trim() || undefined }), 250);
});
denied.addEventListener('change', () => setOptions({ ...options, deniedDnsOnly: denied.checked }));
focusBtn.addEventListener('click', () => {
  if (options.focus) setOptions({ ...options, focus: undefined });
  else if (selected && graph?.nodes.some(n => n.id === selected)) setOptions({ ...options, focus: selected });
});
clearBtn.addEventListener('click', () => setOptions({}));
fitBtn.addEventListener('click', fit);
svgBtn.addEventListener('click', () => post({ type: 'export', format: 'svg', data: exportSvg(svg, layout) }));
pngBtn.addEventListener('click', () => { void exportPng(svg, layout).then(data => post({ type: 'export', format: 'png', data })); });

// With pointer capture, pointerup targets the svg: the clicked element is remembered at pointerdown.
let drag: { x: number; y: number; moved: boolean; target: Element } | undefined;
svg.addEventListener('pointerdown', ev => {
  if (ev.button !== 0) return;
  drag = { x: ev.clientX, y: ev.clientY, moved: false, target: ev.target as Element };
  svg.setPointerCapture(ev.pointerId);
});
svg.addEventListener('pointermove', ev => {
  if (!drag) return;
  const dx = ev.clientX - drag.x;
  const dy = ev.clientY - drag.y;
  if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
  drag.moved = true;
  panX += dx;
  panY += dy;
  drag.x = ev.clientX;
  drag.y = ev.clientY;
  applyTransform();
});
svg.addEventListener('pointerup', ev => {
  const down = drag;
  drag = undefined;
  svg.releasePointerCapture(ev.pointerId);
  if (!down || down.moved) return;
  const hit = down.target.closest('[data-id], [data-edge], [data-group]');
  const id = hit?.getAttribute('data-id') ?? hit?.getAttribute('data-edge') ?? hit?.getAttribute('data-group') ?? undefined;
  select(id, id !== undefined);
});
svg.addEventListener('wheel', ev => {
  ev.preventDefault();
  const rect = svg.getBoundingClientRect();
  const mx = ev.clientX - rect.left;
  const my = ev.clientY - rect.top;
  const next = Math.min(4, Math.max(0.05, zoom * Math.exp(-ev.deltaY * 0.0015)));
  panX = mx - ((mx - panX) * next) / zoom;
  panY = my - ((my - panY) * next) / zoom;
  zoom = next;
  applyTransform();
}, { passive: false });
svg.addEventListener('keydown', ev => {
  const target = ev.target as Element;
  if ((ev.key === 'Enter' || ev.key === ' ') && target.hasAttribute('data-id')) {
    ev.preventDefault();
    select(target.getAttribute('data-id') ?? undefined, true);
  }
});

post({ type: 'ready', options });
